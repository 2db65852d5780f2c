import { type Stack, Validations } from "aws-cdk-lib";

/** Each accepted cdk-nag finding, with the reason it is accepted. */
export function acknowledgeAcceptedFindings(stack: Stack): void {
  const validations = Validations.of(stack);
  validations.acknowledge({
    id: "AwsSolutions-SQS3",
    reason:
      "This queue is itself the failure destination of the function; a queue for it would only move the question",
  });
}

/** The research stack's accepted cdk-nag findings, each with why (filled in from the findings synth names). */
export function acknowledgeResearchFindings(stack: Stack): void {
  const validations = Validations.of(stack);
  for (const [id, reason] of Object.entries(RESEARCH_FINDINGS)) validations.acknowledge({ id, reason });
}

const MACHINE_EXECUTIONS =
  'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"SearchMachine6819109B"}]}]}';
const RESEARCH_FINDINGS: Record<string, string> = {
  "AwsSolutions::AwsSolutions-S1":
    "The bucket holds a search's inputs and results for 7 days; access logs of it would outlive what they log",
  "AwsSolutions::AwsSolutions-SF1":
    "A search runs thousands of child workflows: logging every state would cost more than the search; errors are logged",
  "AwsSolutions::AwsSolutions-IAM5[Resource::*]":
    "X-Ray's PutTraceSegments and PutTelemetryRecords take no resource (tracing is on, as cdk-nag asks)",
  "AwsSolutions::AwsSolutions-IAM5[Resource::<SearchesBD87668F.Arn>/searches/*]":
    "The worker reads the searches' data, each search under its own key of searches/ (not known at deploy)",
  "AwsSolutions::AwsSolutions-IAM5[Resource::<SearchesBD87668F.Arn>/searches/*/results/*]":
    "The worker writes each batch's result under its search's results/ folder (the search's key is not known at deploy)",
  "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<SearchesBD87668F>/*]":
    "The map reads a search's settings and writes its results under keys chosen per search",
  "AwsSolutions::AwsSolutions-IAM5[Resource::<Worker11F36D0F.Arn>:*]":
    "Step Functions invokes the worker's versions and aliases (CDK's LambdaInvoke grant)",
  [`AwsSolutions::AwsSolutions-IAM5[Resource::${MACHINE_EXECUTIONS}:*]`]:
    "The Distributed Map describes and stops its own map runs, named per execution",
  [`AwsSolutions::AwsSolutions-IAM5[Resource::${MACHINE_EXECUTIONS}/*:*]`]:
    "The Distributed Map's child executions of this state machine, named per run",
};
