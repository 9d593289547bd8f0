import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
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
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
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
import { AUTH_PATHS, WEB_ROUTES } from '../functions/web/pages';
import { ApiAlarms } from './alarms';
import { ApiFunction } from './api-function';
import { DEFAULT_ROUTE_THROTTLE, FUNCTION_CAPACITY, routeThrottles } from './api-limits';
import { ImportWorker } from './import-worker';
import { PackFunctions } from './packs';
import { type DataTables, type StatefulResources, UPLOAD_PREFIXES } from './stateful-stack';

export interface ApiStackProps extends StackProps {
  /** The key, tables, buckets and secret from the stateful stack. */
  readonly data: StatefulResources;
  /** The AWS WAF web ACL (scope CLOUDFRONT, so from us-east-1) in front of the API. */
  readonly webAclArn: string;
}

type DynamoAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem';

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
  // Each referral barrier report written with its reporter's copy and its audit entry (conditional
  // Puts in one transaction); a page of the site's reports, or of one's own, read as one Query.
  referrals: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Themes read as one Query and added with a conditional Put, an Update of their area's counter and
  // the audit entry (one transaction); interview findings written with their list entry and audit
  // entry (Puts) and read by key (GetItem), the site's list a page at a time (Query); an upload's
  // audit entry is a lone Put.
  findings: {
    records: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Summaries read by key (GetItem) and by site (Query); a check, its summary, audit entry and
  // idempotency link written together (Puts in one transaction); erasure queries a participant's
  // items and deletes them (Delete in a transaction), and deletes the Idempotency-Key copies of
  // responses about them (DeleteItem, in IDEMPOTENCY_ACCESS).
  participants: {
    records: [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
    ],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Returns, and resources with their name guard, written with their audit entry (conditional Puts);
  // the resource map read by site (Query).
  engagement: {
    records: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // Programme state and jobs (GetItem); a job recorded (Put) and moved on (Update: queued, cancelled).
  // The records are written by the import worker (`IMPORT_WORKER_ACCESS`).
  imports: {
    records: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idempotency: IDEMPOTENCY_ACCESS,
  },
  // Packs, series, ledger and policy versions read by key and by partition; a build request and a
  // policy version written as new items (Put), every later step an Update of the pack in a
  // transaction with the series and ledger items (Put) and its audit entry; downloads add an entry.
  packs: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // A link read by key (GetItem) and written with its audit entry (Put); answering deletes it and
  // puts the answer and any interest in one transaction (Delete and Update: NARROW_RECORD_GRANTS);
  // answers, interest and changes read by partition (Query); changes added with their audit entry.
  voice: {
    records: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
    idempotency: IDEMPOTENCY_ACCESS,
    audit: ['dynamodb:PutItem'],
  },
  // The pages read and write nothing themselves: they call the API as the signed-in user.
  web: {},
};

/** What the packs function keeps: packs, their series, the ledger of published figures, the policy. */
const PACK_PARTITIONS: readonly string[] = ['PROGRAMME', 'PACK', 'PACK-SERIES', 'PACK-LEDGER', 'PACK-POLICY'];

/**
 * The pack builder also reads every evidence stream of the sites in a pack (it writes only its pack
 * and the audit entry, which the actions granted in `lib/packs.ts` limit it to).
 */
const PACK_BUILDER_PARTITIONS: readonly string[] = [
  ...PACK_PARTITIONS,
  'PULSE#*',
  'BARRIER#*',
  'CODEBOOK',
  'INTERVIEW#*',
  'CAPITAL#*',
  'ENGAGEMENT#*',
  'RESOURCE#*',
  'FEEDBACK#*',
  'CHANGES',
  'IMPORT#*',
];

/**
 * The import worker: its job (GetItem, Update, the commit's Update with the audit entry in a
 * transaction), what is stored already (BatchGetItem: summaries and job states; Query: returns,
 * themes), and the records staged, rolled back and cleaned up with BatchWriteItem (Puts and Deletes),
 * summaries staged in conditional transactions (Puts) and undone with conditional Puts and Deletes.
 */
const IMPORT_WORKER_ACCESS: TableAccess = {
  records: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
  audit: ['dynamodb:PutItem'],
};
const IMPORT_WORKER_PARTITIONS: readonly string[] = [
  'IMPORT#*',
  'CAPITAL#*',
  'FOLLOWUP#*',
  'ENGAGEMENT#*',
  'INTERVIEW#*',
  'INTERVIEW-LIST#*',
  'CODEBOOK',
];

/**
 * The partition keys (`pk`) of the records table each function may touch, as `dynamodb:LeadingKeys`
 * patterns, from the key shapes in `shared/adapters/`. Every function reads the programme state
 * (`PROGRAMME`) for the pause check. The site cannot be part of the pattern: one function serves
 * every site, and which site a caller may reach is decided by their token, in the handler.
 */
const RECORD_PARTITIONS: Readonly<Record<FunctionName, readonly string[]>> = {
  platform: ['PROGRAMME'],
  admin: ['PROGRAMME'],
  wellbeing: ['PROGRAMME', 'PULSE#*'],
  // Reports one partition per site, and each reporter's own list of them.
  referrals: ['PROGRAMME', 'BARRIER#*', 'BARRIER-REPORTER#*'],
  // The codebook is one partition; interview findings one per site, and each site's list of them.
  // Every reader of imported records also reads import jobs' states (`IMPORT#`, BatchGetItem), to
  // leave out records of a job that has not committed.
  findings: ['PROGRAMME', 'CODEBOOK', 'INTERVIEW#*', 'INTERVIEW-LIST#*', 'IMPORT#*'],
  // Capital checks and summaries; the follow-up list by due date, moved with each check.
  participants: ['PROGRAMME', 'CAPITAL#*', 'FOLLOWUP#*', 'IMPORT#*'],
  // Returns; resources and their per-site name guard.
  engagement: ['PROGRAMME', 'ENGAGEMENT#*', 'RESOURCE#*', 'RESOURCE-NAME#*', 'IMPORT#*'],
  // Import jobs; the import worker writes the records.
  imports: ['PROGRAMME', 'IMPORT#*'],
  // Packs, their series, the ledger of published figures and the pack disclosure policy.
  packs: PACK_PARTITIONS,
  // Links by their keyed hash, answers and requests to talk by site, and the changes.
  voice: ['PROGRAMME', 'FEEDBACK-LINK#*', 'FEEDBACK#*', 'INTEREST#*', 'CHANGES'],
  web: [],
};

/**
 * Records-table grants narrower than a function's `DATA_ACCESS`: an action allowed on some of its
 * partitions only. Erasing an interview finding (`DELETE /sites/{site}/interviews/{id}`) deletes
 * its item and its entry in the site's list, so `findings` may delete interview findings and their
 * entries, but not the codebook or programme state.
 */
const NARROW_RECORD_GRANTS: Partial<
  Record<
    FunctionName,
    readonly { readonly actions: readonly DynamoAction[]; readonly partitions: readonly string[] }[]
  >
> = {
  findings: [{ actions: ['dynamodb:DeleteItem'], partitions: ['INTERVIEW#*', 'INTERVIEW-LIST#*'] }],
  // Answering deletes the link it spends, and only links; an outcome updates a request to talk.
  voice: [
    { actions: ['dynamodb:DeleteItem'], partitions: ['FEEDBACK-LINK#*'] },
    { actions: ['dynamodb:UpdateItem'], partitions: ['INTEREST#*'] },
  ],
};

/** Every audit entry's partition is its day (`AUDIT#<yyyy-mm-dd>`). */
const AUDIT_PARTITIONS: readonly string[] = ['AUDIT#*'];

/**
 * An `Idempotency-Key` record's key is `<caller>#<operation id>#<key>` (`shared/http/api.ts`), so a
 * function may only reach the records of its own routes.
 */
const idempotencyPartitions = (fn: FunctionName): string[] =>
  ROUTE_LIST.filter((route) => route.fn === fn).map((route) => `*#${route.operationId}#*`);

/**
 * Tombstones of requests about an erased participant (`ERASED#<keyed hash>`, in the idempotency
 * table): every function that takes an `Idempotency-Key` reads them before running a request, and
 * only erasure, in the participants function, writes them.
 */
const TOMBSTONE_PARTITIONS: readonly string[] = ['ERASED#*'];
const TOMBSTONE_WRITERS: readonly FunctionName[] = ['participants'];

type UploadAction =
  | 's3:PutObject'
  | 's3:GetObject'
  | 's3:GetObjectTagging'
  | 's3:PutObjectTagging'
  | 's3:DeleteObject'
  | 's3:DeleteObjectVersion';

/**
 * What a function may do in the uploads bucket, by prefix. `findings` presigns uploads under
 * `incoming/`, which S3 authorises against the function's role when the URL is used
 * (`s3:PutObject`); reads an upload's scan tag (`s3:GetObjectTagging`) and heads it (HeadObject is
 * `s3:GetObject`); attaches it by copying it to `attachments/` (CopyObject is `s3:GetObject` on the
 * source and `s3:PutObject` on the target, and copying its tags, the scan result among them,
 * `s3:GetObjectTagging` and `s3:PutObjectTagging`); and deletes the incoming copy, or an attachment
 * when its finding is erased, by its version so no old version outlives the erasure
 * (`s3:DeleteObjectVersion`); attachments made before `incoming/` existed sit under `uploads/`. No `s3:ListBucket`: a HEAD of a missing key then answers 403 rather
 * than 404, which the adapter treats the same. Nothing under `quarantine/`.
 */
const UPLOADS_ACCESS: Partial<Record<FunctionName, Readonly<Record<string, readonly UploadAction[]>>>> = {
  findings: {
    [UPLOAD_PREFIXES.incoming]: [
      's3:PutObject',
      's3:GetObject',
      's3:GetObjectTagging',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
    ],
    [UPLOAD_PREFIXES.attachments]: [
      's3:PutObject',
      's3:GetObject',
      's3:PutObjectTagging',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
    ],
    'uploads/': ['s3:GetObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
  },
};

/**
 * Token lifetimes. A stolen ID token (the bearer token) is usable for 30 minutes at most, not
 * Cognito's 60; a refresh token lasts a 12-hour working day, not 30 days, so a lost phone stops
 * working by the next morning, while a practitioner still signs in (with MFA) once a shift: the app
 * refreshes the ID token silently in between.
 */
export const TOKEN_VALIDITY = {
  idToken: Duration.minutes(30),
  accessToken: Duration.minutes(30),
  refreshToken: Duration.hours(12),
} as const;

/** The only attributes a user may change on their own account: never `custom:site`, nor email. */
const USER_WRITABLE_ATTRIBUTES: cognito.StandardAttributesMask = {
  givenName: true,
  familyName: true,
  locale: true,
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
  /** The web pages' app client: Cognito's hosted sign-in, authorization code flow with PKCE. */
  readonly webPagesClient: cognito.UserPoolClient;
  readonly httpApi: HttpApi;
  readonly functions: Readonly<Record<FunctionName, ApiFunction>>;
  readonly distribution: cloudfront.Distribution;
  /** The pack builder and its on-failure queue. */
  readonly packs: PackFunctions;
  /** The import worker and its on-failure queue. */
  readonly imports: ImportWorker;

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
      // Without an explicit list Cognito lets a user update every mutable attribute with their own
      // access token, `custom:site` included: a provider could move themselves to another site. The
      // attribute stays mutable in the pool (that cannot change without replacing the pool and every
      // account in it), so admins can still set it.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes(USER_WRITABLE_ATTRIBUTES),
      idTokenValidity: TOKEN_VALIDITY.idToken,
      accessTokenValidity: TOKEN_VALIDITY.accessToken,
      refreshTokenValidity: TOKEN_VALIDITY.refreshToken,
      enableTokenRevocation: true,
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
        // The web function reaches no table, bucket or pseudonym: its configuration is set below.
        environment: name === 'web' ? {} : functionEnvironment,
        memorySize: (FUNCTION_LIMITS[name] ?? DEFAULT_FUNCTION_LIMITS).memoryMb,
        timeout: Duration.seconds((FUNCTION_LIMITS[name] ?? DEFAULT_FUNCTION_LIMITS).timeoutSeconds),
        reservedConcurrentExecutions: FUNCTION_CAPACITY[name].reservedConcurrency,
      });
      this.grantDataAccess(fn, data, DATA_ACCESS[name], {
        records: RECORD_PARTITIONS[name],
        idempotency: idempotencyPartitions(name),
        audit: AUDIT_PARTITIONS,
      });
      if (DATA_ACCESS[name].idempotency) {
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['dynamodb:GetItem', ...(TOMBSTONE_WRITERS.includes(name) ? ['dynamodb:PutItem'] : [])],
            resources: [data.tables.idempotency.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...TOMBSTONE_PARTITIONS] } },
          }),
        );
      }
      for (const grant of NARROW_RECORD_GRANTS[name] ?? []) {
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: [...grant.actions],
            resources: [data.tables.records.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...grant.partitions] } },
          }),
        );
      }
      this.grantSecretRead(fn, data, name === 'web' ? data.webSessionSecret : data.pseudonymSecret);
      this.grantUploadsAccess(fn, data, UPLOADS_ACCESS[name] ?? {});
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
        this.grantDataAccess(fn, data, access, {
          records: PACK_BUILDER_PARTITIONS,
          idempotency: [],
          audit: AUDIT_PARTITIONS,
        });
      },
      grantPseudonymKeyRead: (fn) => {
        this.grantSecretRead(fn, data, data.pseudonymSecret);
      },
    });

    this.imports = new ImportWorker(this, 'Imports', {
      data,
      environment: functionEnvironment,
      importsFunction: functions.imports,
      grantData: (fn) => {
        this.grantDataAccess(fn, data, IMPORT_WORKER_ACCESS, {
          records: IMPORT_WORKER_PARTITIONS,
          idempotency: [],
          audit: AUDIT_PARTITIONS,
        });
      },
      grantPseudonymKeyRead: (fn) => {
        this.grantSecretRead(fn, data, data.pseudonymSecret);
      },
    });

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'CLW early-testing learning API',
      // The default stage is added below with throttling and access logging, which the built-in one lacks.
      createDefaultStage: false,
    });

    this.distribution = this.addDistribution(props.webAclArn);
    this.webPagesClient = this.addWebSignIn(
      functions.web,
      data,
      `https://${this.distribution.distributionDomainName}`,
    );

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.SIX_MONTHS,
    });
    const stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // The stage default, for `$default`; each route has its own below.
      throttle: DEFAULT_ROUTE_THROTTLE,
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
      // The web pages call the API with the ID tokens of their own app client.
      { jwtAudience: [this.userPoolClient.userPoolClientId, this.webPagesClient.userPoolClientId] },
    );
    const integrations = Object.fromEntries(
      FUNCTION_NAMES.map((name) => [
        name,
        new HttpLambdaIntegration(`${capitalise(name)}Integration`, functions[name].function),
      ]),
    ) as Record<FunctionName, HttpLambdaIntegration>;

    const routes: HttpRoute[] = [];
    for (const route of ROUTE_LIST) {
      const isPublic = route.access === 'public';
      const httpRoute = new HttpRoute(this, `${capitalise(route.operationId)}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.fn],
        authorizer: isPublic ? new HttpNoneAuthorizer() : authorizer,
      });
      routes.push(httpRoute);
      if (isPublic) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design in shared/routes.ts (${route.summary}); it reads no personal data.`,
        });
      }
    }

    // The web pages: no JWT authorizer, because a browser sends no bearer token; the web function
    // reads its encrypted session cookie instead, and calls the API with the user's ID token.
    for (const page of WEB_ROUTES) {
      const httpRoute = new HttpRoute(
        this,
        `Web${page.method}${page.path.replace(/[^A-Za-z0-9]+/g, '-')}Route`,
        {
          httpApi: this.httpApi,
          routeKey: HttpRouteKey.with(page.path, HttpMethod[page.method]),
          integration: integrations.web,
          authorizer: new HttpNoneAuthorizer(),
        },
      );
      routes.push(httpRoute);
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${page.method} ${page.path} is a web page (functions/web/pages.ts): the web function checks its own encrypted session cookie and calls the API, behind the JWT authorizer, with the user's ID token.`,
      });
    }

    // Anything no route matches (unknown path, wrong method) reaches the platform function, which
    // answers 404 or 405 as problem+json instead of API Gateway's bare {"message":"Not Found"}. It
    // needs a token like any other route, so anonymous junk is refused by API Gateway (401) without
    // invoking a function; a signed-in client still gets the 404 or 405.
    routes.push(
      new HttpRoute(this, 'DefaultRoute', {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.DEFAULT,
        integration: integrations.platform,
        authorizer,
      }),
    );

    // Per-route throttles. A stage's route settings name routes by key, and CloudFormation refuses
    // the stage if a named route does not exist yet, hence the dependencies.
    const cfnStage = stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(routeThrottles()).map(([key, throttle]) => [
        key,
        // A JSON property: CloudFormation's own casing.
        { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
      ]),
    );
    for (const route of routes) cfnStage.node.addDependency(route);

    const alarmEmail: unknown = this.node.tryGetContext('alarmEmail');
    const alarms = new ApiAlarms(this, 'Alarms', {
      functions,
      httpApi: this.httpApi,
      ...(typeof alarmEmail === 'string' && alarmEmail !== '' ? { email: alarmEmail } : {}),
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });

    new CfnOutput(this, 'ApiUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
      description: 'Base URL of the API, through CloudFront and AWS WAF',
    });
    new CfnOutput(this, 'ApiOriginUrl', {
      value: stage.url,
      description: 'The HTTP API itself (what CloudFront forwards to); clients use ApiUrl',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'WebPagesClientId', { value: this.webPagesClient.userPoolClientId });
  }

  /**
   * What `secret.grantRead` grants, written out: that method also adds the role to the data key's
   * policy, a reference from the stateful stack back to this one that CloudFormation cannot order.
   * The key policy lets this stack's roles (by name) use the key through Secrets Manager, so the
   * role's own policy is enough.
   */
  private grantSecretRead(fn: ApiFunction, data: StatefulResources, secret: ISecret): void {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [secret.secretArn],
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
   * Cognito's hosted sign-in for the web pages: a user pool domain and a public app client (no
   * secret: PKCE protects the code) with only the authorization code flow, calling back to
   * `/auth/callback` and signing out to `/signed-out` on the site's own address. The web function
   * gets the addresses, the API's own endpoint (it calls the API server to server) and its
   * session key.
   */
  private addWebSignIn(web: ApiFunction, data: StatefulResources, publicUrl: string): cognito.UserPoolClient {
    const domain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: `clw-learning-${this.account}` },
    });
    const client = this.userPool.addClient('WebPagesClient', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${publicUrl}${AUTH_PATHS.callback}`],
        logoutUrls: [`${publicUrl}${AUTH_PATHS.signedOut}`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes(USER_WRITABLE_ATTRIBUTES),
      idTokenValidity: TOKEN_VALIDITY.idToken,
      accessTokenValidity: TOKEN_VALIDITY.accessToken,
      refreshTokenValidity: TOKEN_VALIDITY.refreshToken,
      enableTokenRevocation: true,
    });
    // Only the hosted page signs users in: without an explicit list Cognito would also allow the
    // SRP and custom flows on this client, which no browser of this service uses.
    (client.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    const environment: Record<string, string> = {
      WEB_API_URL: this.httpApi.apiEndpoint,
      WEB_SESSION_SECRET_ARN: data.webSessionSecret.secretArn,
      WEB_COGNITO_DOMAIN: domain.baseUrl(),
      WEB_CLIENT_ID: client.userPoolClientId,
      WEB_ISSUER: `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`,
      WEB_PUBLIC_URL: publicUrl,
    };
    for (const [name, value] of Object.entries(environment)) web.function.addEnvironment(name, value);
    return client;
  }

  /**
   * CloudFront in front of the HTTP API, with the WAF web ACL, HTTPS only, nothing cached, and every
   * viewer header but Host forwarded (API Gateway answers 403 to a Host that is not its own). The
   * bearer token reaches the origin: managed "all viewer" origin request policies forward
   * `Authorization`, and with caching disabled no response is ever shared between callers.
   */
  private addDistribution(webAclArn: string): cloudfront.Distribution {
    const distribution = new cloudfront.Distribution(this, 'ApiDistribution', {
      comment: 'CLW learning API',
      defaultBehavior: {
        origin: new origins.HttpOrigin(`${this.httpApi.apiId}.execute-api.${this.region}.amazonaws.com`, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: webAclArn,
      // The sites are in England; staff use the service from the UK.
      geoRestriction: cloudfront.GeoRestriction.allowlist('GB'),
      // Edge locations in Europe and North America only: the users are all in the UK.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    Validations.of(distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'CloudFront access logs record every caller IP address and user agent; the API access log ' +
          'deliberately keeps neither, and WAF metrics count blocked requests without them.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default cloudfront.net certificate, with which CloudFront cannot ' +
          'enforce a minimum TLS version; with a custom domain, set TLSv1.2_2021 as the minimum.',
      },
    );
    return distribution;
  }

  /**
   * The listed S3 actions per prefix of the uploads bucket, and the data key through S3 only
   * (`kms:ViaService`): `GenerateDataKey` and `Decrypt`, which S3 documents together for reading
   * and writing SSE-KMS objects. No `kms:Encrypt`: S3 encrypts objects with data keys, never by
   * calling Encrypt. Written out rather than `bucket.grantPut`, which would add the role to the data
   * key's policy: a reference from the stateful stack back to this one (see `grantPseudonymKeyRead`).
   */
  private grantUploadsAccess(
    fn: ApiFunction,
    data: StatefulResources,
    access: Readonly<Record<string, readonly UploadAction[]>>,
  ): void {
    const prefixes = Object.entries(access);
    if (prefixes.length === 0) return;
    // The bucket's ARN as the import a cross-stack reference to it becomes anyway (same export),
    // made here so the acknowledgement below can name the exact resources it covers.
    const bucketArn = data.uploadsBucket.stack.exportValue(data.uploadsBucket.bucketArn);
    const importName = (this.resolve(bucketArn) as { 'Fn::ImportValue': string })['Fn::ImportValue'];
    for (const [prefix, actions] of prefixes) {
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...actions], resources: [`${bucketArn}/${prefix}*`] }),
      );
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${importName}/${prefix}*]`,
        reason:
          'Upload keys are <prefix><site>/<generated id>, made per request, so no fixed ARN can name ' +
          'them; the grant is limited to one prefix and to the actions listed for it.',
      });
    }
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [data.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    );
  }

  /**
   * Grants exactly the listed DynamoDB actions per table, on the listed partition keys only
   * (`dynamodb:LeadingKeys`; IAM checks each Put of a transaction as a `PutItem` with its key), and
   * the use of the data key through DynamoDB only (`kms:ViaService`), so the role cannot use the
   * key for anything else.
   */
  private grantDataAccess(
    fn: ApiFunction,
    data: StatefulResources,
    access: TableAccess,
    partitions: { readonly [K in keyof DataTables]: readonly string[] },
  ): void {
    const grants = Object.entries(access) as [keyof DataTables, readonly DynamoAction[]][];
    for (const [table, actions] of grants) {
      if (partitions[table].length === 0) throw new Error(`${fn.node.id}: no partition keys for ${table}`);
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [...actions],
          resources: [data.tables[table].tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions[table]] } },
        }),
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
