import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../shared/domain/roles';
import type { SiteId } from '../../shared/domain/sites';

/**
 * The signed-in user as the web function keeps them: the identity provider's ID token (sent to the
 * API as the bearer token, never to page JavaScript) and what the pages need to know before calling
 * the API. It lives only in an encrypted, HttpOnly cookie: the function itself keeps no state.
 */
export interface Session {
  /** Random per sign-in; the CSRF token is bound to it. */
  readonly sid: string;
  readonly idToken: string;
  /** Seconds since the epoch: the ID token's own expiry, which ends the session. */
  readonly expiresAt: number;
  readonly roles: readonly Role[];
  readonly site: SiteId | undefined;
  /** A first name or demo name to greet the user with; never sent anywhere else. */
  readonly name: string;
}

/** The cookie holding the session. `__Host-`: Secure, path `/`, no Domain, so no other host can set it. */
export const SESSION_COOKIE = '__Host-clw-session';
/** The short-lived cookie holding a sign-in's state and PKCE verifier between redirect and callback. */
export const SIGN_IN_COOKIE = '__Host-clw-sign-in';

/** Keys derived from the one session secret, each for one purpose only. */
export interface SessionKeys {
  readonly encryption: Buffer;
  readonly csrf: Buffer;
}

/** Derives the encryption and CSRF keys (HKDF-SHA256) from the session secret (at least 32 bytes). */
export function sessionKeys(secret: Buffer): SessionKeys {
  if (secret.byteLength < 32) throw new Error('The session key must be at least 32 bytes.');
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `clw-web/${purpose}`, 32));
  return { encryption: derive('session-encryption'), csrf: derive('csrf') };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM over the JSON of `value`, with `purpose` as additional data so a sign-in cookie can
 * never be replayed as a session cookie. Output: base64url of IV, ciphertext and tag.
 */
export function seal(key: Buffer, purpose: string, value: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The value `seal` sealed, or undefined when the text was not sealed with this key and purpose. */
export function unseal(key: Buffer, purpose: string, text: string): unknown {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.byteLength < IV_BYTES + TAG_BYTES + 2) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(bytes.subarray(bytes.byteLength - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.byteLength - TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A new session for a verified ID token's claims. */
export function newSession(idToken: string, claims: IdTokenClaims): Session {
  return {
    sid: randomUUID(),
    idToken,
    expiresAt: claims.expiresAt,
    roles: claims.roles,
    site: claims.site,
    name: claims.name,
  };
}

export interface IdTokenClaims {
  readonly expiresAt: number;
  readonly roles: readonly Role[];
  readonly site: SiteId | undefined;
  readonly name: string;
}

export type SessionState =
  | { readonly kind: 'none' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'active'; readonly session: Session };

/**
 * Reads the session cookie: `none` without one (or with one this key did not seal, such as one from
 * before a key rotation), `expired` once its ID token has expired, which ends the session.
 */
export function readSession(keys: SessionKeys, cookie: string | undefined, now: Date): SessionState {
  if (cookie === undefined || cookie === '') return { kind: 'none' };
  const value = unseal(keys.encryption, SESSION_COOKIE, cookie);
  if (!isSession(value)) return { kind: 'none' };
  if (value.expiresAt * 1000 <= now.getTime()) return { kind: 'expired' };
  return { kind: 'active', session: value };
}

/** The `Set-Cookie` value for a session, living exactly as long as its ID token. */
export function sessionCookie(keys: SessionKeys, session: Session, now: Date): string {
  const maxAge = Math.max(0, session.expiresAt - Math.floor(now.getTime() / 1000));
  return cookie(SESSION_COOKIE, seal(keys.encryption, SESSION_COOKIE, session), maxAge);
}

/** A `Set-Cookie` value that removes the named cookie. */
export function clearedCookie(name: string): string {
  return cookie(name, '', 0);
}

/**
 * HttpOnly (no page script can read it), Secure, SameSite=Lax (not sent on cross-site POSTs), path `/`
 * and no Domain, as the `__Host-` prefix requires.
 */
export function cookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; Secure; SameSite=Lax`;
}

/** Cookies of a payload-2.0 event (API Gateway moves them to `cookies`; a plain header otherwise). */
export function readCookies(
  cookies: readonly string[] | undefined,
  header: string | undefined,
): Map<string, string> {
  const pairs = cookies ?? (header ? header.split(';') : []);
  const found = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    if (!found.has(name)) found.set(name, pair.slice(at + 1).trim());
  }
  return found;
}

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.sid === 'string' &&
    typeof v.idToken === 'string' &&
    typeof v.expiresAt === 'number' &&
    Array.isArray(v.roles) &&
    typeof v.name === 'string'
  );
}
