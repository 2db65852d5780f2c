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
