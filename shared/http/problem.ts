import {
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  GoneError,
  IdempotencyKeyReusedError,
  NotFoundError,
  PayloadTooLargeError,
  ProgrammePausedError,
  RetryLaterError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors';

/** RFC 9457 problem details, as every error of this API is answered. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly errors?: readonly FieldProblem[];
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** The one place error classes meet HTTP status codes. */
const STATUS_OF: readonly [ErrorClass, number, string][] = [
  [ValidationError, 400, 'Bad request'],
  [UnauthenticatedError, 401, 'Not signed in'],
  [ForbiddenError, 403, 'Forbidden'],
  [NotFoundError, 404, 'Not found'],
  [ConflictError, 409, 'Conflict'],
  [GoneError, 410, 'Gone'],
  [PayloadTooLargeError, 413, 'Request body too large'],
  [UnsupportedMediaTypeError, 415, 'Unsupported media type'],
  [IdempotencyKeyReusedError, 422, 'Idempotency key reused'],
  [ProgrammePausedError, 423, 'Programme paused'],
  [RetryLaterError, 503, 'Try again later'],
];

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Turns any thrown value into problem details. Only known (4xx) errors expose their message; anything
 * else is a 500 whose body says nothing about the cause.
 */
export function toProblem(error: unknown, instance: string): Problem {
  for (const [cls, status, title] of STATUS_OF) {
    if (error instanceof cls) {
      return {
        type: `/problems/${title.toLowerCase().replaceAll(' ', '-')}`,
        title,
        status,
        detail: error.message,
        instance,
        ...(error instanceof ValidationError ? { errors: error.errors } : {}),
      };
    }
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side. It has been logged; please try again later.',
    instance,
  };
}
