import type { Template } from "aws-cdk-lib/assertions";

type Resource = { Properties: Record<string, unknown> };

/** A CloudFormation token as a plausible value: the partition, a bucket's name, a function's ARN. */
function tokenValue(token: Record<string, unknown>, bucket: string): string {
  const ref = token.Ref;
  if (ref === "AWS::Partition") return "aws";
  if (typeof ref === "string") return bucket;
  return "arn:aws:lambda:eu-west-1:123456789012:function:worker";
}

/** The synthesized state machine's definition, CloudFormation's tokens put as plausible values (the bucket's name as given). */
export function stateMachineDefinition(
  template: Template,
  bucket = "research-bucket",
): Record<string, unknown> {
  const [machine] = Object.values(template.findResources("AWS::StepFunctions::StateMachine")) as Resource[];
  const body = machine?.Properties.DefinitionString as { "Fn::Join": [string, unknown[]] } | string;
  const text =
    typeof body === "string"
      ? body
      : body["Fn::Join"][1]
          .map((part) =>
            typeof part === "string" ? part : tokenValue(part as Record<string, unknown>, bucket),
          )
          .join(body["Fn::Join"][0]);
  return JSON.parse(text);
}
