import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { TABLES, type TableDefinition } from '../shared/adapters/tables';
import { PublishedPacksBucket } from './packs';

/** The tables by their key in `TABLES` (`records`, `idempotency`, `audit`). */
export type DataTables = { readonly [K in keyof typeof TABLES]: dynamodb.ITable };

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
}

/**
 * Everything that holds data: the key, the tables, the buckets and the pseudonymisation secret. Kept
 * apart from the API so the API can be redeployed, or even destroyed, without touching data; every
 * resource here is retained if the stack is deleted.
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
    });

    this.tables = {
      records: this.table(TABLES.records),
      idempotency: this.table(TABLES.idempotency),
      audit: this.table(TABLES.audit),
    };

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
    this.uploadsBucket = this.dataBucket('Uploads', 'uploads/');
    this.packsBucket = this.dataBucket('Packs', 'packs/');
    this.publishedPacksBucket = new PublishedPacksBucket(this, 'PublishedPacks', {
      dataKey: this.dataKey,
      accessLogsBucket: this.accessLogsBucket,
    }).bucket;

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
  }

  private table(definition: TableDefinition): dynamodb.Table {
    return new dynamodb.Table(this, definition.id, {
      partitionKey: { name: definition.partitionKey, type: dynamodb.AttributeType.STRING },
      ...(definition.sortKey === undefined
        ? {}
        : { sortKey: { name: definition.sortKey, type: dynamodb.AttributeType.STRING } }),
      ...(definition.timeToLiveAttribute === undefined
        ? {}
        : { timeToLiveAttribute: definition.timeToLiveAttribute }),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private dataBucket(id: string, logPrefix: string): s3.Bucket {
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
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
