import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { TABLES } from '../shared/adapters/tables';
import { ROLES } from '../shared/domain/roles';
import {
  DEFAULT_FUNCTION_LIMITS,
  FUNCTION_LIMITS,
  FUNCTION_NAMES,
  type FunctionName,
  ROUTE_LIST,
} from '../shared/routes';
import { ApiFunction } from './api-function';
import { PackFunctions } from './packs';
import type { DataTables, StatefulResources } from './stateful-stack';

export interface ApiStackProps extends StackProps {
  /** The key, tables, buckets and secret from the stateful stack. */
  readonly data: StatefulResources;
}

type DynamoAction =
  'dynamodb:GetItem' | 'dynamodb:Query' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem';

/** What one function may do to each table; a table left out is not reachable at all. */
type TableAccess = {
  readonly [K in Exclude<keyof DataTables, 'audit'>]?: readonly DynamoAction[];
} & {
  /** The audit log is append-only: the type allows adding an entry and reading, nothing else. */
  readonly audit?: readonly ('dynamodb:PutItem' | 'dynamodb:Query')[];
};

/** `shared/adapters/idempotency-store.ts`: begin (Put, then Get on a clash), complete (Update), release (Delete). */
const IDEMPOTENCY_ACCESS: readonly DynamoAction[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/**
 * Least privilege, function by function, from what each handler's adapters actually call. A
 * `TransactWriteItems` needs no action of its own: IAM checks each Put inside it as a `PutItem`.
 */
const DATA_ACCESS: Record<FunctionName, TableAccess> = {
  // The programme state is one GetItem; the rest is static reference data. No POST routes, so no
  // Idempotency-Key records either.
  platform: { records: ['dynamodb:GetItem'] },
  // Pausing or resuming writes the programme item with its audit entry; the audit log is read by
  // day (Query). No function can update or delete an audit entry.
  admin: {
    records: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    audit: ['dynamodb:PutItem', 'dynamodb:Query'],
  },
  // Programme state (GetItem), check-ins written with their audit entry (Put) and read by site (Query).
  wellbeing: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Each function below reads the programme state (GetItem) for the pause check on submissions.
  // Each referral barrier report written with its audit entry (one conditional Put each).
  referrals: {
    records: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Themes read as one Query and added with a conditional Put, an Update of their area's counter and
  // the audit entry (one transaction); interview findings written with their audit entry (Puts) and
  // read by key (GetItem); an upload's audit entry is a lone Put.
  findings: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Summaries read by key (GetItem) and by site (Query); a check, its summary, audit entry and
  // idempotency link written together (Puts in one transaction); erasure queries a participant's
  // items and deletes them (Delete in a transaction), and deletes the Idempotency-Key copies of
  // responses about them (DeleteItem, in IDEMPOTENCY_ACCESS).
  participants: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Returns, and resources with their name guard, written with their audit entry (conditional Puts);
  // the resource map read by site (Query).
  engagement: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Programme state (GetItem); what is stored already (Query: summaries, returns, themes); the rows in
  // transactions of Puts, undone with Puts and Deletes if any part fails; one audit entry per import.
  imports: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Packs, series, ledger and policy versions read by key and by partition; a build request and a
  // policy version written as new items (Put), every later step an Update of the pack in a
  // transaction with the series and ledger items (Put) and its audit entry; downloads add an entry.
  packs: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
};

/**
 * What a function may do to objects under `uploads/` in the uploads bucket. `findings` presigns
 * attachment PUTs, which S3 authorises against the function's role when the URL is used
 * (`s3:PutObject`), and checks an attachment is there with HeadObject, which IAM authorises as
 * `s3:GetObject`. No `s3:ListBucket`: a HEAD of a missing key then answers 403 rather than 404,
 * which the adapter treats the same.
 */
const UPLOADS_ACCESS: Partial<Record<FunctionName, readonly ('s3:PutObject' | 's3:GetObject')[]>> = {
  findings: ['s3:PutObject', 's3:GetObject'],
};

const capitalise = (word: string): string => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;

/**
 * The stateless half: the Cognito user pool, the HTTP API with its JWT authorizer, and one Lambda
 * function per resource group. Every route comes from `shared/routes.ts`, so the deployed API, the
 * local adapter and the OpenAPI document cannot disagree.
 */
export class ApiStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly httpApi: HttpApi;
  readonly functions: Readonly<Record<FunctionName, ApiFunction>>;
  /** The pack builder and its on-failure queue. */
  readonly packs: PackFunctions;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data } = props;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are created by admins for named staff at the early-testing sites, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: cognito.Mfa.REQUIRED,
      // Authenticator apps only: SMS codes can be intercepted by SIM swap.
      mfaSecondFactor: { sms: false, otp: true },
      customAttributes: {
        // Arrives in tokens as `custom:site`; scopes provider and practitioner users to their site.
        site: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
      },
      // Plus brings threat protection: compromised-credential checks and adaptive authentication.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      // The pool holds the users' accounts and MFA enrolments: losing it locks everyone out.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `${capitalise(role)}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `Users with the ${role} role`,
      });
    }

    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // No hosted UI: without this the CDK turns on OAuth flows with a placeholder callback URL.
      disableOAuth: true,
      preventUserExistenceErrors: true,
    });

    const functionEnvironment: Record<string, string> = {
      [TABLES.records.env]: data.tables.records.tableName,
      [TABLES.idempotency.env]: data.tables.idempotency.tableName,
      [TABLES.audit.env]: data.tables.audit.tableName,
      PSEUDONYM_SECRET_ARN: data.pseudonymSecret.secretArn,
      UPLOADS_BUCKET: data.uploadsBucket.bucketName,
    };

    const functions = {} as Record<FunctionName, ApiFunction>;
    for (const name of FUNCTION_NAMES) {
      const fn = new ApiFunction(this, `${capitalise(name)}Function`, {
        name,
        environment: functionEnvironment,
        memorySize: (FUNCTION_LIMITS[name] ?? DEFAULT_FUNCTION_LIMITS).memoryMb,
        timeout: Duration.seconds((FUNCTION_LIMITS[name] ?? DEFAULT_FUNCTION_LIMITS).timeoutSeconds),
      });
      this.grantDataAccess(fn, data, DATA_ACCESS[name]);
      this.grantPseudonymKeyRead(fn, data);
      this.grantUploadsAccess(fn, data, UPLOADS_ACCESS[name] ?? []);
      functions[name] = fn;
    }
    this.functions = functions;
    const packsEnvironment = {
      PACKS_BUCKET: data.packsBucket.bucketName,
      PUBLISHED_PACKS_BUCKET: data.publishedPacksBucket.bucketName,
    };
    for (const [name, value] of Object.entries(packsEnvironment))
      functions.packs.function.addEnvironment(name, value);
    this.packs = new PackFunctions(this, 'Packs', {
      data,
      packsFunction: functions.packs,
      environment: { ...functionEnvironment, ...packsEnvironment },
      grantData: (fn, access) => {
        this.grantDataAccess(fn, data, access);
      },
      grantPseudonymKeyRead: (fn) => {
        this.grantPseudonymKeyRead(fn, data);
      },
    });

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'CLW early-testing learning API',
      // The default stage is added below with throttling and access logging, which the built-in one lacks.
      createDefaultStage: false,
    });

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.SIX_MONTHS,
    });
    const stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No source IP, user agent or caller identity: the log answers "what failed, how slowly",
        // never "who asked".
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLatency: '$context.responseLatency',
            integrationErrorMessage: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer(
      'CognitoJwt',
      `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`,
      { jwtAudience: [this.userPoolClient.userPoolClientId] },
    );
    const integrations = Object.fromEntries(
      FUNCTION_NAMES.map((name) => [
        name,
        new HttpLambdaIntegration(`${capitalise(name)}Integration`, functions[name].function),
      ]),
    ) as Record<FunctionName, HttpLambdaIntegration>;

    for (const route of ROUTE_LIST) {
      const isPublic = route.access === 'public';
      const httpRoute = new HttpRoute(this, `${capitalise(route.operationId)}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.fn],
        authorizer: isPublic ? new HttpNoneAuthorizer() : authorizer,
      });
      if (isPublic) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design in shared/routes.ts (${route.summary}); it reads no personal data.`,
        });
      }
    }

    // Anything no route matches (unknown path, wrong method) reaches the platform function, which
    // answers 404 or 405 as problem+json instead of API Gateway's bare {"message":"Not Found"}.
    const catchAll = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrations.platform,
      authorizer: new HttpNoneAuthorizer(),
    });
    Validations.of(catchAll).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The $default catch-all only answers 404/405 problem+json for requests no route matches; it ' +
        'must not demand a token, or an unknown path would look like an authentication failure.',
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
  }

  /**
   * What `secret.grantRead` grants, written out: that method also adds the role to the data key's
   * policy, a reference from the stateful stack back to this one that CloudFormation cannot order.
   * The key policy already trusts the account's IAM policies, so the role's own policy is enough.
   */
  private grantPseudonymKeyRead(fn: ApiFunction, data: StatefulResources): void {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [data.pseudonymSecret.secretArn],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [data.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
      }),
    );
  }

  /**
   * The listed S3 actions on `uploads/*` only, and the data key through S3 only (`kms:ViaService`):
   * `GenerateDataKey` and `Decrypt`, which S3 documents together for writing SSE-KMS objects. No
   * `kms:Encrypt`: S3 encrypts objects with data keys, never by calling Encrypt. Written out rather
   * than `bucket.grantPut`, which would add the role to the data key's policy: a reference from the
   * stateful stack back to this one (see `grantPseudonymKeyRead`).
   */
  private grantUploadsAccess(
    fn: ApiFunction,
    data: StatefulResources,
    actions: readonly ('s3:PutObject' | 's3:GetObject')[],
  ): void {
    if (actions.length === 0) return;
    // The bucket's ARN as the import a cross-stack reference to it becomes anyway (same export),
    // made here so the acknowledgement below can name the exact resource it covers.
    const bucketArn = data.uploadsBucket.stack.exportValue(data.uploadsBucket.bucketArn);
    const importName = (this.resolve(bucketArn) as { 'Fn::ImportValue': string })['Fn::ImportValue'];
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: [`${bucketArn}/uploads/*`] }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${importName}/uploads/*]`,
      reason:
        'Attachment keys are uploads/<site>/<generated id>, made per request, so no fixed ARN can name ' +
        'them; the grant is limited to that prefix and to putting and heading objects.',
    });
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [data.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    );
  }

  /**
   * Grants exactly the listed DynamoDB actions per table, and the use of the data key through
   * DynamoDB only (`kms:ViaService`), so the role cannot use the key for anything else.
   */
  private grantDataAccess(fn: ApiFunction, data: StatefulResources, access: TableAccess): void {
    const grants = Object.entries(access) as [keyof DataTables, readonly DynamoAction[]][];
    for (const [table, actions] of grants) {
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...actions], resources: [data.tables[table].tableArn] }),
      );
    }
    if (grants.length === 0) return;
    const writes = grants.some(([, actions]) =>
      actions.some((action) => action !== 'dynamodb:GetItem' && action !== 'dynamodb:Query'),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'kms:Decrypt',
          'kms:DescribeKey',
          ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
        ],
        resources: [data.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
      }),
    );
  }
}
