import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IMPORT_WORKER_LIMITS } from '../functions/import-worker/worker';
import { IMPORT_WORKER_CONCURRENCY } from './api-limits';
import { ApiFunction } from './api-function';
import type { StatefulResources } from './stateful-stack';

/** Where import files live in the uploads bucket: `imports/<job id>/file.csv`. */
export const IMPORTS_PREFIX = 'imports/';

export interface ImportWorkerProps {
  readonly data: StatefulResources;
  readonly environment: Record<string, string>;
  /** The imports function, which starts the worker and stores or presigns the files it reads. */
  readonly importsFunction: ApiFunction;
  readonly grantData: (fn: ApiFunction) => void;
  readonly grantPseudonymKeyRead: (fn: ApiFunction) => void;
}

/**
 * The import worker function, its on-failure queue, and what the imports function needs to start
 * it: the worker's name and the right to invoke it (only it). The worker reads the job's file under
 * `imports/` of the uploads bucket and writes the streams it imports (granted by `grantData`).
 */
export class ImportWorker extends Construct {
  readonly worker: ApiFunction;
  /**
   * Receives an import event Lambda gave up on (after two retries), with the error, for 14 days; the
   * worker reads it back and fails the job.
   */
  readonly failedImports: sqs.Queue;

  constructor(scope: Construct, id: string, props: ImportWorkerProps) {
    super(scope, id);
    const { data, importsFunction } = props;
    const region = Stack.of(this).region;

    this.failedImports = new sqs.Queue(this, 'FailedImports', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Lambda's advice for a queue it reads: six times the reading function's timeout.
      visibilityTimeout: Duration.seconds(IMPORT_WORKER_LIMITS.timeoutSeconds * 6),
    });
    const endOfTheLine =
      'This queue is itself the end of the line: the on-failure destination of the import worker, ' +
      'holding only { importId } and the error; the worker reads it back to mark the job failed and delete ' +
      'what it staged, and a message it cannot handle stays here to come back until it expires.';
    Validations.of(this.failedImports).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: endOfTheLine },
      { id: 'Serverless-SQSRedrivePolicy', reason: endOfTheLine },
    );

    this.worker = new ApiFunction(this, 'Worker', {
      name: 'import-worker',
      environment: props.environment,
      memorySize: IMPORT_WORKER_LIMITS.memoryMb,
      timeout: Duration.seconds(IMPORT_WORKER_LIMITS.timeoutSeconds),
      onFailure: new SqsDestination(this.failedImports),
      reservedConcurrentExecutions: IMPORT_WORKER_CONCURRENCY,
    });
    // The worker reads its own on-failure queue: a job Lambda gave up on is marked failed and
    // what it staged deleted, rather than showing `writing` for ever.
    this.worker.function.addEventSource(
      new SqsEventSource(this.failedImports, { batchSize: 1, reportBatchItemFailures: true }),
    );
    Validations.of(this.worker.function).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'The mapping reads the on-failure queue itself: a message the worker cannot handle stays on that queue ' +
        'and comes back until it expires; there is no further place to send it.',
    });
    props.grantData(this.worker);
    props.grantPseudonymKeyRead(this.worker);
    importsFunction.function.addEnvironment('IMPORT_WORKER_FUNCTION', this.worker.function.functionName);
    importsFunction.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.worker.function.functionArn],
      }),
    );

    // The imports function stores inline files and presigns uploads (PutObject) and checks an upload
    // has landed (HEAD is GetObject); the worker reads the file.
    const bucketArn = data.uploadsBucket.stack.exportValue(data.uploadsBucket.bucketArn);
    const importName = (Stack.of(this).resolve(bucketArn) as { 'Fn::ImportValue': string })[
      'Fn::ImportValue'
    ];
    const grants: [ApiFunction, string[]][] = [
      [importsFunction, ['s3:PutObject', 's3:GetObject']],
      [this.worker, ['s3:GetObject']],
    ];
    for (const [fn, actions] of grants) {
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions, resources: [`${bucketArn}/${IMPORTS_PREFIX}*`] }),
      );
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${importName}/${IMPORTS_PREFIX}*]`,
        reason: `Import files are ${IMPORTS_PREFIX}<job id>/file.csv, one folder per job made at run time, so no fixed ARN can name them; the grant is limited to that prefix and to ${actions.join(' and ')}.`,
      });
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [data.dataKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
      );
    }
  }
}
