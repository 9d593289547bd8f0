import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

/**
 * Structured logs. The fields are a closed set on purpose: no body, no claim, no free text and no
 * identifier of a person can be logged, because there is no field to put it in. The type says so
 * at compile time; `closedRecord` says so again at run time, so a field added by mistake (or a
 * value that is not the shape its field promises) never reaches the output.
 */
export interface LogFields {
  readonly operationId?: string;
  readonly status?: number;
  readonly durationMs?: number;
  /** Lambda's request id; by default the one of the invocation being handled. */
  readonly requestId?: string;
  readonly errorName?: string;
  readonly replayed?: boolean;
}

/** What happened to a request: the only messages a log line can carry. */
export type LogMessage = 'handled' | 'refused' | 'failed' | 'replayed';

const MESSAGES: ReadonlySet<string> = new Set<LogMessage>(['handled', 'refused', 'failed', 'replayed']);

/** Identifiers only (operation ids, error class names): never a sentence, never a value a caller typed. */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Lambda request ids are UUIDs; tests and the local server use short tokens of the same alphabet. */
const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;
/** Lambda function names: letters, digits, hyphens and underscores, at most 140. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,140}$/;
/** An X-Ray trace id's root: `1-<8 hex digits of time>-<24 hex digits>`. */
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

type Check = (value: unknown) => boolean;
const matches =
  (pattern: RegExp): Check =>
  (value) =>
    typeof value === 'string' && pattern.test(value);

const FIELD_CHECKS: { readonly [K in keyof LogFields]-?: Check } = {
  operationId: matches(IDENTIFIER),
  status: (value) => Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599,
  durationMs: (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0,
  requestId: matches(REQUEST_ID),
  errorName: matches(IDENTIFIER),
  replayed: (value) => typeof value === 'boolean',
};

/**
 * The one line a request leaves: the level, the message, the time, which function and invocation
 * (cold start, X-Ray trace id) and the request's own fields, each kept only if it has its field's
 * shape. Anything else the logger was handed is dropped here.
 */
export function closedRecord(attributes: UnformattedAttributes, fields: LogAttributes): LogAttributes {
  const context = attributes.lambdaContext;
  const record: Record<string, unknown> = {
    level: attributes.logLevel,
    message: MESSAGES.has(attributes.message) ? attributes.message : 'unknown',
    time: attributes.timestamp.toISOString(),
  };
  if (matches(FUNCTION_NAME)(context?.functionName)) record.functionName = context?.functionName;
  if (context) record.coldStart = context.coldStart;
  if (matches(TRACE_ID)(attributes.xRayTraceId)) record.traceId = attributes.xRayTraceId;
  if (matches(REQUEST_ID)(context?.awsRequestId)) record.requestId = context?.awsRequestId;
  for (const [key, check] of Object.entries(FIELD_CHECKS)) {
    const value = fields[key];
    if (value !== undefined && check(value))
      record[key] = key === 'durationMs' ? Math.round(value as number) : value;
  }
  return record;
}

class ClosedFieldFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    return new LogItem({ attributes: closedRecord(attributes, additional) });
  }
}

/**
 * `LOG_LEVEL`: `info` (default), `error` (failures only) or `silent` (tests). Lambda's own log
 * level control, when set on the function, takes precedence.
 */
function logLevelOf(value: string | undefined): 'INFO' | 'ERROR' | 'SILENT' {
  if (value === 'error') return 'ERROR';
  if (value === 'silent') return 'SILENT';
  return 'INFO';
}

/**
 * Request logs through Powertools for AWS Lambda's logger (JSON lines, Lambda context, cold start,
 * X-Ray trace id), with the closed set of fields enforced by its formatter.
 */
export class RequestLog {
  readonly #logger: Logger;

  constructor(level: string | undefined = process.env.LOG_LEVEL) {
    this.#logger = new Logger({ logLevel: logLevelOf(level), logFormatter: new ClosedFieldFormatter() });
  }

  /** Call once per invocation, first: the invocation's request id and whether it is a cold start. */
  begin(context: Partial<Context>): void {
    this.#logger.addContext(context as Context);
  }

  write(level: 'info' | 'error', message: LogMessage, fields: LogFields): void {
    this.#logger[level](message, { ...fields });
  }
}

const requestLog = new RequestLog();

/** Marks the start of an invocation for the lines `logRequest` writes during it. */
export function beginRequestLog(context: Partial<Context>): void {
  requestLog.begin(context);
}

export function logRequest(level: 'info' | 'error', message: LogMessage, fields: LogFields): void {
  requestLog.write(level, message, fields);
}
