import { RemovalPolicy, Stack } from "aws-cdk-lib";
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Alias } from "aws-cdk-lib/aws-kms";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { TABLE_DEFINITION } from "../shared/adapters/dynamodb/table-definition.ts";

/**
 * What must outlive a deployment: the account table and the alerts topic. Both are retained
 * when the stack is deleted, and the table cannot be deleted by accident. Beside them, the
 * operations topic the alarms notify.
 */
export class StatefulResources extends Construct {
  readonly table: TableV2;
  readonly topic: Topic;
  /**
   * Where the alarms go. Not encrypted, by choice: CloudWatch alarms cannot publish to a topic
   * encrypted with the AWS-managed key (its key policy cannot let cloudwatch.amazonaws.com use it),
   * and a customer-managed key would cost $1/month; alarm messages carry no secrets (a name, a
   * state, a threshold). In transit it is TLS only.
   */
  readonly opsTopic: Topic;

  constructor(scope: Construct, id: string, props: { alertEmail: string | undefined }) {
    super(scope, id);
    const { partitionKey, sortKey, timeToLiveAttribute } = TABLE_DEFINITION;
    this.table = new TableV2(this, "AccountTable", {
      partitionKey: { name: partitionKey.name, type: AttributeType.STRING },
      sortKey: { name: sortKey.name, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.topic = new Topic(this, "AlertTopic", {
      displayName: "Paper trader alerts",
      masterKey: Alias.fromAliasName(this, "SnsManagedKey", "alias/aws/sns"),
      enforceSSL: true,
    });
    this.topic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.opsTopic = new Topic(this, "OperationsTopic", {
      displayName: "Paper trader alarms",
      enforceSSL: true,
    });
    this.opsTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: "CloudWatchAlarmsPublish",
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.opsTopic.topicArn],
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
    );
    if (props.alertEmail) {
      this.topic.addSubscription(new EmailSubscription(props.alertEmail));
      this.opsTopic.addSubscription(new EmailSubscription(props.alertEmail));
    }
  }
}
