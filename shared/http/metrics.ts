import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The CloudWatch namespace of the product's own metrics (the alarms in `lib/alarms.ts` read it too). */
export const METRICS_NAMESPACE = 'ClwLearning';

/**
 * The product's own metrics, all counts. Each has one dimension, `service`: the function's name
 * (`imports`, `wellbeing`...), never a site, a user or anything else about a request, so no metric
 * can single anyone out.
 */
export const METRIC_NAMES = {
  /** An import job that failed or was cancelled and had what it staged deleted (nothing kept). */
  importUndone: 'ImportsUndone',
  /** A request answered from its `Idempotency-Key` copy instead of running again. */
  idempotentReplay: 'IdempotentReplays',
  /** A submission refused (423) because the programme is paused. */
  refusedWhilePaused: 'RefusedWhilePaused',
  /** Groups an answer left out under the disclosure policy. */
  groupsSuppressed: 'GroupsSuppressed',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/**
 * Counts through Powertools for AWS Lambda's metrics, published as CloudWatch embedded metric
 * format (EMF) lines on stdout, which CloudWatch turns into metrics from the function's log. Only
 * in Lambda: anywhere else (tests, `npm start`) nothing reads them, so counts are dropped and
 * nothing is printed. `POWERTOOLS_METRICS_DISABLED=true` turns them off in Lambda too.
 */
export class RequestMetrics {
  #metrics: Metrics | undefined;

  /** `env` is read when the first event is counted, as the Lambda runtime has set it by then. */
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  count(name: MetricName, value = 1): void {
    if (value <= 0 || this.env.AWS_LAMBDA_FUNCTION_NAME === undefined) return;
    this.#metrics ??= new Metrics({
      namespace: METRICS_NAMESPACE,
      // Set per function by `lib/api-function.ts`; it is the only dimension.
      serviceName: this.env.POWERTOOLS_SERVICE_NAME ?? 'unknown',
    });
    this.#metrics.addMetric(name, MetricUnit.Count, value);
  }

  /** Writes what this invocation counted (one EMF line), if anything. */
  publish(): void {
    if (this.#metrics?.hasStoredMetrics()) this.#metrics.publishStoredMetrics();
  }
}

const requestMetrics = new RequestMetrics();

/** Counts an event of this invocation; `publishMetrics` writes the counts when the request ends. */
export function countMetric(name: MetricName, value = 1): void {
  requestMetrics.count(name, value);
}

export function publishMetrics(): void {
  requestMetrics.publish();
}
