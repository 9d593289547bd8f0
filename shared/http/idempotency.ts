/** A response as remembered for an `Idempotency-Key` replay. */
export interface StoredResponse {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type BeginOutcome =
  { readonly kind: 'new' } | { readonly kind: 'replay'; readonly response: StoredResponse };

/**
 * The port for `Idempotency-Key`. `begin` claims the key for a request fingerprint, or returns the
 * first response for a replay; it throws `IdempotencyKeyReusedError` for the same key with another
 * body, `ConflictError` while the first request is still running, and `GoneError` when the response
 * copy was erased with the participant it was about (the request must not run again).
 */
export interface IdempotencyStore {
  begin(key: string, fingerprint: string): Promise<BeginOutcome>;
  complete(key: string, response: StoredResponse): Promise<void>;
  release(key: string): Promise<void>;
}
