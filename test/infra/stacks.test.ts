import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { TABLES } from '../../shared/adapters/tables';
import { ROLES } from '../../shared/domain/roles';
import { AUTH_PATHS, WEB_ROUTES } from '../../functions/web/pages';
import { FUNCTION_NAMES, ROUTE_LIST, routeKey } from '../../shared/routes';
import { testApp, testOutdir } from './test-app';

interface Resource<P> {
  readonly Type: string;
  readonly Properties: P;
  readonly DeletionPolicy?: string;
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
}

type Ref = { readonly Ref: string } | { readonly 'Fn::GetAtt': readonly [string, string] };

const { stateful, api, edge } = testApp();
const statefulTemplate = Template.fromStack(stateful);
const apiTemplate = Template.fromStack(api);

/** The resources of one type, as [logicalId, resource] pairs. */
function resources<P>(template: Template, type: string): [string, Resource<P>][] {
  return Object.entries(template.findResources(type)) as [string, Resource<P>][];
}

/** One resource by logical id; throws if the template has no such resource. */
function resource<P>(template: Template, id: string): Resource<P> {
  const found = (template.toJSON() as { Resources: Record<string, Resource<P> | undefined> }).Resources[id];
  if (!found) throw new Error(`The template has no resource ${id}`);
  return found;
}

/** The logical id of an L2 construct's CloudFormation resource. */
function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

const refTo = (ref: Ref): string => ('Ref' in ref ? ref.Ref : ref['Fn::GetAtt'][0]);
const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/** Every statement in every identity policy of the API stack, inline or attached. */
function apiPolicyStatements(): Statement[] {
  type PolicyDocument = { readonly Statement: readonly Statement[] };
  const attached = resources<{ PolicyDocument: PolicyDocument }>(apiTemplate, 'AWS::IAM::Policy').flatMap(
    ([, policy]) => policy.Properties.PolicyDocument.Statement,
  );
  const inline = resources<{ Policies?: { PolicyDocument: PolicyDocument }[] }>(
    apiTemplate,
    'AWS::IAM::Role',
  ).flatMap(([, role]) =>
    (role.Properties.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement),
  );
  return [...attached, ...inline];
}

