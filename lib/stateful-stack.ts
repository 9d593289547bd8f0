import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { TABLES, type TableDefinition } from '../shared/adapters/tables';
import { AuditArchive } from './audit-archive';
import { UploadsMalwareProtection } from './malware-protection';
import { apiFunctionRolePattern, apiRolePattern, deployRolePattern } from './names';
import { PublishedPacksBucket } from './packs';

/** The tables by their key in `TABLES` (`records`, `idempotency`, `audit`). */
export type DataTables = { readonly [K in keyof typeof TABLES]: dynamodb.ITable };

/**
 * Where objects live in the uploads bucket. A presigned upload lands under `incoming/`, where
 * GuardDuty scans it; attaching it to a finding copies it to `attachments/` and deletes the
 * incoming copy. `quarantine/` is for objects found malicious: no API function has any right on it.
 */
export const UPLOAD_PREFIXES = {
  incoming: 'incoming/',
  attachments: 'attachments/',
  quarantine: 'quarantine/',
} as const;

/** Days an unattached upload is kept under `incoming/` before S3 expires it. */
export const UNATTACHED_UPLOAD_DAYS = 2;

/**
 * Days a replaced or deleted upload's old version is kept: long enough to undo an accidental delete
 * noticed within a working week, short enough that an erased attachment is really gone soon after.
 */
export const NONCURRENT_VERSION_DAYS = 7;

/** The tag GuardDuty Malware Protection for S3 puts on each scanned object, and its clean value. */
export const MALWARE_SCAN_TAG = { key: 'GuardDutyMalwareScanStatus', clean: 'NO_THREATS_FOUND' } as const;

/** What the stateless stacks need from the stateful one. */
export interface StatefulResources {
  /** The customer-managed key that encrypts the tables, the buckets and the pseudonymisation secret. */
  readonly dataKey: kms.IKey;
  readonly tables: DataTables;
  /** Private uploads (interview findings and the like). */
  readonly uploadsBucket: s3.IBucket;
  /** Learning pack drafts (`drafts/<id>/`). */
  readonly packsBucket: s3.IBucket;
  /** Published learning packs, under S3 Object Lock in compliance mode. */
  readonly publishedPacksBucket: s3.IBucket;
  /** The HMAC key for pseudonyms (`PSEUDONYM_SECRET_ARN`). */
  readonly pseudonymSecret: secretsmanager.ISecret;
  /** The web pages' session key (`WEB_SESSION_SECRET_ARN`): encrypts session cookies, signs CSRF tokens. */
  readonly webSessionSecret: secretsmanager.ISecret;
}

/**
 * Everything that holds data: the key, the tables, the buckets, the pseudonymisation secret and the
 * audit archive. Kept apart from the API so the API can be redeployed, or even destroyed, without
 * touching data; every resource here is retained if the stack is deleted.
 */
