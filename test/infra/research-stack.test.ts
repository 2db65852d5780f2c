import aslValidator from "asl-validator";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { RESEARCH_LIMITS, RESEARCH_OUTPUTS } from "../../shared/adapters/optimize/search-layout.ts";
import { synthApp } from "../helpers/cdk-app.ts";
import { stateMachineDefinition } from "../helpers/state-machine-definition.ts";

type Resource = { Properties: Record<string, unknown> };

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
    const definition = stateMachineDefinition(template);
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
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } },
    });
    const run = (
      (map.ItemProcessor as Record<string, unknown>).States as Record<string, Record<string, unknown>>
    ).RunBatch;
    const retry = run?.Retry as { ErrorEquals: string[] }[];
    // A throttle waits its turn (jittered, up to a minute apart) before the catch-all's 3 tries.
    const throttle = retry.findIndex((r) => r.ErrorEquals.includes("Lambda.TooManyRequestsException"));
    expect(retry[throttle]).toEqual({
      ErrorEquals: ["Lambda.TooManyRequestsException"],
      IntervalSeconds: 5,
      MaxAttempts: RESEARCH_LIMITS.throttledRetries,
      BackoffRate: 2,
      MaxDelaySeconds: 60,
      JitterStrategy: "FULL",
    });
    expect(retry.at(-1)).toEqual(
      expect.objectContaining({ ErrorEquals: ["States.ALL"], MaxAttempts: RESEARCH_LIMITS.attempts - 1 }),
    );
    expect(throttle).toBeLessThan(retry.length - 1); // States.ALL last: it would take the throttle first
    // Lambda's own service errors: CDK's retrier of a Lambda task, 6 retries (docs/optimize.md: up to 7 tries).
    expect(retry[0]).toMatchObject({
      ErrorEquals: expect.arrayContaining(["Lambda.ServiceException"]),
      MaxAttempts: 6,
    });
  });

  it("names the bucket and the state machine in its outputs, as npm run optimize -- --on aws reads them", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [RESEARCH_OUTPUTS.bucket, RESEARCH_OUTPUTS.stateMachine].sort(),
    );
    expect(JSON.stringify(outputs[RESEARCH_OUTPUTS.bucket]?.Value)).toContain("Searches");
    expect(JSON.stringify(outputs[RESEARCH_OUTPUTS.stateMachine]?.Value)).toContain("SearchMachine");
  });

  it("lets the worker read the searches' data and write their batches' results, nothing else of the bucket", () => {
    const policies = Object.values(template.findResources("AWS::IAM::Policy")) as Resource[];
    const worker = policies.find((p) => JSON.stringify(p).includes("SearchData"));
    expect(worker).toBeDefined();
    const document = worker?.Properties.PolicyDocument as { Statement: { Sid?: string; Action: unknown }[] };
    const statements = document.Statement;
    expect(statements.find((s) => s.Sid === "SearchData")?.Action).toBe("s3:GetObject");
    const writes = statements.filter((s) => JSON.stringify(s.Action).includes("s3:Put"));
    expect(writes.map((s) => s.Sid)).toEqual(["BatchResults"]);
    expect(writes[0]?.Action).toBe("s3:PutObject");
    expect(JSON.stringify((writes[0] as { Resource?: unknown }).Resource)).toContain("/searches/*/results/*");
    expect(JSON.stringify(statements)).not.toMatch(/s3:(Delete|List|\*)/);
  });
});
