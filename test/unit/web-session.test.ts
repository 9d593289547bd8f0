import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csrfToken, csrfTokenMatches } from '../../functions/web/csrf';
import { API_ROUTES, findPage, mayOpen, PAGES, startLinks, WEB_ROUTES } from '../../functions/web/pages';
import {
  newSession,
  readCookies,
  readSession,
  seal,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  sessionCookie,
  sessionKeys,
  unseal,
} from '../../functions/web/session';
import { ROUTE_ACCESS_FILE, routeAccessText } from '../../local/route-access-file';
import type { Principal } from '../../shared/domain/roles';
import { ROUTE_LIST } from '../../shared/routes';

const keys = sessionKeys(randomBytes(32));
const claims = {
  expiresAt: 2_000_000_000,
  roles: ['provider'] as const,
  site: 'london' as const,
  name: 'sam',
};
const cookieValue = (setCookie: string) => /^[^=]+=([^;]*)/.exec(setCookie)?.[1];

describe('the session cookie', () => {
  it('round-trips a session through AES-256-GCM, and the cookie does not show the token', () => {
    const session = newSession('header.payload.signature', claims);
    const setCookie = sessionCookie(keys, session, new Date(1_999_999_000_000));

    const state = readSession(keys, cookieValue(setCookie), new Date(1_999_999_000_000));

    expect(state).toEqual({ kind: 'active', session });
    expect(setCookie).not.toContain('header.payload');
    expect(setCookie).toMatch(
      /^__Host-clw-session=[\w-]+; Max-Age=1000; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('ends when the ID token expires', () => {
    const session = newSession('t', claims);
    const value = cookieValue(sessionCookie(keys, session, new Date(1_999_999_000_000)));

    expect(readSession(keys, value, new Date(1_999_999_999_999)).kind).toBe('active');
    expect(readSession(keys, value, new Date(2_000_000_000_000)).kind).toBe('expired');
  });

  it('refuses a cookie changed by one bit, sealed with another key, or sealed for another purpose', () => {
    const session = newSession('t', claims);
    const value = cookieValue(sessionCookie(keys, session, new Date(0))) ?? '';
    const bytes = Buffer.from(value, 'base64url');
    bytes[20] = (bytes[20] ?? 0) ^ 1;
    const otherKeys = sessionKeys(randomBytes(32));
    const asSignIn = seal(keys.encryption, SIGN_IN_COOKIE, session);

    expect(readSession(keys, bytes.toString('base64url'), new Date(0))).toEqual({ kind: 'none' });
    expect(readSession(otherKeys, value, new Date(0))).toEqual({ kind: 'none' });
    expect(readSession(keys, asSignIn, new Date(0))).toEqual({ kind: 'none' });
    expect(readSession(keys, 'not-a-cookie', new Date(0))).toEqual({ kind: 'none' });
    expect(readSession(keys, undefined, new Date(0))).toEqual({ kind: 'none' });
    expect(unseal(keys.encryption, SESSION_COOKIE, asSignIn)).toBeUndefined();
  });

  it('gives each sealing a fresh IV, so the same session never gives the same cookie twice', () => {
    const session = newSession('t', claims);
    expect(seal(keys.encryption, SESSION_COOKIE, session)).not.toBe(
      seal(keys.encryption, SESSION_COOKIE, session),
    );
  });

  it('refuses a session key shorter than 32 bytes', () => {
    expect(() => sessionKeys(randomBytes(31))).toThrow(/at least 32 bytes/);
  });

  it("reads cookies from API Gateway's cookies field and from a Cookie header, first one winning", () => {
    expect(readCookies(['a=1', 'b=x=y'], undefined)).toEqual(
      new Map([
        ['a', '1'],
        ['b', 'x=y'],
      ]),
    );
    expect(readCookies(undefined, 'a=1; a=2; junk; c=3')).toEqual(
      new Map([
        ['a', '1'],
        ['c', '3'],
      ]),
    );
  });
});

describe('the CSRF token', () => {
  it("matches only its own session's token", () => {
    const token = csrfToken(keys.csrf, 'session-1');

    expect(csrfTokenMatches(keys.csrf, 'session-1', token)).toBe(true);
    expect(csrfTokenMatches(keys.csrf, 'session-2', token)).toBe(false);
    expect(csrfTokenMatches(keys.csrf, 'session-1', `${token}x`)).toBe(false);
    expect(csrfTokenMatches(keys.csrf, 'session-1', undefined)).toBe(false);
    expect(csrfTokenMatches(sessionKeys(randomBytes(32)).csrf, 'session-1', token)).toBe(false);
  });

  it('is not the session key itself nor derived with the encryption key', () => {
    expect(keys.csrf.equals(keys.encryption)).toBe(false);
    expect(csrfToken(keys.csrf, 's')).not.toBe(csrfToken(keys.encryption, 's'));
  });
});

const person = (roles: Principal['roles'], site?: Principal['site']): Principal => ({
  actor: '',
  roles,
  site,
});

describe('who may open a page', () => {
  it("is the route table's access for every API operation the page uses, with the site check", () => {
    expect(mayOpen(person(['provider'], 'london'), PAGES.checkIn, 'london')).toBe(true);
    expect(mayOpen(person(['provider'], 'london'), PAGES.checkIn, 'north-east')).toBe(false);
    expect(mayOpen(person(['practitioner'], 'london'), PAGES.checkIn, 'london')).toBe(false);
    expect(mayOpen(person(['evaluator']), PAGES.checkIn, 'london')).toBe(false);
    expect(mayOpen(person(['evaluator']), PAGES.capitalCheck, 'london')).toBe(true);
    expect(mayOpen(person(['practitioner'], 'north-east'), PAGES.barrierReport, 'north-east')).toBe(true);
    expect(mayOpen(person(['market']), PAGES.barrierReport, 'london')).toBe(false);
    expect(mayOpen(person(['market']), PAGES.start, undefined)).toBe(true);
  });

  it('offers on the start page only what the user may open: a provider their own site, an evaluator every site', () => {
    const provider = startLinks(person(['provider'], 'north-east')).map((link) => link.href);
    const practitioner = startLinks(person(['practitioner'], 'london')).map((link) => link.href);
    const evaluator = startLinks(person(['evaluator'])).map((link) => link.href);

    expect(provider).toContain('/site/north-east/check-in');
    // Every site page is their own site's; "you said, we did" belongs to no site.
    expect(provider.filter((href) => !href.startsWith('/site/north-east/'))).toEqual(['/you-said-we-did']);
    expect(practitioner).toEqual(['/site/london/barrier-report', '/you-said-we-did']);
    expect(evaluator).toContain('/site/yorkshire-humber/capital-check');
    expect(evaluator).not.toContain('/site/london/check-in');
    expect(startLinks(person(['market'])).map((link) => link.href)).toEqual(['/market/published-packs']);
    expect(startLinks(person(['admin'])).map((link) => link.href)).toEqual([
      '/you-said-we-did',
      '/admin/programme',
      '/admin/disclosure-policy',
      '/admin/audit',
    ]);
  });

  it('finds the page and its site from the path, and no page elsewhere', () => {
    expect(findPage('/site/london/check-in')).toMatchObject({ id: 'checkIn', site: 'london' });
    expect(findPage('/')).toMatchObject({ id: 'start', site: undefined });
    expect(findPage('/site/london/check-in/extra')).toBeUndefined();
  });

  it('checks pages with the route table as it is (npm run openapi rewrites the copy the web function carries)', () => {
    expect(readFileSync(ROUTE_ACCESS_FILE, 'utf8')).toBe(routeAccessText());
    for (const page of Object.values(PAGES)) {
      for (const operation of page.uses) expect(API_ROUTES[operation]).toBeDefined();
    }
  });
});

describe('page paths', () => {
  /** Whether two route paths could match the same request path, segment by segment. */
  const overlap = (a: string, b: string) => {
    const [x, y] = [a.split('/'), b.split('/')];
    const greedy = (s: string | undefined) => s?.endsWith('+}') === true;
    for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
      const [p, q] = [x[i], y[i]];
      if (greedy(p) || greedy(q)) return true;
      if (p === undefined || q === undefined) return false;
      if (!p.startsWith('{') && !q.startsWith('{') && p !== q) return false;
    }
    return true;
  };

  it('never equal or overlap an API route path, so API Gateway can tell a page from the API', () => {
    const clashes = WEB_ROUTES.flatMap((page) =>
      ROUTE_LIST.filter((route) => overlap(page.path, route.path)).map(
        (route) => `${page.path} ~ ${route.path}`,
      ),
    );
    expect(clashes).toEqual([]);
    expect(overlap('/{site}/check-in', '/packs/{id}')).toBe(true);
    expect(overlap('/site/{site}/check-in', '/sites/{site}/wellbeing-pulses')).toBe(false);
  });
});
