import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { UsageError } from "./cli-errors.ts";

/**
 * A deployed stack's outputs, by key, as `npm run invoke` and `npm run optimize -- --on aws` find
 * what they call; a missing output is a usage error that says how to deploy it (`deploy`).
 */
export async function stackOutputs<K extends string>(
  stackName: string,
  keys: readonly K[],
  deploy: string,
): Promise<Record<K, string>> {
  const cloudformation = new CloudFormationClient({});
  const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = Stacks?.[0]?.Outputs ?? [];
  const found = {} as Record<K, string>;
  for (const key of keys) {
    const value = outputs.find((o) => o.OutputKey === key)?.OutputValue;
    if (!value)
      throw new UsageError(`the stack ${stackName} has no ${key} output: is it deployed? (${deploy})`);
    found[key] = value;
  }
  return found;
}
