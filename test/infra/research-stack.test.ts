import aslValidator from "asl-validator";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { RESEARCH_LIMITS } from "../../infra/research-stack.ts";
import { synthApp } from "../helpers/cdk-app.ts";

type Resource = { Properties: Record<string, unknown> };

/** A CloudFormation token as a plausible value: the partition, a bucket's name, a function's ARN. */
function tokenValue(token: Record<string, unknown>): string {
  const ref = token.Ref;
  if (ref === "AWS::Partition") return "aws";
  if (typeof ref === "string") return "research-bucket";
  return "arn:aws:lambda:eu-west-1:123456789012:function:worker";
}

/** The state machine's definition with CloudFormation's tokens put as plausible values. */
function definitionOf(template: Template): Record<string, unknown> {
  const [machine] = Object.values(template.findResources("AWS::StepFunctions::StateMachine")) as Resource[];
  const body = machine?.Properties.DefinitionString as { "Fn::Join": [string, unknown[]] } | string;
  const text =
    typeof body === "string"
      ? body
      : body["Fn::Join"][1]
          .map((part) => (typeof part === "string" ? part : tokenValue(part as Record<string, unknown>)))
          .join(body["Fn::Join"][0]);
  return JSON.parse(text);
}

describe("the research stack (-c research=true)", () => {
  const { app } = synthApp({ research: true });
  const research = app.node.children.find((c) => c.node.id.endsWith("-Research"));
  const template = Template.fromStack(research as never);

  it("is only there when asked for", () => {
    expect(research).toBeDefined();
    expect(synthApp({}).app.node.children.some((c) => c.node.id.endsWith("-Research"))).toBe(false);
  });

  it("keeps searches in a private, encrypted bucket whose objects expire", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 7, Status: "Enabled" }] },
    });
  });

  it("fans a search out on a Distributed Map: settings read from S3 in batches, bounded, retried, results written back; valid ASL", () => {
    const definition = definitionOf(template);
    const { isValid, errors } = aslValidator(definition);
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
    const map = (definition.States as Record<string, Record<string, unknown>>).Search as Record<
      string,
      unknown
    >;
    expect(map).toMatchObject({
      Type: "Map",
      MaxConcurrency: RESEARCH_LIMITS.maxConcurrency,
      ToleratedFailurePercentage: RESEARCH_LIMITS.toleratedFailurePercentage,
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        ReaderConfig: { InputType: "JSON" },
        Parameters: { "Key.$": "$.settingsKey" },
      },
      ItemBatcher: {
        MaxItemsPerBatchPath: "$.batchSize",
        BatchInput: { "dataKey.$": "$.dataKey", "strategy.$": "$.strategy" },
      },
      ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Prefix: "results" } },
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED" } },
    });
    const run = (
      (map.ItemProcessor as Record<string, unknown>).States as Record<string, Record<string, unknown>>
    ).RunBatch;
    expect(run?.Retry).toContainEqual(
      expect.objectContaining({ ErrorEquals: ["States.ALL"], MaxAttempts: RESEARCH_LIMITS.attempts - 1 }),
    );
  });

  it("lets the worker read the searches' data and nothing else of the bucket", () => {
    const policies = Object.values(template.findResources("AWS::IAM::Policy")) as Resource[];
    const worker = policies.find((p) => JSON.stringify(p).includes("SearchData"));
    expect(worker).toBeDefined();
    const document = worker?.Properties.PolicyDocument as { Statement: { Sid?: string; Action: unknown }[] };
    const statements = document.Statement;
    expect(statements.find((s) => s.Sid === "SearchData")?.Action).toBe("s3:GetObject");
    expect(JSON.stringify(statements)).not.toContain("s3:PutObject");
  });
});
