import { S3StandIn } from "../../cli/stand-ins/s3-stand-in.ts";
import { RESEARCH_OUTPUTS } from "../../shared/adapters/optimize/search-layout.ts";
import { AwsApiEndpoint } from "./aws-api-endpoint.ts";
import { synthResearch } from "./research-bundle.ts";
import { StepFunctionsStandIn } from "./step-functions-stand-in.ts";
import { WorkerContainers } from "./worker-containers.ts";

export const RESEARCH_BUCKET = "research-bucket";
export const SEARCH_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:search";
const CREDENTIALS = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };

const stackXml = (name: string) =>
  `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${name}</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1</StackId><CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs><member><OutputKey>${RESEARCH_OUTPUTS.bucket}</OutputKey><OutputValue>${RESEARCH_BUCKET}</OutputValue></member><member><OutputKey>${RESEARCH_OUTPUTS.stateMachine}</OutputKey><OutputValue>${SEARCH_MACHINE}</OutputValue></member></Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`;
const noStack = (name: string) =>
  `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error><RequestId>1</RequestId></ErrorResponse>`;

/**
 * The research stack on 127.0.0.1: CloudFormation answering the deployed FibonacciPaperTrader-Research's
 * outputs (any other stack does not exist), S3, Step Functions running the synthesized definition,
 * and the synthesized worker's bundle in two warm containers; `env` points the AWS SDK at them.
 */
export async function startResearchStandIns() {
  const s3 = await S3StandIn.start(RESEARCH_BUCKET);
  const { bundle, definition } = synthResearch(RESEARCH_BUCKET);
  const containers = await WorkerContainers.start(
    bundle,
    { BUCKET: RESEARCH_BUCKET, ...CREDENTIALS, AWS_ENDPOINT_URL_S3: s3.url },
    2,
  );
  const sfn = await StepFunctionsStandIn.start(definition, s3, (event) => containers.invoke(event));
  const cloudformation = await AwsApiEndpoint.start((call, res) => {
    const name = decodeURIComponent(/StackName=([^&]*)/.exec(call.body)?.[1] ?? "");
    const known = name === "FibonacciPaperTrader-Research";
    res.writeHead(known ? 200 : 400, { "content-type": "text/xml" });
    res.end(known ? stackXml(name) : noStack(name));
  });
  const env = {
    BINANCE_BASE_URL: "http://127.0.0.1:9",
    ...CREDENTIALS,
    AWS_ENDPOINT_URL_CLOUDFORMATION: cloudformation.url,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_SFN: sfn.url,
  };
  return {
    s3,
    sfn,
    env,
    /** Holds every batch from the one starting at `from` until the returned release is called. */
    hold(from: number) {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      sfn.beforeBatch = async (first) => {
        if (first >= from) await held;
      };
      return release;
    },
    async close() {
      containers.close();
      await Promise.all([s3.close(), sfn.close(), cloudformation.close()]);
    },
  };
}
