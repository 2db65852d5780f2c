import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { synthApp } from "./cdk-app.ts";
import { stateMachineDefinition } from "./state-machine-definition.ts";

/**
 * The research stack as `cdk synth -c research=true` makes it, its worker bundled (only that
 * stack's: the trading stack's functions are not built): the worker's bundle on disk and the
 * state machine's definition, the bucket's name as given.
 */
export function synthResearch(bucket: string) {
  const outdir = mkdtempSync(join(tmpdir(), "cdk-research-"));
  const { app } = synthApp(
    { research: true, "aws:cdk:bundling-stacks": ["*-Research"] },
    { bundle: true, outdir },
  );
  app.synth();
  const research = app.node.children.find((c) => c.node.id.endsWith("-Research"));
  if (!research) throw new Error("no research stack synthesized");
  const template = Template.fromStack(research as never);
  type Fn = { Properties: { Code: { S3Key: string } } };
  const [worker] = Object.values(template.findResources("AWS::Lambda::Function")) as Fn[];
  if (!worker) throw new Error("no worker function in the research stack");
  return {
    bundle: join(outdir, `asset.${worker.Properties.Code.S3Key.replace(".zip", "")}`, "index.mjs"),
    definition: stateMachineDefinition(template, bucket),
  };
}
