import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../shared/routes';
import { LAMBDA_BUNDLING, REPO_ROOT, WEB_BUNDLE_FILES } from './bundling';

export interface ApiFunctionProps {
  /**
   * The function's name in `FUNCTION_NAMES`, or one of the functions no route invokes (the pack
   * builder, the import worker, the quarantine mover); its code is `functions/<name>/handler.ts`.
   */
  readonly name: FunctionName | 'pack-builder' | 'import-worker' | 'quarantine';
  /** Configuration the handler reads at cold start (see `shared/config.ts`). */
  readonly environment: Record<string, string>;
  /**
   * Memory in MB. Lambda allocates CPU in proportion, so this also sets cold-start speed.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * How long one invocation may run. API Gateway gives up after 30 s anyway.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /** Concurrent executions reserved for the function, which are also its ceiling. */
  readonly reservedConcurrentExecutions: number;
  /**
   * For a function invoked asynchronously: where Lambda sends an event it gave up on (after its
   * two retries), with the error. API functions, invoked synchronously, have none.
   * @default - none
   */
  readonly onFailure?: lambda.IDestination;
}

/**
 * A Lambda function that answers API Gateway requests, with the house defaults: Node.js 22 on ARM64,
 * explicit memory and timeout, its own log group with retention, X-Ray tracing, and an ESM bundle
 * (minified, with source maps, AWS SDK v3 included so its version is the one in our lockfile).
 *
 * Only for functions invoked synchronously by the API: that is why no dead-letter queue is set.
 * Asynchronous functions (the pack builder) need an on-failure destination instead.
 *
 * The role starts empty apart from writing to its own log group and sending traces; grant it what
 * the handler needs, table by table.
 */
export class ApiFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      // Long enough to investigate an incident across an early-testing quarter, short enough not to
      // keep request metadata about staff for longer than the evaluation needs.
      retention: logs.RetentionDays.SIX_MONTHS,
    });

    // Our own role rather than the default one, which carries the AWSLambdaBasicExecutionRole managed
    // policy (logs:* on every log group in the account).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.name} API function`,
    });
    this.grantPrincipal = this.role;
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Handler', {
      entry: join(REPO_ROOT, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      ...(props.onFailure ? { onFailure: props.onFailure } : {}),
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        // The only dimension of the function's own metrics (shared/http/metrics.ts).
        POWERTOOLS_SERVICE_NAME: props.name,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: true,
        target: LAMBDA_BUNDLING.target,
        banner: LAMBDA_BUNDLING.banner,
        esbuildArgs: Object.fromEntries(
          Object.entries(LAMBDA_BUNDLING.alias).map(([from, to]) => [`--alias:${from}`, to]),
        ),
        // Bundle everything, AWS SDK v3 included, so the deployed SDK is the tested one.
        externalModules: [],
        // The local esbuild is enough; never fall back to Docker.
        forceDockerBundling: false,
        ...(props.name === 'web'
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  WEB_BUNDLE_FILES.flatMap(([from, to]) => [
                    `mkdir -p "${join(outputDir, to, '..')}"`,
                    `cp -R "${join(inputDir, from)}" "${join(outputDir, to)}"`,
                  ]),
              },
            }
          : {}),
      },
    });

    Validations.of(this.function).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 is the runtime this project pins and the one the handlers are ' +
          'tested on; moving to Node.js 24 is a deliberate upgrade, not a drift to fix silently.',
      },
      {
        id: 'Serverless-LambdaLatestVersion',
        reason:
          'Node.js 22 is the runtime this project pins and the one the handlers are ' +
          'tested on; moving to Node.js 24 is a deliberate upgrade, not a drift to fix silently.',
      },
      props.onFailure
        ? {
            id: 'Serverless-LambdaDLQ',
            reason:
              'Invoked asynchronously with an on-failure destination instead of a dead-letter queue: the ' +
              'destination receives the failed event together with the error, which a DLQ does not.',
          }
        : {
            id: 'Serverless-LambdaDLQ',
            reason:
              'API functions are only invoked synchronously by API Gateway, which returns the error to the ' +
              'caller; a dead-letter queue only ever receives failed asynchronous invocations.',
          },
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which do not support ' +
        'resource-level permissions; every other statement on this role names its resource.',
    });
  }
}
