/** A field-level problem: `pointer` is a JSON pointer into the request (RFC 6901), e.g. `/body/answers/safety`. */
export interface FieldProblem {
  readonly pointer: string;
  readonly detail: string;
}

/** One path segment of a JSON pointer, escaped as RFC 6901 says (`~` as `~0`, `/` as `~1`). */
export const pointerSegment = (segment: PropertyKey): string =>
  String(segment).replaceAll('~', '~0').replaceAll('/', '~1');

/** What a zod issue carries that a problem needs (structural, so this module imports no zod). */
interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
}

/**
 * Parse options that word a missing field as "is required" rather than zod's "expected string,
 * received undefined" (the issue's input is only seen while parsing, not in the issues after).
 */
export const MISSING_IS_REQUIRED = {
  error: (issue: { readonly code?: string; readonly input?: unknown }) =>
    issue.input === undefined && issue.code === 'invalid_type' ? 'is required' : undefined,
};

/**
 * Schema issues as field problems under `prefix`: one per unknown field, one per other issue (parse
 * with {@link MISSING_IS_REQUIRED} so a missing field reads "is required").
 *
 * @example
 * const parsed = schema.safeParse(body, MISSING_IS_REQUIRED);
 * if (!parsed.success) issuesAsProblems(parsed.error.issues, '/body') // [{ pointer: '/body/answers/safety', detail: 'is required' }]
 */
export function issuesAsProblems(
  issues: readonly SchemaIssue[],
  prefix: string,
  unknownField = 'is not a field of this request',
): FieldProblem[] {
  return issues.flatMap((issue) => {
    const unknown = issue.code === 'unrecognized_keys';
    const paths = unknown ? (issue.keys ?? []).map((k) => [...issue.path, k]) : [issue.path];
    return paths.map((path) => ({
      pointer: [prefix, ...path.map(pointerSegment)].join('/'),
      detail: unknown ? unknownField : issue.message,
    }));
  });
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly errors: readonly FieldProblem[],
    message = 'The request has fields that are missing or not valid.',
  ) {
    super(message);
  }
}

export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** What the request would act on was removed on purpose and will not come back: do not retry it. */
export class GoneError extends Error {
  override readonly name = 'GoneError';
}

export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
}

export class ProgrammePausedError extends Error {
  override readonly name = 'ProgrammePausedError';
}

export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
}

/**
 * The request could not be done in the time or capacity it had, and nothing of it remains: the
 * caller should send it again after `retryAfterSeconds` (answered as 503 with `Retry-After`).
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