describe('the stateful stack', () => {
  const keyArn = { 'Fn::GetAtt': [logicalId(stateful.dataKey), 'Arn'] };

  it('creates one table per definition, keyed as the definition says', () => {
    for (const [name, definition] of Object.entries(TABLES)) {
      const table = resource<{ KeySchema: unknown }>(
        statefulTemplate,
        logicalId(stateful.tables[name as keyof typeof TABLES]),
      );
      expect(table.Properties.KeySchema, name).toEqual([
        { AttributeName: definition.partitionKey, KeyType: 'HASH' },
        ...('sortKey' in definition ? [{ AttributeName: definition.sortKey, KeyType: 'RANGE' }] : []),
      ]);
    }
    statefulTemplate.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
  });

  it('gives every table point-in-time recovery, deletion protection and the customer-managed key', () => {
    statefulTemplate.allResourcesProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    });
  });

  it('expires idempotency records through DynamoDB TTL', () => {
    statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: TABLES.idempotency.partitionKey, KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: TABLES.idempotency.timeToLiveAttribute, Enabled: true },
    });
  });

  it('expires unanswered feedback links in the records table through DynamoDB TTL', () => {
    statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLES.records.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLES.records.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: TABLES.records.timeToLiveAttribute, Enabled: true },
    });
  });

  it('rotates the data key', () => {
    statefulTemplate.resourceCountIs('AWS::KMS::Key', 1);
    statefulTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('retains the key, every table, bucket and the secret if the stack is deleted', () => {
    for (const type of [
      'AWS::KMS::Key',
      'AWS::DynamoDB::Table',
      'AWS::S3::Bucket',
      'AWS::SecretsManager::Secret',
    ]) {
      const found = resources(statefulTemplate, type);
      expect(found.length, type).toBeGreaterThan(0);
      for (const [id, resource] of found) expect(resource.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('keeps the uploads and packs buckets private, versioned, KMS-encrypted and access-logged', () => {
    for (const bucket of [stateful.uploadsBucket, stateful.packsBucket]) {
      const properties = resource(statefulTemplate, logicalId(bucket)).Properties;
      expect(properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
            },
          ],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stateful.accessLogsBucket) } },
      });
    }
  });

  it('keeps access logs private and versioned, with S3-managed encryption, and expires them', () => {
    const properties = resource(statefulTemplate, logicalId(stateful.accessLogsBucket)).Properties;
    expect(properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: 365, Status: 'Enabled' })],
      },
    });
  });

  it('refuses plain-HTTP requests to every bucket', () => {
    const buckets = resources(statefulTemplate, 'AWS::S3::Bucket').map(([id]) => id);
    // Access logs, uploads, draft packs, published packs and the audit archive.
    expect(buckets).toHaveLength(5);
    for (const bucket of buckets) {
      statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucket },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('lets only S3 log delivery, from our own buckets, write access logs', () => {
    statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stateful.accessLogsBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith(
          [stateful.uploadsBucket, stateful.packsBucket].map((source) =>
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: Match.objectLike({
                ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(source), 'Arn'] } },
              }),
            }),
          ),
        ),
      },
    });
  });

  it('keeps published packs in a bucket of their own, under Object Lock in compliance mode', () => {
    const properties = resource(statefulTemplate, logicalId(stateful.publishedPacksBucket)).Properties;
    expect(properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 7 * 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stateful.accessLogsBucket) } },
    });
    // The drafts bucket keeps no lock: a draft that is never published can be deleted.
    expect(resource(statefulTemplate, logicalId(stateful.packsBucket)).Properties).not.toHaveProperty(
      'ObjectLockEnabled',
    );
  });

  it('generates a 64-character pseudonymisation key encrypted with the data key', () => {
    statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      KmsKeyId: keyArn,
    });
  });
});

