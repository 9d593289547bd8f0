import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { FunctionName } from '../shared/routes';
import type { ApiFunction } from './api-function';

export interface ApiAlarmsProps {
  /** The API's functions, by name; each gets its own alarms. */
  readonly functions: Readonly<Record<FunctionName, ApiFunction>>;
  /** The HTTP API whose 5xx answers raise an alarm. */
  readonly httpApi: HttpApi;
  /**
   * Where alarm notifications are emailed (the `alarmEmail` context value: `cdk deploy -c
   * alarmEmail=oncall@example.org`). The address must confirm the subscription from the email AWS sends.
   * @default - no subscription: subscribe to the topic (output `AlarmTopicArn`) some other way
   */
  readonly email?: string;
}

/** Every alarm looks at five-minute windows: traffic is a few requests a minute at most. */
const PERIOD = Duration.minutes(5);

/**
 * A function's 99th-percentile duration above this share of its timeout means requests are close to
 * being cut off (imports and long reads first): worth a look before they are.
 */
export const DURATION_ALARM_SHARE_OF_TIMEOUT = 0.8;

/**
 * What someone on call is told about, through one SNS topic: per function, any error (a crash, a
 * timeout or a failed cold start: handled errors answer problem+json and count as API 5xx instead),
 * any throttle (the function's reserved concurrency was full, so a caller was refused), and a p99
 * duration above 80% of its timeout in two of three windows; for the API, any 5xx answer.
 *
 * The topic is encrypted with its own KMS key (rotated yearly), which CloudWatch may use to publish,
 * and refuses anything but TLS. Alarms go back to OK on their own, and say so too.
 */
export class ApiAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id);
    const { account, region } = Stack.of(this);

    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the API alarm notifications (no evidence data)',
      enableKeyRotation: true,
      // It protects only alarm messages in flight: nothing is lost with it.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch encrypts each notification it publishes to the topic with this key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'CLW learning API alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // Only this account's alarms may publish (no confused deputy).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: {
            'aws:SourceArn': `arn:${Stack.of(this).partition}:cloudwatch:${region}:${account}:alarm:*`,
          },
        },
      }),
    );
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));

    const action = new SnsAction(this.topic);
    const alarms: cloudwatch.Alarm[] = [];
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      alarms.push(created);
    };
    const atLeastOne = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    };

    for (const [name, fn] of Object.entries(props.functions) as [FunctionName, ApiFunction][]) {
      const prefix = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
      const timeoutMs = (fn.function.timeout ?? Duration.seconds(3)).toMilliseconds();
      alarm(`${prefix}Errors`, {
        ...atLeastOne,
        metric: fn.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        alarmDescription: `The ${name} function failed (crashed, timed out or could not start). Its log group has the request ids.`,
      });
      alarm(`${prefix}Throttles`, {
        ...atLeastOne,
        metric: fn.function.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        alarmDescription: `The ${name} function refused requests: its reserved concurrency was full (lib/api-limits.ts).`,
      });
      alarm(`${prefix}Duration`, {
        metric: fn.function.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99) }),
        threshold: Math.round(timeoutMs * DURATION_ALARM_SHARE_OF_TIMEOUT),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        alarmDescription: `The ${name} function's p99 duration is above 80% of its ${timeoutMs / 1000} s timeout: requests are close to being cut off.`,
      });
    }
    alarm('ApiServerErrors', {
      ...atLeastOne,
      metric: props.httpApi.metricServerError({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      alarmDescription:
        'The API answered 5xx: a handled failure (500), an import told to retry (503) or an integration error. The function logs have the error names.',
    });
    this.alarms = alarms;
  }
}
