import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { FUNCTION_CAPACITY } from '../../lib/api-limits';
import { TOKEN_VALIDITY } from '../../lib/api-stack';
import { AUDIT_ARCHIVE_RETENTION_DAYS } from '../../lib/audit-archive';
import { WAF_MANAGED_RULE_GROUPS } from '../../lib/edge-stack';
import { STACK_NAMES } from '../../lib/names';
import { NONCURRENT_VERSION_DAYS, UNATTACHED_UPLOAD_DAYS } from '../../lib/stateful-stack';
import { WEB_ROUTES } from '../../functions/web/pages';
import { FUNCTION_NAMES, type FunctionName, ROUTE_LIST, routeKey } from '../../shared/routes';
import { testApp } from './test-app';

/**
 * The infrastructure findings of the security review, each asserted on the synthesised templates
 * (AWS itself cannot be exercised here).
 */

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}
interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
}

const { stateful, api, edge } = testApp();
const templates = {
  stateful: Template.fromStack(stateful),
  api: Template.fromStack(api),
  edge: Template.fromStack(edge),
};

const all = (template: Template): Record<string, Resource> =>
  (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
const ofType = (template: Template, type: string): [string, Resource][] =>
  Object.entries(all(template)).filter(([, r]) => r.Type === type);
const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
const json = (value: unknown): string => JSON.stringify(value);

/** Every statement of one function's role policy. */
function roleStatements(fn: FunctionName): Statement[] {
  const policy = all(templates.api)[logicalId(api.functions[fn].role.node.findChild('DefaultPolicy'))];
  return (policy?.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

function bucketPolicy(bucket: IConstruct): Statement[] {
  const [, policy] =
    ofType(templates.stateful, 'AWS::S3::BucketPolicy').find(
      ([, p]) => json(p.Properties.Bucket) === json({ Ref: logicalId(bucket) }),
    ) ?? [];
  if (!policy) throw new Error(`no policy for ${bucket.node.path}`);
  return (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

/** Does an IAM `ArnLike` pattern (only `*` wildcards) match this ARN? */
const arnLike = (pattern: string, arn: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(arn);

/** A pattern from a policy with the account token made concrete, as IAM would see it. */
const withAccount = (value: unknown): string =>
  json(value).includes('Fn::Join')
    ? (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
        .map((part) => (typeof part === 'string' ? part : '123456789012'))
        .join('')
    : String(value);

describe.each([
  ['app client', 0],
  ["web pages' client", 1],
] as const)('Cognito (%s): users cannot change their site, and tokens are short-lived', (_, index) => {
  const clients = ofType(templates.api, 'AWS::Cognito::UserPoolClient');
  const props = clients[index]?.[1].Properties ?? {};

  it('is one of the two clients of the pool', () => {
    expect(clients).toHaveLength(2);
  });

  it('lists the attributes a user may write, so Cognito does not default to all of them', () => {
    // An absent WriteAttributes means every mutable attribute, custom:site included, is writable.
    expect(props.WriteAttributes).toEqual(expect.any(Array));
    const writable = props.WriteAttributes as string[];
    expect(writable.length).toBeGreaterThan(0);
    expect(writable.filter((name) => name.startsWith('custom:'))).toEqual([]);
    expect(writable).not.toContain('email');
  });

  it('issues ID and access tokens for 30 minutes and refresh tokens for 12 hours', () => {
    expect(props).toMatchObject({
      IdTokenValidity: TOKEN_VALIDITY.idToken.toMinutes(),
      AccessTokenValidity: TOKEN_VALIDITY.accessToken.toMinutes(),
      RefreshTokenValidity: TOKEN_VALIDITY.refreshToken.toMinutes(),
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
    });
    expect(TOKEN_VALIDITY.idToken.toMinutes()).toBeLessThan(60);
    expect(TOKEN_VALIDITY.refreshToken.toHours()).toBeLessThanOrEqual(24);
  });
});

describe('limits per route and per function', () => {
  const [[, stage] = []] = ofType(templates.api, 'AWS::ApiGatewayV2::Stage');
  const settings = (stage?.Properties.RouteSettings ?? {}) as Record<
    string,
    { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
  >;
  const rate = (operationId: string): number => {
    const route = ROUTE_LIST.find((r) => r.operationId === operationId);
    if (!route) throw new Error(operationId);
    return settings[routeKey(route)]?.ThrottlingRateLimit ?? Number.NaN;
  };

  it('throttles every route of the route table and every web page route on its own', () => {
    expect(Object.keys(settings).sort()).toEqual([...ROUTE_LIST, ...WEB_ROUTES].map(routeKey).sort());
    for (const [key, throttle] of Object.entries(settings)) {
      expect(throttle.ThrottlingRateLimit, key).toBeGreaterThan(0);
      expect(throttle.ThrottlingBurstLimit, key).toBeGreaterThanOrEqual(throttle.ThrottlingRateLimit);
    }
  });

  it('gives imports and interviews a tenth of what check-ins get, or less', () => {
    for (const slow of ['importCsv', 'submitInterview', 'createUpload']) {
      expect(rate(slow) * 10, slow).toBeLessThanOrEqual(rate('submitWellbeingPulse'));
    }
  });

  it('creates the stage after every route its settings name', () => {
    const routeIds = ofType(templates.api, 'AWS::ApiGatewayV2::Route').map(([id]) => id);
    expect(stage?.DependsOn ?? []).toEqual(expect.arrayContaining(routeIds));
  });

  it('reserves (and so caps) concurrency for every function, leaving the account its 100 unreserved', () => {
    const reserved = ofType(templates.api, 'AWS::Lambda::Function')
      .filter(([id]) => FUNCTION_NAMES.some((name) => id === logicalId(api.functions[name].function)))
      .map(([, fn]) => fn.Properties.ReservedConcurrentExecutions as number);
    expect(reserved).toHaveLength(FUNCTION_NAMES.length);
    for (const value of reserved) expect(value).toBeGreaterThan(0);
    expect(reserved.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(900);
    expect(FUNCTION_CAPACITY.imports.reservedConcurrency).toBeLessThan(
      FUNCTION_CAPACITY.wellbeing.reservedConcurrency,
    );
  });
});

describe('CloudFront and AWS WAF in front of the API', () => {
  const [[, webAcl] = []] = ofType(templates.edge, 'AWS::WAFv2::WebACL');
  const rules = (webAcl?.Properties.Rules ?? []) as {
    Name: string;
    Statement: Record<string, { Name?: string; Limit?: number; AggregateKeyType?: string }>;
    Action?: Record<string, unknown>;
    VisibilityConfig: { SampledRequestsEnabled: boolean };
  }[];
  const [[, distribution] = []] = ofType(templates.api, 'AWS::CloudFront::Distribution');
  const config = (distribution?.Properties.DistributionConfig ?? {}) as {
    WebACLId: unknown;
    Origins: { DomainName: unknown; CustomOriginConfig: Record<string, unknown> }[];
    DefaultCacheBehavior: Record<string, unknown>;
  };

  it('keeps the web ACL, and nothing that holds data, in us-east-1', () => {
    expect(edge.region).toBe('us-east-1');
    expect(webAcl?.Properties.Scope).toBe('CLOUDFRONT');
    const types = new Set(Object.values(all(templates.edge)).map((r) => r.Type));
    for (const type of types)
      expect(type).not.toMatch(/DynamoDB|S3::Bucket|Logs::LogGroup|SecretsManager|KMS/);
  });

  it('runs the common, known-bad-inputs and IP reputation rule groups and blocks by rate per address', () => {
    const managed = rules.flatMap((rule) => rule.Statement.ManagedRuleGroupStatement?.Name ?? []);
    expect(managed).toEqual([...WAF_MANAGED_RULE_GROUPS]);
    expect(managed).toEqual(
      expect.arrayContaining([
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesAmazonIpReputationList',
      ]),
    );
    const rate = rules.find((rule) => rule.Statement.RateBasedStatement);
    expect(rate?.Action).toEqual({ Block: {} });
    expect(rate?.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP' });
  });

  it('keeps no sampled requests (with their bearer tokens) outside the EU', () => {
    expect(webAcl?.Properties.VisibilityConfig).toMatchObject({ SampledRequestsEnabled: false });
    for (const rule of rules) expect(rule.VisibilityConfig.SampledRequestsEnabled, rule.Name).toBe(false);
  });

  it('puts the distribution in front of the HTTP API with the web ACL, over HTTPS only and uncached', () => {
    expect(json(config.WebACLId)).toContain('ApiWebAcl');
    expect(json(config.Origins[0]?.DomainName)).toContain(logicalId(api.httpApi));
    expect(config.Origins[0]?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      // The managed CachingDisabled and AllViewerExceptHostHeader policies.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
  });
});

describe('the uploads bucket', () => {
  const uploads = all(templates.stateful)[logicalId(stateful.uploadsBucket)];
  const policy = bucketPolicy(stateful.uploadsBucket);
  const scannerArn = { 'Fn::GetAtt': [logicalId(stateful.malwareProtection.role), 'Arn'] };

  it('is scanned by GuardDuty Malware Protection where uploads land, which tags each object', () => {
    const [[, plan] = []] = ofType(templates.stateful, 'AWS::GuardDuty::MalwareProtectionPlan');
    expect(plan?.Properties).toEqual({
      Role: scannerArn,
      ProtectedResource: {
        S3Bucket: { BucketName: { Ref: logicalId(stateful.uploadsBucket) }, ObjectPrefixes: ['incoming/'] },
      },
      Actions: { Tagging: { Status: 'ENABLED' } },
    });
  });

  it('lets nobody but the scanner read an object GuardDuty has not tagged clean', () => {
    const deny = policy.find((s) => s.Effect === 'Deny' && actionsOf(s).includes('s3:GetObject'));
    expect(deny?.Condition).toEqual({
      StringNotEquals: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'NO_THREATS_FOUND' },
      ArnNotEquals: { 'aws:PrincipalArn': scannerArn },
    });
    expect(deny?.Principal).toEqual({ AWS: '*' });
  });

  it('expires unattached uploads, malicious objects, the quarantine and old versions', () => {
    const rules = (uploads?.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Prefix: 'incoming/',
          ExpirationInDays: UNATTACHED_UPLOAD_DAYS,
          Status: 'Enabled',
        }),
        expect.objectContaining({ Prefix: 'quarantine/', Status: 'Enabled' }),
        expect.objectContaining({
          TagFilters: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'THREATS_FOUND' }],
          Status: 'Enabled',
        }),
        expect.objectContaining({
          NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSION_DAYS },
          ExpiredObjectDeleteMarker: true,
          Status: 'Enabled',
        }),
      ]),
    );
  });

  it('denies everyone in the account but the findings function, the scanner, deployment and root', () => {
    const deny = policy.find(
      (s) => s.Effect === 'Deny' && json(s.Action) === '"s3:*"' && s.Condition?.ArnNotLike,
    );
    const allowed = (deny?.Condition?.ArnNotLike?.['aws:PrincipalArn'] as unknown[]).map(withAccount);
    const matches = (arn: string): boolean => allowed.some((pattern) => arnLike(pattern, arn));
    const role = (fn: FunctionName): string =>
      `arn:aws:iam::123456789012:role/${api.stackName}-${logicalId(api.functions[fn].role)}-AB12CD34EF56`;

    expect(matches(role('findings'))).toBe(true);
    for (const other of FUNCTION_NAMES.filter((name) => name !== 'findings'))
      expect(matches(role(other)), other).toBe(false);
    expect(matches('arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-2')).toBe(
      true,
    );
    expect(matches('arn:aws:iam::123456789012:root')).toBe(true);
    expect(matches('arn:aws:iam::123456789012:role/Admin')).toBe(false);
    expect(json(deny?.Condition?.ArnNotLike)).toContain(logicalId(stateful.malwareProtection.role));
  });

  it('keeps every API function out of the quarantine prefix', () => {
    const deny = policy.find((s) => s.Effect === 'Deny' && json(s.Resource).includes('/quarantine/*'));
    const pattern = withAccount(deny?.Condition?.ArnLike?.['aws:PrincipalArn']);
    for (const fn of FUNCTION_NAMES) {
      expect(
        arnLike(
          pattern,
          `arn:aws:iam::123456789012:role/${api.stackName}-${logicalId(api.functions[fn].role)}-X`,
        ),
      ).toBe(true);
    }
  });

  it('names API roles in a way CloudFormation will not truncate, so the name patterns hold', () => {
    expect(api.stackName).toBe(STACK_NAMES.api);
    for (const fn of FUNCTION_NAMES) {
      const id = logicalId(api.functions[fn].role);
      expect(id.startsWith(`${fn.charAt(0).toUpperCase()}${fn.slice(1)}FunctionRole`)).toBe(true);
      // <stack>-<logical id>-<12-character suffix> must fit IAM's 64 characters untruncated.
      expect(api.stackName.length + id.length + 14, id).toBeLessThanOrEqual(64);
    }
  });
});

describe('the data key policy', () => {
  const [[, key] = []] = ofType(templates.stateful, 'AWS::KMS::Key');
  const statements = (key?.Properties.KeyPolicy as { Statement: Statement[] }).Statement;
  const crypto = /^kms:(\*|Decrypt|Encrypt|GenerateDataKey|ReEncrypt|CreateGrant)/;

  it('lets nobody encrypt, decrypt or create grants without being a named role acting through a data service', () => {
    const using = statements.filter((s) => actionsOf(s).some((action) => crypto.test(action)));
    expect(using.length).toBeGreaterThan(0);
    for (const statement of using) {
      const viaService = statement.Condition?.StringEquals?.['kms:ViaService'] as string[];
      expect(viaService.sort(), statement.Sid).toEqual(
        ['dynamodb', 's3', 'secretsmanager'].map((s) => `${s}.eu-west-2.amazonaws.com`),
      );
      const roles = (statement.Condition?.ArnLike?.['aws:PrincipalArn'] as unknown[]).map(withAccount);
      expect(roles, statement.Sid).toContain(`arn:aws:iam::123456789012:role/${STACK_NAMES.api}-*`);
      // Role ARNs and role-name patterns only: never a user, the root or the whole account.
      for (const role of statement.Condition?.ArnLike?.['aws:PrincipalArn'] as unknown[]) {
        if (typeof role === 'object' && role !== null && 'Fn::GetAtt' in role) {
          const [id] = (role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'];
          expect(all(templates.stateful)[id]?.Type, statement.Sid).toBe('AWS::IAM::Role');
        } else {
          expect(withAccount(role), statement.Sid).toMatch(/^arn:aws:iam::123456789012:role\/./);
        }
      }
    }
  });

  it('keeps the account able to administer the key (so it cannot be locked out), but not use it', () => {
    const admin = statements.find((s) => s.Sid === 'AdministrationOnlyByTheAccount');
    expect(json(admin?.Principal)).toContain(':root');
    expect(admin?.Condition).toBeUndefined();
    expect(actionsOf(admin as Statement)).toEqual(
      expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion']),
    );
    expect(
      actionsOf(admin as Statement).filter((action) => crypto.test(action) || action.includes('*')),
    ).toEqual([]);
  });
});

describe('the audit archive', () => {
  const resources = all(templates.stateful);
  const archive = stateful.auditArchive;

  it('streams every change of the audit table, through Kinesis and Firehose, to the archive bucket', () => {
    expect(resources[logicalId(stateful.tables.audit)]?.Properties.KinesisStreamSpecification).toEqual({
      StreamArn: { 'Fn::GetAtt': [logicalId(archive.stream), 'Arn'] },
    });
    const delivery = resources[logicalId(archive.deliveryStream)]?.Properties as {
      KinesisStreamSourceConfiguration: { KinesisStreamARN: unknown };
      ExtendedS3DestinationConfiguration: { BucketARN: unknown };
    };
    expect(delivery.KinesisStreamSourceConfiguration.KinesisStreamARN).toEqual({
      'Fn::GetAtt': [logicalId(archive.stream), 'Arn'],
    });
    expect(delivery.ExtendedS3DestinationConfiguration.BucketARN).toEqual({
      'Fn::GetAtt': [logicalId(archive.bucket), 'Arn'],
    });
  });

  it('locks every archived object in compliance mode', () => {
    expect(resources[logicalId(archive.bucket)]?.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: AUDIT_ARCHIVE_RETENTION_DAYS } },
      },
    });
  });

  it('lets only the delivery role write to the archive, and nobody delete from it', () => {
    const policy = bucketPolicy(archive.bucket);
    const put = policy.find((s) => s.Effect === 'Deny' && actionsOf(s).includes('s3:PutObject'));
    expect(put?.Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [logicalId(archive.deliveryRole), 'Arn'] } },
    });
    const deletes = policy.find(
      (s) => s.Effect === 'Deny' && actionsOf(s).includes('s3:DeleteObjectVersion'),
    );
    expect(deletes?.Condition).toBeUndefined();
    expect(actionsOf(deletes as Statement)).toEqual(
      expect.arrayContaining(['s3:DeleteObject', 's3:PutObjectRetention']),
    );
  });

  it('gives no API function any permission on the archive bucket or its stream', () => {
    const apiJson = json(templates.api.toJSON());
    for (const construct of [archive.bucket, archive.stream, archive.deliveryStream]) {
      expect(apiJson).not.toContain(logicalId(construct));
    }
  });
});

