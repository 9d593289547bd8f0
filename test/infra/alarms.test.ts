import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { DEFAULT_FUNCTION_LIMITS, FUNCTION_LIMITS, FUNCTION_NAMES } from '../../shared/routes';

interface CdkJson {
  readonly context?: Record<string, unknown>;
}

/** The app as `cdk synth` builds it (cdk.json's context, no bundling), with extra context values. */
function apiStack(context: Record<string, unknown> = {}) {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as CdkJson;
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } });
  const { api } = buildApp(app);
  return { api, template: Template.fromStack(api) };
}

interface Alarm {
  readonly Properties: {
    readonly MetricName?: string;
    readonly Namespace?: string;
    readonly Dimensions?: readonly { Name: string; Value: unknown }[];
    readonly Statistic?: string;
    readonly ExtendedStatistic?: string;
    readonly Threshold: number;
    readonly ComparisonOperator: string;
    readonly AlarmActions?: readonly unknown[];
    readonly OKActions?: readonly unknown[];
  };
}

const SYNTH_TIMEOUT_MS = 120_000;

describe('alarms', { timeout: SYNTH_TIMEOUT_MS }, () => {
  const { api, template } = apiStack();
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
  const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
  const logicalId = (element: unknown) => api.getLogicalId(element as CfnElement);

  it.each(FUNCTION_NAMES)(
    'watch the %s function for errors, throttles and a p99 duration above 80% of its timeout',
    (name) => {
      const fn = api.functions[name].function;
      const ofFunction = alarms.filter((alarm) =>
        alarm.Properties.Dimensions?.some(
          (d) =>
            d.Name === 'FunctionName' &&
            JSON.stringify(d.Value) === JSON.stringify({ Ref: logicalId(fn.node.defaultChild) }),
        ),
      );
      const timeoutMs = (FUNCTION_LIMITS[name] ?? DEFAULT_FUNCTION_LIMITS).timeoutSeconds * 1000;

      expect(
        ofFunction.map(({ Properties: p }) => [
          p.Namespace,
          p.MetricName,
          p.Statistic ?? p.ExtendedStatistic,
          p.Threshold,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['AWS/Lambda', 'Errors', 'Sum', 1],
          ['AWS/Lambda', 'Throttles', 'Sum', 1],
          ['AWS/Lambda', 'Duration', 'p99', timeoutMs * 0.8],
        ]),
      );
      expect(ofFunction).toHaveLength(3);
    },
  );

  it("watch the API's 5xx answers", () => {
    const api5xx = alarms.filter((alarm) => alarm.Properties.MetricName === '5xx');

    expect(api5xx).toHaveLength(1);
    expect(api5xx[0]?.Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(api.httpApi.node.defaultChild) } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('all notify one SNS topic, when they fire and when they clear', () => {
    expect(alarms).toHaveLength(FUNCTION_NAMES.length * 3 + 1);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('go to a topic encrypted with a rotated key that CloudWatch may use, which refuses anything but TLS', () => {
    const [[keyId, key] = []] = Object.entries(
      template.findResources('AWS::KMS::Key', {
        Properties: {
          KeyPolicy: {
            Statement: Match.arrayWith([
              Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
            ]),
          },
        },
      }),
    );

    expect(key).toMatchObject({ Properties: { EnableKeyRotation: true } });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': Match.anyValue() } }),
          }),
        ]),
      },
    });
  });

  it('email no one unless an address is given', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('email the address given as the alarmEmail context value', () => {
    const withEmail = apiStack({ alarmEmail: 'oncall@example.org' }).template;

    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.org',
      TopicArn: { Ref: Match.stringLikeRegexp('^AlarmsTopic') },
    });
  });
});