export class StatefulStack extends Stack implements StatefulResources {
  readonly dataKey: kms.Key;
  readonly tables: DataTables;
  readonly uploadsBucket: s3.Bucket;
  readonly packsBucket: s3.Bucket;
  readonly publishedPacksBucket: s3.Bucket;
  /** Receives the server access logs of the other buckets. */
  readonly accessLogsBucket: s3.Bucket;
  readonly pseudonymSecret: secretsmanager.Secret;
  readonly webSessionSecret: secretsmanager.Secret;
  readonly auditArchive: AuditArchive;
  readonly malwareProtection: UploadsMalwareProtection;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Without this flag the CDK grants S3 log delivery through the legacy bucket ACL, which needs
    // ACLs enabled on the log bucket. With it, a bucket policy scoped to our source buckets does the
    // job. Set on the stack so the behaviour does not depend on cdk.json being read (tests skip it).
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'Encrypts the CLW learning tables, buckets and pseudonymisation secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Replaced below (see `setKeyPolicy`), once the GuardDuty scanner role exists.
      policy: new iam.PolicyDocument(),
    });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // Server access log delivery only supports SSE-S3 on the target bucket, not SSE-KMS.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(365),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.auditArchive = new AuditArchive(this, 'AuditArchive', { accessLogsBucket: this.accessLogsBucket });
    this.tables = {
      records: this.table(TABLES.records),
      idempotency: this.table(TABLES.idempotency),
      audit: this.table(TABLES.audit, this.auditArchive.stream),
    };

    this.uploadsBucket = this.dataBucket('Uploads', 'uploads/', [
      {
        id: 'expire-unattached-uploads',
        prefix: UPLOAD_PREFIXES.incoming,
        expiration: Duration.days(UNATTACHED_UPLOAD_DAYS),
      },
      {
        id: 'expire-quarantine',
        prefix: UPLOAD_PREFIXES.quarantine,
        // Kept a month for whoever investigates the finding GuardDuty raised, then gone.
        expiration: Duration.days(30),
      },
      {
        id: 'expire-malware',
        tagFilters: { [MALWARE_SCAN_TAG.key]: 'THREATS_FOUND' },
        expiration: Duration.days(1),
      },
      {
        id: 'expire-old-versions',
        noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
        expiredObjectDeleteMarker: true,
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ]);
    this.packsBucket = this.dataBucket('Packs', 'packs/');
    this.publishedPacksBucket = new PublishedPacksBucket(this, 'PublishedPacks', {
      dataKey: this.dataKey,
      accessLogsBucket: this.accessLogsBucket,
    }).bucket;

    this.malwareProtection = new UploadsMalwareProtection(this, 'UploadsMalwareProtection', {
      bucket: this.uploadsBucket,
      key: this.dataKey,
      prefixes: [UPLOAD_PREFIXES.incoming],
    });
    this.restrictUploadsBucket();

    this.pseudonymSecret = new secretsmanager.Secret(this, 'PseudonymKey', {
      description: 'HMAC key for staff and participant pseudonyms',
      encryptionKey: this.dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.pseudonymSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret is the HMAC key behind stored pseudonyms, not a credential: rotating it would give ' +
        'every person a new pseudonym and break weekly check-in counts and follow-up lists. It is ' +
        'readable only by the API functions and encrypted with a rotated customer-managed key.',
    });

    this.webSessionSecret = new secretsmanager.Secret(this, 'WebSessionKey', {
      description: "Key of the web pages' encrypted session cookies and CSRF tokens",
      encryptionKey: this.dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.webSessionSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret is the key of 30-minute session cookies, not a credential of another system: ' +
        'a new value only signs everyone out. Read by the web function alone, encrypted with a rotated ' +
        'customer-managed key.',
    });

    this.setKeyPolicy();
  }

  /**
   * The data key's policy names who may use it instead of trusting every IAM policy in the account:
   *
   * - The account (that is, IAM principals the account's own policies allow) may only *administer*
   *   the key: describe, enable or disable, tag, change its policy, schedule deletion. That keeps
   *   the key manageable (the alternative, naming the deploy role, would lock the key out if the
   *   bootstrap is ever redone), but an administrator cannot decrypt data without first changing
   *   the policy, which CloudTrail records. `kms:CreateGrant` is not among them.
   * - Encryption and decryption only through DynamoDB, S3 and Secrets Manager, and only by roles of
   *   the API stack (matched by name: the stateful stack is deployed first, so it cannot reference
   *   them), the GuardDuty scanner, and the CloudFormation deploy role (which creates the tables
   *   and the secret). A name pattern is used rather than a principal tag because anyone allowed to
   *   tag roles could give a role the tag; renaming a role replaces it.
   * - Grants, which DynamoDB creates for itself on a table's behalf, only for AWS resources.
   *
   * Set on the CloudFormation resource, replacing what constructs add on their own: the secret adds
   * a statement letting any principal of the account use the key through Secrets Manager.
   */
  private setKeyPolicy(): void {
    const policy = new iam.PolicyDocument();
    const root = new iam.AccountRootPrincipal();
    const viaServices = ['dynamodb', 's3', 'secretsmanager'].map(
      (service) => `${service}.${this.region}.amazonaws.com`,
    );
    const allowedRoles = [
      apiRolePattern(this.account),
      deployRolePattern(this.account),
      this.malwareProtection.role.roleArn,
    ];
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'AdministrationOnlyByTheAccount',
        principals: [root],
        actions: [
          'kms:CancelKeyDeletion',
          'kms:CreateAlias',
          'kms:DeleteAlias',
          'kms:DescribeKey',
          'kms:DisableKey',
          'kms:DisableKeyRotation',
          'kms:EnableKey',
          'kms:EnableKeyRotation',
          'kms:GetKeyPolicy',
          'kms:GetKeyRotationStatus',
          'kms:ListAliases',
          'kms:ListGrants',
          'kms:ListKeyPolicies',
          'kms:ListResourceTags',
          'kms:PutKeyPolicy',
          'kms:RevokeGrant',
          'kms:RotateKeyOnDemand',
          'kms:ScheduleKeyDeletion',
          'kms:TagResource',
          'kms:UntagResource',
          'kms:UpdateAlias',
          'kms:UpdateKeyDescription',
        ],
        resources: ['*'],
      }),
    );
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'UseThroughDataServicesByNamedRoles',
        principals: [root],
        actions: [
          'kms:Decrypt',
          'kms:DescribeKey',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
        ],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:ViaService': viaServices, 'kms:CallerAccount': this.account },
          ArnLike: { 'aws:PrincipalArn': allowedRoles },
        },
      }),
    );
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'GrantsOnlyForDataServices',
        principals: [root],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
          StringEquals: { 'kms:ViaService': viaServices, 'kms:CallerAccount': this.account },
          ArnLike: { 'aws:PrincipalArn': allowedRoles },
        },
      }),
    );
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'DynamoDbDescribesTheKey',
        principals: [new iam.ServicePrincipal('dynamodb.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    (this.dataKey.node.defaultChild as kms.CfnKey).keyPolicy = policy;
  }

  /**
   * The uploads bucket's policy, on top of SSL only:
   *
   * - Nobody but the GuardDuty scanner reads an object that GuardDuty has not tagged clean: not yet
   *   scanned, unsupported, failed or malicious objects cannot be read, copied or attached.
   * - Nobody in the account but the findings function, the scanner, the CloudFormation deploy role
   *   (so it can still manage the bucket) and the root user (break-glass: the only one who can
   *   remove a bucket policy that locks everyone else out anyway) may do anything with the bucket,
   *   whatever their IAM policies say. Administrators cannot browse evidence.
   * - Nobody but those may touch the quarantine prefix; the findings function gets nothing there.
   */
  private restrictUploadsBucket(): void {
    const bucket = this.uploadsBucket;
    const scanner = this.malwareProtection.role.roleArn;
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ReadOnlyObjectsScannedClean',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [bucket.arnForObjects('*')],
        conditions: {
          StringNotEquals: { [`s3:ExistingObjectTag/${MALWARE_SCAN_TAG.key}`]: MALWARE_SCAN_TAG.clean },
          ArnNotEquals: { 'aws:PrincipalArn': scanner },
        },
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheRolesThatNeedIt',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: [bucket.bucketArn, bucket.arnForObjects('*')],
        conditions: {
          ArnNotLike: {
            'aws:PrincipalArn': [
              apiFunctionRolePattern(this.account, 'findings'),
              scanner,
              deployRolePattern(this.account),
              `arn:aws:iam::${this.account}:root`,
            ],
          },
        },
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NoFunctionInQuarantine',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: [bucket.arnForObjects(`${UPLOAD_PREFIXES.quarantine}*`)],
        conditions: { ArnLike: { 'aws:PrincipalArn': apiRolePattern(this.account) } },
      }),
    );
  }

  private table(definition: TableDefinition, kinesisStream?: kinesis.IStream): dynamodb.Table {
    return new dynamodb.Table(this, definition.id, {
      partitionKey: { name: definition.partitionKey, type: dynamodb.AttributeType.STRING },
      ...(definition.sortKey === undefined
        ? {}
        : { sortKey: { name: definition.sortKey, type: dynamodb.AttributeType.STRING } }),
      ...(definition.timeToLiveAttribute === undefined
        ? {}
        : { timeToLiveAttribute: definition.timeToLiveAttribute }),
      ...(kinesisStream === undefined ? {} : { kinesisStream }),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private dataBucket(id: string, logPrefix: string, lifecycleRules?: s3.LifecycleRule[]): s3.Bucket {
    return new s3.Bucket(this, id, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      // One data key per bucket rather than a KMS call per object: cheaper, same key policy.
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: logPrefix,
      ...(lifecycleRules ? { lifecycleRules } : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
