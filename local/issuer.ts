import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import { type Role, ROLES, SITE_SCOPED_ROLES } from '../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../shared/domain/sites';

/** The local stand-in for the Cognito user pool: an RS256 key kept under `.data/`. */
export const LOCAL_ISSUER = 'urn:clw-learning:local-issuer';
export const LOCAL_AUDIENCE = 'clw-learning-local';

export interface DemoUser {
  readonly role: Role;
  readonly site?: SiteId | undefined;
  /** A short name for a demo person; the same name always gives the same identity. */
  readonly user: string;
  /** Lifetime in seconds; negative gives an already-expired token (for tests). */
  readonly expiresInSeconds?: number;
  /**
   * What Cognito would call the token: `id` (the default, what clients send) or `access`, which the
   * API refuses; only tests ask for an access token.
   */
  readonly tokenUse?: 'id' | 'access';
}

export interface LocalIssuer {
  readonly sign: (user: DemoUser) => Promise<string>;
  readonly verify: (token: string) => Promise<Record<string, unknown>>;
}

/** Loads the local signing key from `dir`, making one the first time. */
export async function localIssuer(dir: string): Promise<LocalIssuer> {
  const file = join(dir, 'local-issuer-key.json');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    writeFileSync(file, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const privateKey = await importJWK(jwk, 'RS256');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  const publicKey = await importJWK(publicJwk, 'RS256');
  return {
    sign: async (user) => {
      if (!ROLES.includes(user.role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
      if (SITE_SCOPED_ROLES.includes(user.role) && !user.site) throw new Error(`a ${user.role} needs --site`);
      if (user.site && !SITE_IDS.includes(user.site))
        throw new Error(`site must be one of ${SITE_IDS.join(', ')}`);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        'cognito:groups': [user.role],
        ...(user.site ? { 'custom:site': user.site } : {}),
        // Like Cognito's ID token, the one the API takes (it carries `custom:site`).
        token_use: user.tokenUse ?? 'id',
      })
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject(demoSubject(user.user))
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + (user.expiresInSeconds ?? 3600))
        .sign(privateKey);
    },
    verify: async (token) => {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
      });
      return payload;
    },
  };
}

/** A stable, UUID-shaped subject for a demo user name, as Cognito's `sub` would be. */
export function demoSubject(user: string): string {
  const hex = createHash('sha256').update(`demo-user:${user}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
