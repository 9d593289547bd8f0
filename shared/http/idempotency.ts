/** A response as remembered for an `Idempotency-Key` replay. */
export interface StoredResponse {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * `new`: this request now holds the key, under a claim id of its own; only the holder of that claim
 * may complete or release it, so a second request that was refused (409, 422) or a first one whose lock
 * lapsed and was taken over cannot undo another request's claim.
 */
export type BeginOutcome =
  | { readonly kind: 'new'; readonly claim: string }
  | { readonly kind: 'replay'; readonly response: StoredResponse };

/**
 * The port for `Idempotency-Key`. `begin` claims the key for a request fingerprint, or returns the
 * first response for a replay; it throws `IdempotencyKeyReusedError` for the same key with another
 * body, `ConflictError` while the first request is still running, and `GoneError` when the response
 * copy was erased with the participant it was about (the request must not run again).
 */
export interface IdempotencyStore {
  begin(key: string, fingerprint: string): Promise<BeginOutcome>;
  complete(key: string, claim: string, response: StoredResponse): Promise<void>;
  release(key: string, claim: string): Promise<void>;
}
