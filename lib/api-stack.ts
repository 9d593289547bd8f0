import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
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
import { FUNCTION_NAMES, type FunctionName, ROUTE_LIST } from '../shared/routes';
import { ApiFunction } from './api-function';
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
  /** The audit log is append-only: the type allows nothing but adding an entry. */
  readonly audit?: readonly 'dynamodb:PutItem'[];
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
  // Programme state (GetItem), check-ins written with their audit entry (Put) and read by site (Query).
  wellbeing: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Each function below reads the programme state (GetItem) for the pause check on submissions.
  referrals: { records: ['dynamodb:GetItem'] },
  findings: { records: ['dynamodb:GetItem'] },
  participants: { records: ['dynamodb:GetItem'] },
  engagement: { records: ['dynamodb:GetItem'] },
  imports: { records: ['dynamodb:GetItem'] },
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
    };

    const functions = {} as Record<FunctionName, ApiFunction>;
    for (const name of FUNCTION_NAMES) {
      const fn = new ApiFunction(this, `${capitalise(name)}Function`, {
        name,
        environment: functionEnvironment,
      });
      this.grantDataAccess(fn, data, DATA_ACCESS[name]);
      this.grantPseudonymKeyRead(fn, data);
      functions[name] = fn;
    }
    this.functions = functions;

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
