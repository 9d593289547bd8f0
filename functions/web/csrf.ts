import { createHmac, timingSafeEqual } from 'node:crypto';

/** The hidden field every form carries. */
export const CSRF_FIELD = 'csrfToken';

/**
 * The CSRF token of a session: an HMAC of its id under the CSRF key. Nothing is stored: the
 * function recomputes it from the session cookie, which another site can neither read nor (being
 * SameSite=Lax) send with a cross-site POST.
 */
export function csrfToken(csrfKey: Buffer, sessionId: string): string {
  return createHmac('sha256', csrfKey).update(`csrf\u0000${sessionId}`).digest('base64url');
}

/** Whether a submitted token is the session's, compared in constant time. */
export function csrfTokenMatches(csrfKey: Buffer, sessionId: string, submitted: string | undefined): boolean {
  if (submitted === undefined) return false;
  const expected = Buffer.from(csrfToken(csrfKey, sessionId));
  const given = Buffer.from(submitted);
  return given.byteLength === expected.byteLength && timingSafeEqual(given, expected);
}
