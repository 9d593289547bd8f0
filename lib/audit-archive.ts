import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * How long every archived audit object is locked, in compliance mode: nobody, the account's root
 * user included, can delete or overwrite it before then, and the period can never be shortened.
 * Two years covers the early testing and the evaluation after it; longer would keep staff
 * pseudonyms beyond any use the programme has for them.
 */
export const AUDIT_ARCHIVE_RETENTION_DAYS = 730;

export interface AuditArchiveProps {
  /** Receives the archive bucket's server access logs. */
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * A tamper-evident copy of the audit table, with no code of ours in the path: the table streams
 * every change (new entries, and any overwrite or delete, old and new image) to a Kinesis data
 * stream, which Data Firehose batches into an S3 bucket with Object Lock in compliance mode. An
 * entry altered in the table afterwards still has its first version, and the alteration itself,
 * in the archive. No API function has any permission here; the bucket policy lets only the
 * delivery role write, and nobody delete.
 */
export class AuditArchive extends Construct {
  readonly stream: kinesis.Stream;
  readonly bucket: s3.Bucket;
  readonly deliveryRole: iam.Role;
  readonly deliveryStream: firehose.DeliveryStream;

  constructor(scope: Construct, id: string, props: AuditArchiveProps) {
    super(scope, id);

    // A handful of audit entries a minute at most: one shard (1 MB/s in) is ample.
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount: 1,
      // Firehose reads continuously; a day is enough to catch up after a delivery outage.
      retentionPeriod: Duration.hours(24),
      encryption: kinesis.StreamEncryption.MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(
        Duration.days(AUDIT_ARCHIVE_RETENTION_DAYS),
      ),
      versioned: true,
      // S3-managed keys: the archive holds audit entries (event types, pseudonyms, ids), and leaving
      // it off the data key keeps that key's policy to the API and the data services.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'audit-archive/',
      lifecycleRules: [
        {
          id: 'expire-after-retention',
          // The day after the lock ends: S3 then removes the object (lifecycle is not subject to the
          // bucket policy below).
          expiration: Duration.days(AUDIT_ARCHIVE_RETENTION_DAYS + 1),
          noncurrentVersionExpiration: Duration.days(AUDIT_ARCHIVE_RETENTION_DAYS + 1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deliveryRole = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
      description: 'Delivers the audit table change stream to the locked archive bucket',
    });

    this.deliveryStream = new firehose.DeliveryStream(this, 'Delivery', {
      source: new firehose.KinesisStreamSource(this.stream),
      role: this.deliveryRole,
      destination: new firehose.S3Bucket(this.bucket, {
        role: this.deliveryRole,
        dataOutputPrefix: 'audit/!{timestamp:yyyy/MM/dd}/',
        errorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
        bufferingInterval: Duration.minutes(5),
        compression: firehose.Compression.GZIP,
        // One change record per line, so the archive reads as JSON Lines.
        processors: [new firehose.AppendDelimiterToRecordProcessor()],
      }),
    });

    Validations.of(this.deliveryStream).acknowledge({
      id: 'AwsSolutions-KDF1',
      reason:
        'Firehose server-side encryption only applies to direct PUT sources; this stream reads from ' +
        'a Kinesis data stream that is itself encrypted with KMS, and writes to an encrypted bucket.',
    });
    const bucketArnToken = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    Validations.of(this.deliveryRole).acknowledge(
      ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          'The S3 destination grants these to its delivery role itself; the archive bucket policy ' +
          'refuses every delete, and Object Lock refuses any change to a delivered object.',
      })),
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketArnToken}.Arn>/*]`,
        reason:
          'Firehose names each object by date and a generated suffix, so it needs the whole archive ' +
          'bucket; the bucket holds nothing else.',
      },
    );

    // Only the delivery role adds objects; nobody deletes or changes retention, whatever their IAM
    // policies say. Compliance mode already refuses deleting a locked version; this also refuses
    // delete markers, which would hide an object from a plain listing.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheDeliveryRoleWrites',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.deliveryRole.roleArn } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NobodyDeletesOrUnlocks',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:PutObjectRetention',
          's3:PutObjectLegalHold',
          's3:BypassGovernanceRetention',
        ],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      }),
    );
  }
}
