import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption } from "aws-cdk-lib/aws-s3";
import {
  DefinitionBody,
  DistributedMap,
  ItemBatcher,
  JitterType,
  JsonPath,
  LogLevel,
  ResultWriterV2,
  S3JsonItemReader,
  StateMachine,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import type { Construct } from "constructs";
import { RESEARCH_LIMITS, RESEARCH_OUTPUTS } from "../shared/adapters/optimize/search-layout.ts";
import { functionBundling } from "./bundle-options.ts";

const ENTRY = new URL("../functions/optimize-worker/handler.ts", import.meta.url).pathname;

/**
 * The optional research stack (`-c research=true`): a private, encrypted bucket whose objects
 * expire after 7 days; the optimizer's worker as a function; a state machine whose Distributed
 * Map reads a search's settings from the bucket (`ItemReader`), hands them in batches to the
 * worker with bounded concurrency and retries, tolerates a share of failed batches, and writes
 * the batches' summaries back (`ResultWriter`). The execution's input: `SearchInput`
 * (shared/adapters/optimize/search-layout.ts); `npm run optimize -- --on aws` finds the bucket
 * and the state machine from the stack's outputs.
 */
export class ResearchStack extends Stack {
  readonly bucket: Bucket;
  readonly worker: NodejsFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.bucket = new Bucket(this, "Searches", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(7) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const workerLogs = new LogGroup(this, "WorkerLogs", {
      retention: RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const workerRole = new Role(this, "WorkerRole", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description:
        "The optimizer's worker: reads a search's data from the research bucket, writes its batches' results and its own logs",
    });
    workerLogs.grantWrite(workerRole);
    workerRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: "SearchData",
        actions: ["s3:GetObject"],
        resources: [this.bucket.arnForObjects("searches/*")],
      }),
    );
    workerRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: "BatchResults",
        actions: ["s3:PutObject"],
        resources: [this.bucket.arnForObjects("searches/*/results/*")],
      }),
    );
    this.worker = new NodejsFunction(this, "Worker", {
      entry: ENTRY,
      role: workerRole,
      handler: "handler",
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: RESEARCH_LIMITS.memoryMb,
      timeout: Duration.seconds(RESEARCH_LIMITS.timeoutSeconds),
      logGroup: workerLogs,
      environment: { BUCKET: this.bucket.bucketName, NODE_OPTIONS: "--enable-source-maps" },
      bundling: functionBundling(),
    });
    const run = new LambdaInvoke(this, "RunBatch", {
      lambdaFunction: this.worker,
      payloadResponseOnly: true,
    })
      // Lambda at its concurrency quota (a new account's can be 10): a throttle waits its turn, with
      // jittered backoff up to a minute, long enough for the batches ahead of it; never a failure.
      .addRetry({
        errors: ["Lambda.TooManyRequestsException"],
        maxAttempts: RESEARCH_LIMITS.throttledRetries,
        interval: Duration.seconds(5),
        backoffRate: 2,
        maxDelay: Duration.seconds(60),
        jitterStrategy: JitterType.FULL,
      })
      .addRetry({
        errors: ["States.ALL"],
        maxAttempts: RESEARCH_LIMITS.attempts - 1,
        interval: Duration.seconds(2),
        backoffRate: 2,
      });
    const map = new DistributedMap(this, "Search", {
      itemReader: new S3JsonItemReader({ bucket: this.bucket, key: JsonPath.stringAt("$.settingsKey") }),
      itemBatcher: new ItemBatcher({
        maxItemsPerBatchPath: "$.batchSize",
        batchInput: { "dataKey.$": "$.dataKey", "strategy.$": "$.strategy" },
      }),
      maxConcurrency: RESEARCH_LIMITS.maxConcurrency,
      toleratedFailurePercentage: RESEARCH_LIMITS.toleratedFailurePercentage,
      resultWriterV2: new ResultWriterV2({ bucket: this.bucket, prefix: "results" }),
    });
    map.itemProcessor(run);
    const logs = new LogGroup(this, "SearchLogs", {
      retention: RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, "SearchMachine", {
      definitionBody: DefinitionBody.fromChainable(map),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ERROR },
    });
    new CfnOutput(this, RESEARCH_OUTPUTS.bucket, {
      value: this.bucket.bucketName,
      description: "The bucket of the searches",
    });
    new CfnOutput(this, RESEARCH_OUTPUTS.stateMachine, {
      value: this.stateMachine.stateMachineArn,
      description: "The state machine that runs a search",
    });
  }
}
