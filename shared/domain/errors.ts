/** A field-level problem: `pointer` is a JSON pointer into the request (RFC 6901), e.g. `/body/answers/safety`. */
export interface FieldProblem {
  readonly pointer: string;
  readonly detail: string;
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