describe('DynamoDB grants narrowed to each function’s own partition keys', () => {
  const dynamoStatements = (fn: FunctionName): Statement[] =>
    roleStatements(fn).filter((s) => actionsOf(s).some((action) => action.startsWith('dynamodb:')));
  const keysOn = (fn: FunctionName, table: IConstruct): string[] =>
    dynamoStatements(fn)
      .filter((s) => json(s.Resource).includes(logicalId(table)))
      .flatMap((s) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[]);

  it('gives the web function no table, bucket or key of the data: only its session secret', () => {
    const statements = roleStatements('web');
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((action) => /^(dynamodb|s3):/.test(action))).toEqual([]);
    const secrets = statements.filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
    expect(secrets.map((s) => json(s.Resource))).toEqual([expect.stringContaining('WebSessionKey')]);
  });

  it('conditions every DynamoDB grant of every function on dynamodb:LeadingKeys', () => {
    for (const fn of FUNCTION_NAMES.filter((name) => name !== 'web')) {
      const statements = dynamoStatements(fn);
      expect(statements.length, fn).toBeGreaterThan(0);
      for (const statement of statements) {
        const keys = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
        expect(keys, fn).toEqual(expect.any(Array));
        expect((keys as string[]).length, fn).toBeGreaterThan(0);
        expect(keys, fn).not.toContain('*');
      }
    }
  });

  it('keeps each function to its own streams in the records table', () => {
    const records = stateful.tables.records;
    expect(keysOn('platform', records)).toEqual(['PROGRAMME']);
    expect(keysOn('wellbeing', records).sort()).toEqual(['PROGRAMME', 'PULSE#*']);
    expect(keysOn('participants', records).sort()).toEqual(['CAPITAL#*', 'FOLLOWUP#*', 'PROGRAMME']);
    expect(keysOn('imports', records)).toContain('FOLLOWUP#*');
    expect(keysOn('engagement', records)).not.toContain('FOLLOWUP#*');
    expect(keysOn('engagement', records)).not.toContain('CAPITAL#*');
    expect(keysOn('findings', records)).toContain('INTERVIEW#*');
  });

  it('lets every function read the tombstones of erased requests, and only the participants function write them', () => {
    const tombstoneActions = (fn: FunctionName) =>
      dynamoStatements(fn)
        .filter(
          (s) =>
            json(s.Resource).includes(logicalId(stateful.tables.idempotency)) &&
            json(s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']) === json(['ERASED#*']),
        )
        .flatMap(actionsOf);
    expect(tombstoneActions('participants').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    for (const fn of ['wellbeing', 'referrals', 'findings', 'engagement', 'imports'] as const) {
      expect(tombstoneActions(fn), fn).toEqual(['dynamodb:GetItem']);
    }
    expect(tombstoneActions('platform')).toEqual([]);
  });

  it('lets the findings function delete interview findings, and nothing else of the records table', () => {
    const deletes = dynamoStatements('findings').filter(
      (s) =>
        json(s.Resource).includes(logicalId(stateful.tables.records)) &&
        actionsOf(s).includes('dynamodb:DeleteItem'),
    );
    expect(deletes.map((s) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'])).toEqual([
      ['INTERVIEW#*'],
    ]);
  });

  it('keeps each function to the Idempotency-Key records of its own routes, and the audit log to AUDIT# partitions', () => {
    expect(keysOn('wellbeing', stateful.tables.idempotency)).toEqual([
      '*#submitWellbeingPulse#*',
      '*#wellbeingSummary#*',
      'ERASED#*',
    ]);
    expect(keysOn('imports', stateful.tables.idempotency)).toEqual(['*#importCsv#*', 'ERASED#*']);
    for (const fn of FUNCTION_NAMES.filter((name) => name !== 'platform' && name !== 'web')) {
      expect(keysOn(fn, stateful.tables.audit), fn).toEqual(['AUDIT#*']);
    }
  });
});