describe('the API stack', () => {
  // Besides the API functions the stack holds the CDK's own handler that reads the web ACL's ARN
  // from us-east-1 (cross-region references); it serves no request.
  const apiFunctions = <P>(): [string, Resource<P>][] =>
    resources<P>(apiTemplate, 'AWS::Lambda::Function').filter(
      ([id]) => !id.startsWith('CustomCrossRegionExportReader'),
    );

  it('runs every function on nodejs22.x, ARM64, with explicit memory and timeout and active tracing', () => {
    const functions = apiFunctions<Record<string, unknown>>();
    // One per resource group, the pack builder and the import worker.
    expect(functions).toHaveLength(FUNCTION_NAMES.length + 2);
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: expect.any(Number) as unknown,
        Timeout: expect.any(Number) as unknown,
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives every function its own log group with a retention period', () => {
    const logGroups = new Set<string>();
    for (const [id, fn] of apiFunctions<{ LoggingConfig?: { LogGroup: Ref } }>()) {
      expect(fn.Properties.LoggingConfig, id).toBeDefined();
      const logGroup = refTo((fn.Properties.LoggingConfig as { LogGroup: Ref }).LogGroup);
      const group = resource<{ RetentionInDays?: number }>(apiTemplate, logGroup);
      expect(group.Type).toBe('AWS::Logs::LogGroup');
      expect(group.Properties.RetentionInDays, logGroup).toBeGreaterThan(0);
      logGroups.add(logGroup);
    }
    expect(logGroups.size).toBe(FUNCTION_NAMES.length + 2);
  });

  it('hands every function but the web pages the table names, the uploads bucket and the pseudonymisation secret', () => {
    const web = logicalId(api.functions.web.function);
    for (const [id, fn] of apiFunctions<{ Environment: unknown }>().filter(([id]) => id !== web)) {
      expect(fn.Properties.Environment, id).toMatchObject({
        Variables: {
          RECORDS_TABLE: expect.anything() as unknown,
          IDEMPOTENCY_TABLE: expect.anything() as unknown,
          AUDIT_TABLE: expect.anything() as unknown,
          PSEUDONYM_SECRET_ARN: expect.anything() as unknown,
          UPLOADS_BUCKET: expect.anything() as unknown,
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
    }
  });

  it('hands the web function the API, its session secret and the hosted sign-in, and none of the data', () => {
    const variables = resource<{ Environment: { Variables: Record<string, unknown> } }>(
      apiTemplate,
      logicalId(api.functions.web.function),
    ).Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        'NODE_OPTIONS',
        'POWERTOOLS_SERVICE_NAME',
        'WEB_API_URL',
        'WEB_CLIENT_ID',
        'WEB_COGNITO_DOMAIN',
        'WEB_ISSUER',
        'WEB_PUBLIC_URL',
        'WEB_SESSION_SECRET_ARN',
      ].sort(),
    );
    expect(JSON.stringify(variables.WEB_SESSION_SECRET_ARN)).toContain('WebSessionKey');
    expect(JSON.stringify(variables.WEB_API_URL)).toContain(logicalId(api.httpApi));
    expect(JSON.stringify(variables.WEB_CLIENT_ID)).toContain(logicalId(api.webPagesClient));
  });

  it("gives the web pages a Cognito app client with the code flow only, calling back to the site's own address", () => {
    const client = resource<Record<string, unknown>>(apiTemplate, logicalId(api.webPagesClient)).Properties;
    const distribution = logicalId(api.distribution);
    expect(client).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: expect.arrayContaining(['openid']) as unknown,
      SupportedIdentityProviders: ['COGNITO'],
      GenerateSecret: false,
      IdTokenValidity: 30,
    });
    expect(client.CallbackURLs).toEqual([
      { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, AUTH_PATHS.callback]] },
    ]);
    expect(client.LogoutURLs).toEqual([
      {
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, AUTH_PATHS.signedOut]],
      },
    ]);
    // No password flows: a browser only ever signs in on the hosted page.
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    apiTemplate.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('attaches no AWS managed policies to the function roles', () => {
    const functionRoles = FUNCTION_NAMES.map((name) => logicalId(api.functions[name].role));
    for (const id of functionRoles) {
      expect(
        resource<{ ManagedPolicyArns?: unknown }>(apiTemplate, id).Properties.ManagedPolicyArns,
        id,
      ).toBeUndefined();
    }
  });

  it('has one route per entry of the route table and per web page route, plus the $default catch-all', () => {
    const keys = resources<{ RouteKey: string }>(apiTemplate, 'AWS::ApiGatewayV2::Route').map(
      ([, route]) => route.Properties.RouteKey,
    );
    expect(keys.sort()).toEqual(
      [...ROUTE_LIST.map(routeKey), ...WEB_ROUTES.map(routeKey), '$default'].sort(),
    );
  });

  it('demands a Cognito JWT on exactly the routes that are not public, and on the $default catch-all', () => {
    const routes = resources<{ RouteKey: string; AuthorizationType: string }>(
      apiTemplate,
      'AWS::ApiGatewayV2::Route',
    );
    const authorization = Object.fromEntries(
      routes.map(([, r]) => [r.Properties.RouteKey, r.Properties.AuthorizationType]),
    );
    for (const route of ROUTE_LIST) {
      expect(authorization[routeKey(route)], routeKey(route)).toBe(
        route.access === 'public' ? 'NONE' : 'JWT',
      );
    }
    expect(authorization.$default).toBe('JWT');
    // Pages carry no bearer token: the web function checks its session cookie, then calls the API.
    for (const page of WEB_ROUTES) expect(authorization[routeKey(page)], routeKey(page)).toBe('NONE');
  });

  it("sends every route to the function the route table names, and $default to 'platform'", () => {
    const target = (routeKeyValue: string): string => {
      const [, route] = resources<{ RouteKey: string; Target: { 'Fn::Join': [string, [string, Ref]] } }>(
        apiTemplate,
        'AWS::ApiGatewayV2::Route',
      ).find(([, r]) => r.Properties.RouteKey === routeKeyValue) ?? [undefined, undefined];
      if (!route) throw new Error(`no route ${routeKeyValue}`);
      const integration = refTo(route.Properties.Target['Fn::Join'][1][1]);
      const uri = resource<{ IntegrationUri: Ref }>(apiTemplate, integration).Properties.IntegrationUri;
      return refTo(uri);
    };
    for (const route of ROUTE_LIST) {
      expect(target(routeKey(route)), routeKey(route)).toBe(logicalId(api.functions[route.fn].function));
    }
    expect(target('$default')).toBe(logicalId(api.functions.platform.function));
    for (const page of WEB_ROUTES) {
      expect(target(routeKey(page)), routeKey(page)).toBe(logicalId(api.functions.web.function));
    }
  });

  it("accepts only tokens issued by the user pool for the app client and the web pages' client", () => {
    apiTemplate.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(api.userPoolClient) }, { Ref: logicalId(api.webPagesClient) }],
        Issuer: {
          'Fn::Join': [
            '',
            ['https://cognito-idp.eu-west-2.amazonaws.com/', { Ref: logicalId(api.userPool) }],
          ],
        },
      },
    });
  });

  it('throttles the default stage and writes access logs without caller identity', () => {
    const stages = resources<{
      StageName: string;
      DefaultRouteSettings: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
      AccessLogSettings: { DestinationArn: Ref; Format: string };
    }>(apiTemplate, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = (stages[0] as (typeof stages)[number])[1].Properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);

    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
    for (const variable of Object.values(format)) {
      expect(variable).not.toMatch(/identity|authorizer|sourceIp|userAgent|path/i);
    }
    const logGroup = resource<{ RetentionInDays?: number }>(
      apiTemplate,
      refTo(stage.AccessLogSettings.DestinationArn),
    );
    expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('requires authenticator-app MFA and passwords of at least 14 characters, with no self sign-up', () => {
    const [[, pool] = []] = resources<{
      MfaConfiguration: string;
      EnabledMfas: string[];
      Policies: { PasswordPolicy: Record<string, unknown> & { MinimumLength: number } };
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: boolean };
    }>(apiTemplate, 'AWS::Cognito::UserPool');
    expect(pool?.Properties.MfaConfiguration).toBe('ON');
    expect(pool?.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool?.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(14);
    expect(pool?.Properties.Policies.PasswordPolicy).toMatchObject({
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool?.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
  });

  it('gives users a site attribute, so tokens can carry custom:site', () => {
    apiTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'site', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
  });

  it('creates one group per role', () => {
    const groups = resources<{ GroupName: string }>(apiTemplate, 'AWS::Cognito::UserPoolGroup').map(
      ([, group]) => group.Properties.GroupName,
    );
    expect(groups.sort()).toEqual([...ROLES].sort());
  });

  it('lets the app client sign in with SRP only, without a client secret', () => {
    apiTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('can only add entries to the audit table (and the admin function read them), and no wildcard grants', () => {
    const auditTable = logicalId(stateful.tables.audit);
    const statements = apiPolicyStatements();
    const onAudit = statements.filter((s) => JSON.stringify(s.Resource).includes(auditTable));
    const adminPolicy = logicalId(api.functions.admin.role.node.findChild('DefaultPolicy'));
    const adminStatements = resource<{ PolicyDocument: { Statement: Statement[] } }>(apiTemplate, adminPolicy)
      .Properties.PolicyDocument.Statement;

    expect(onAudit.length).toBeGreaterThan(0);
    for (const statement of onAudit) {
      expect(statement.Effect).toBe('Allow');
      expect(actionsOf(statement)).toEqual(
        adminStatements.some((a) => JSON.stringify(a) === JSON.stringify(statement))
          ? ['dynamodb:PutItem', 'dynamodb:Query']
          : ['dynamodb:PutItem'],
      );
    }
    for (const statement of statements) {
      expect(actionsOf(statement).filter((action) => action.includes('*'))).toEqual([]);
      if (JSON.stringify(statement.Resource).includes('*')) {
        expect(actionsOf(statement).filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
      }
    }
  });

  it('lets the platform function read the records table, one item at a time, and not write it', () => {
    const records = logicalId(stateful.tables.records);
    const policy = logicalId(api.functions.platform.role.node.findChild('DefaultPolicy'));
    const statements = resource<{ PolicyDocument: { Statement: Statement[] } }>(
      apiTemplate,
      policy,
    ).Properties.PolicyDocument.Statement.filter((s) => JSON.stringify(s.Resource).includes(records));
    expect(statements.flatMap(actionsOf)).toEqual(['dynamodb:GetItem']);
  });

  it('lets only the findings function use the uploads bucket, under incoming/, attachments/ and the older uploads/ only, using the data key through S3 only', () => {
    const policyOf = (fn: (typeof FUNCTION_NAMES)[number]): Statement[] =>
      resource<{ PolicyDocument: { Statement: Statement[] } }>(
        apiTemplate,
        logicalId(api.functions[fn].role.node.findChild('DefaultPolicy')),
      ).Properties.PolicyDocument.Statement;
    const findings = policyOf('findings');
    const onUploads = findings.filter((s) =>
      JSON.stringify(s.Resource).includes(logicalId(stateful.uploadsBucket)),
    );
    const viaS3 = findings.filter((s) => JSON.stringify(s).includes('s3.eu-west-2.amazonaws.com'));

    const byPrefix = Object.fromEntries(
      onUploads.map((s) => [
        (s.Resource as { 'Fn::Join': [string, [unknown, string]] })['Fn::Join'][1][1],
        actionsOf(s).sort(),
      ]),
    );
    expect(byPrefix).toEqual({
      '/incoming/*': [
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:GetObject',
        's3:GetObjectTagging',
        's3:PutObject',
      ],
      '/attachments/*': [
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:GetObject',
        's3:PutObject',
        's3:PutObjectTagging',
      ],
      '/uploads/*': ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject'],
    });
    expect(viaS3).toHaveLength(1);
    expect(viaS3[0]).toMatchObject({
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } },
    });
    expect(viaS3.flatMap(actionsOf).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(viaS3[0]?.Resource)).toContain(logicalId(stateful.dataKey));
    // The packs function's grants, on the packs buckets only, are checked below.
    const importFiles = policyOf('imports').filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(importFiles.map((s) => [JSON.stringify(s.Resource), actionsOf(s).sort()])).toEqual([
      [expect.stringContaining('/imports/*') as unknown, ['s3:GetObject', 's3:PutObject']],
    ]);
    for (const other of FUNCTION_NAMES.filter(
      (name) => name !== 'findings' && name !== 'packs' && name !== 'imports',
    )) {
      expect(
        policyOf(other)
          .flatMap(actionsOf)
          .filter((action) => action.startsWith('s3:')),
        other,
      ).toEqual([]);
    }
    // Granted on the role, not by adding it to the key policy (a reference back into the stateful stack).
    expect(JSON.stringify(resource(statefulTemplate, logicalId(stateful.dataKey)))).not.toContain('Findings');
  });

  it('outputs the API URL (CloudFront), the origin URL and the user pool and client ids', () => {
    for (const output of ['ApiUrl', 'ApiOriginUrl', 'UserPoolId', 'UserPoolClientId']) {
      apiTemplate.hasOutput(output, {});
    }
    apiTemplate.hasOutput('ApiUrl', {
      Value: {
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(api.distribution), 'DomainName'] }]],
      },
    });
  });

  it('keeps the packs function and the builder to their own prefixes of the packs buckets', () => {
    const statementsOf = (construct: IConstruct): Statement[] =>
      resource<{ PolicyDocument: { Statement: Statement[] } }>(
        apiTemplate,
        logicalId(construct.node.findChild('DefaultPolicy')),
      ).Properties.PolicyDocument.Statement;
    const s3Grants = (statements: Statement[]) =>
      statements
        .filter((s) => actionsOf(s).some((action) => action.startsWith('s3:')))
        .map((s) => ({
          actions: actionsOf(s).sort(),
          resource: JSON.stringify(s.Resource),
        }));
    const drafts = logicalId(stateful.packsBucket);
    const published = logicalId(stateful.publishedPacksBucket);

    const summarise = (grants: { actions: string[]; resource: string }[]) =>
      grants.map((g) => {
        const bucket = g.resource.includes(drafts)
          ? 'drafts bucket'
          : g.resource.includes(published)
            ? 'published bucket'
            : '?';
        return `${g.actions.join(' ')} on ${bucket} ${/\/(drafts|published)\/\*/.exec(g.resource)?.[0] ?? g.resource}`;
      });

    expect(summarise(s3Grants(statementsOf(api.functions.packs.role))).sort()).toEqual([
      's3:GetObject on drafts bucket /drafts/*',
      's3:GetObject s3:PutObject on published bucket /published/*',
    ]);
    expect(summarise(s3Grants(statementsOf(api.packs.builder.role)))).toEqual([
      's3:PutObject on drafts bucket /drafts/*',
    ]);
  });

  it('lets only the packs function invoke a function, the pack builder, and the imports function the import worker', () => {
    const invokes = apiPolicyStatements().filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    expect(invokes.map((s) => s.Resource)).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [logicalId(api.packs.builder.function), 'Arn'] },
        { 'Fn::GetAtt': [logicalId(api.imports.worker.function), 'Arn'] },
      ]),
    );
    expect(invokes).toHaveLength(2);
    const importsPolicy = JSON.stringify(
      resource(apiTemplate, logicalId(api.functions.imports.role.node.findChild('DefaultPolicy'))),
    );
    expect(importsPolicy).toContain(logicalId(api.imports.worker.function));
    const packsPolicy = JSON.stringify(
      resource(apiTemplate, logicalId(api.functions.packs.role.node.findChild('DefaultPolicy'))),
    );
    expect(packsPolicy).toContain('lambda:InvokeFunction');
    apiTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PACK_BUILDER_FUNCTION: { Ref: logicalId(api.packs.builder.function) },
          PACKS_BUCKET: Match.anyValue(),
          PUBLISHED_PACKS_BUCKET: Match.anyValue(),
        }),
      },
    });
  });

  it('sends an import Lambda gave up on to an encrypted queue that the worker reads back to fail the job', () => {
    const worker = logicalId(api.imports.worker.function);
    const queue = logicalId(api.imports.failedImports);
    apiTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: worker },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    apiTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: worker },
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const properties = resource<{ SqsManagedSseEnabled?: boolean; VisibilityTimeout?: number }>(
      apiTemplate,
      queue,
    ).Properties;
    const timeout = resource<{ Timeout: number }>(apiTemplate, worker).Properties.Timeout;
    expect(properties.SqsManagedSseEnabled).toBe(true);
    expect(properties.VisibilityTimeout).toBeGreaterThanOrEqual(timeout);
  });

  it('sends a build Lambda gave up on to an encrypted on-failure queue', () => {
    apiTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(api.packs.builder.function) },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(api.packs.failedBuilds), 'Arn'] } },
      },
    });
    const queue = resource<{ SqsManagedSseEnabled?: boolean }>(
      apiTemplate,
      logicalId(api.packs.failedBuilds),
    );
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const builder = resource<{ Timeout: number; MemorySize: number }>(
      apiTemplate,
      logicalId(api.packs.builder.function),
    );
    expect(builder.Properties).toMatchObject({ Timeout: 120, MemorySize: 1024 });
  });
});

describe('buildApp', () => {
  it('puts the data and API stacks in eu-west-2 unless told otherwise, and only the web ACL in us-east-1', () => {
    expect([stateful.region, api.region]).toEqual(['eu-west-2', 'eu-west-2']);
    expect(edge.region).toBe('us-east-1');
  });

  it('refuses a region outside the EU', () => {
    const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => buildApp(app, { region: 'us-east-1' })).toThrow(/us-east-1.*EU/);
  });
});
