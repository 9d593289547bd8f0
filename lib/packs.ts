import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PACK_BUILDER_LIMITS } from '../functions/pack-builder/builder';
import { PACK_BUILDER_CONCURRENCY } from './api-limits';
import { ApiFunction } from './api-function';
import type { StatefulResources } from './stateful-stack';

/**
 * How long S3 Object Lock (compliance mode) keeps every published pack file unchanged and
 * undeletable, by anyone, root included. Published packs are aggregate, disclosure-controlled
 * documents given to the whole market: they are the record of what bidders were told, so they are
 * kept for seven years, the usual span for records of a procurement.
 */
export const PUBLISHED_PACK_RETENTION = Duration.days(7 * 365);

export interface PublishedPacksBucketProps {
  readonly dataKey: kms.IKey;
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * The published-packs bucket, apart from the packs (drafts) bucket: CloudFormation sets
 * `ObjectLockEnabled` only when it creates a bucket (changing it replaces the bucket), and the
 * drafts must stay deletable. Object Lock in compliance mode with a default retention, so every
 * object written here (`published/<id>/v<version>/...`) can neither be changed nor deleted.
 */
export class PublishedPacksBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: PublishedPacksBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(PUBLISHED_PACK_RETENTION),
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'published-packs/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

export interface PackFunctionsProps {
  readonly data: StatefulResources;
  /** The packs API function (made with the others from the route table). */
  readonly packsFunction: ApiFunction;
  /** Grants a function exactly these DynamoDB actions per table, and the data key through DynamoDB. */
  readonly grantData: (fn: ApiFunction, access: PackTableAccess) => void;
  readonly grantPseudonymKeyRead: (fn: ApiFunction) => void;
  readonly environment: Record<string, string>;
}

export interface PackTableAccess {
  readonly records?: readonly (
    | 'dynamodb:GetItem'
    | 'dynamodb:BatchGetItem'
    | 'dynamodb:Query'
    | 'dynamodb:PutItem'
    | 'dynamodb:UpdateItem'
  )[];
  readonly audit?: readonly 'dynamodb:PutItem'[];
}

/**
 * The pack builder function, its on-failure queue, and what the packs function needs beyond the
 * tables: the builder's name and the right to invoke it (only it), the drafts it reads and the
 * published copies it writes and presigns.
 */
export class PackFunctions extends Construct {
  readonly builder: ApiFunction;
  /** Receives a build event Lambda gave up on (after two retries), with the error, for 14 days. */
  readonly failedBuilds: sqs.Queue;

  constructor(scope: Construct, id: string, props: PackFunctionsProps) {
    super(scope, id);
    const { data, packsFunction } = props;
    const region = Stack.of(this).region;

    this.failedBuilds = new sqs.Queue(this, 'FailedBuilds', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const endOfTheLine =
      'This queue is itself the end of the line: the on-failure destination of the pack builder, ' +
      'holding only { packId } and the error for an operator to read; nothing consumes it to retry.';
    Validations.of(this.failedBuilds).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: endOfTheLine },
      { id: 'Serverless-SQSRedrivePolicy', reason: endOfTheLine },
    );

    this.builder = new ApiFunction(this, 'Builder', {
      name: 'pack-builder',
      environment: props.environment,
      memorySize: PACK_BUILDER_LIMITS.memoryMb,
      timeout: Duration.seconds(PACK_BUILDER_LIMITS.timeoutSeconds),
      onFailure: new SqsDestination(this.failedBuilds),
      reservedConcurrentExecutions: PACK_BUILDER_CONCURRENCY,
    });
    // Reads the pack, the series, the ledger and the policy (GetItem, Query), the evidence (Query)
    // and the states of the import jobs that wrote it (BatchGetItem); moves the pack to draft or
    // failed (Update) with its audit entry (Put).
    props.grantData(this.builder, {
      records: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      audit: ['dynamodb:PutItem'],
    });
    props.grantPseudonymKeyRead(this.builder);
    this.grantObjects(this.builder, data.packsBucket, 'drafts', ['s3:PutObject']);

    packsFunction.function.addEnvironment('PACK_BUILDER_FUNCTION', this.builder.function.functionName);
    packsFunction.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.builder.function.functionArn],
      }),
    );
    // Previews and the copy source read drafts; publishing writes the copies; downloads are
    // presigned GETs, which S3 authorises against this role when the link is used.
    this.grantObjects(packsFunction, data.packsBucket, 'drafts', ['s3:GetObject']);
    this.grantObjects(packsFunction, data.publishedPacksBucket, 'published', [
      's3:GetObject',
      's3:PutObject',
    ]);

    for (const fn of [this.builder, packsFunction]) {
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [data.dataKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
      );
    }
  }

  /** The actions on `<prefix>/*` of one bucket, with the acknowledgement naming that exact resource. */
  private grantObjects(
    fn: ApiFunction,
    bucket: s3.IBucket,
    prefix: 'drafts' | 'published',
    actions: readonly ('s3:GetObject' | 's3:PutObject')[],
  ): void {
    const bucketArn = bucket.stack.exportValue(bucket.bucketArn);
    const importName = (Stack.of(this).resolve(bucketArn) as { 'Fn::ImportValue': string })[
      'Fn::ImportValue'
    ];
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: [`${bucketArn}/${prefix}/*`] }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${importName}/${prefix}/*]`,
      reason: `Pack files are ${prefix}/<pack id>/..., one folder per pack made at run time, so no fixed ARN can name them; the grant is limited to that prefix and to ${actions.join(' and ')}.`,
    });
  }
}
