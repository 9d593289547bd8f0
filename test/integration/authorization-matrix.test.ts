import { afterAll, describe, expect, it } from 'vitest';
import { type Role, ROLES } from '../../shared/domain/roles';
import type { SiteId } from '../../shared/domain/sites';
import { type OperationId, ROUTE_LIST } from '../../shared/routes';
import { client, pulseBody } from '../support/client';
import { startTestApi } from '../support/environment';

/**
 * Who may call what, written out by hand from API.md rather than read from the route table, so a
 * wrong entry in the table fails here. `own site only` applies to site-scoped roles (provider,
 * practitioner), whose tokens here belong to london.
 */
const EXPECTED: Record<OperationId, { allowed: 'anyone' | readonly Role[]; ownSiteOnly: readonly Role[] }> = {
  health: { allowed: 'anyone', ownSiteOnly: [] },
  openapi: { allowed: 'anyone', ownSiteOnly: [] },
  listSites: { allowed: ROLES, ownSiteOnly: [] },
  getQuestionnaire: { allowed: ROLES, ownSiteOnly: [] },
  getProgramme: { allowed: ROLES, ownSiteOnly: [] },
  submitWellbeingPulse: { allowed: ['provider'], ownSiteOnly: ['provider'] },
  wellbeingSummary: { allowed: ['evaluator'], ownSiteOnly: [] },
  // ── referrals ──
  // ── findings ──
  // ── participants ──
  // ── engagement ──
  // ── imports ──
};

type Http = ReturnType<typeof client>;

/**
 * A request each caller can make, for a site. It may prepare what it needs first (as an allowed
 * caller), e.g. create the record a GET reads, so that an allowed caller gets a 2xx.
 */
const REQUESTS: Record<
  OperationId,
  (site: SiteId, http: Http) => { path: string; body?: unknown } | Promise<{ path: string; body?: unknown }>
> = {
  health: () => ({ path: '/health' }),
  openapi: () => ({ path: '/openapi.json' }),
  listSites: () => ({ path: '/sites' }),
  getQuestionnaire: () => ({ path: '/questionnaires/wellbeing-pulse' }),
  getProgramme: () => ({ path: '/programme' }),
  submitWellbeingPulse: (site) => ({ path: `/sites/${site}/wellbeing-pulses`, body: pulseBody() }),
  wellbeingSummary: () => ({ path: '/wellbeing/summary' }),
  // ── referrals ──
  // ── findings ──
  // ── participants ──
  // ── engagement ──
  // ── imports ──
};

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const OWN = 'london';
const OTHER = 'north-east';
const SITE_SCOPED: readonly Role[] = ['provider', 'practitioner'];

interface Cell {
  operationId: OperationId;
  who: Role | 'anonymous';
  site: typeof OWN | typeof OTHER;
  expected: 'allowed' | 401 | 403;
}

const cells: Cell[] = ROUTE_LIST.flatMap(({ operationId, path }) => {
  const rule = EXPECTED[operationId];
  const sites = path.includes('{site}') ? ([OWN, OTHER] as const) : ([OWN] as const);
  return sites.flatMap((site) => [
    {
      operationId,
      who: 'anonymous' as const,
      site,
      expected: rule.allowed === 'anyone' ? ('allowed' as const) : (401 as const),
    },
    ...ROLES.map((role): Cell => {
      const roleAllowed = rule.allowed === 'anyone' || rule.allowed.includes(role);
      const siteAllowed = !rule.ownSiteOnly.includes(role) || site === OWN;
      return { operationId, who: role, site, expected: roleAllowed && siteAllowed ? 'allowed' : 403 };
    }),
  ]);
});

describe('authorization matrix: every route × every role × own/other site', () => {
  it('has an expectation for every route in the route table, and no more', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(ROUTE_LIST.map((r) => r.operationId).sort());
  });

  it.each(cells)(
    '$operationId as $who on $site → $expected',
    async ({ operationId, who, site, expected }) => {
      const spec = ROUTE_LIST.find((r) => r.operationId === operationId);
      if (!spec) throw new Error(`no route ${operationId}`);
      const { path, body } = await REQUESTS[operationId](site, http);
      const answer = await http.request(spec.method, path, {
        ...(who === 'anonymous'
          ? {}
          : {
              as: {
                role: who,
                ...(SITE_SCOPED.includes(who) ? { site: OWN } : {}),
                user: `${who}-${operationId}`,
              },
            }),
        ...(body === undefined ? {} : { body }),
      });
      if (expected === 'allowed') {
        expect([200, 201]).toContain(answer.status);
        expect(() => spec.response.schema.parse(answer.body)).not.toThrow();
      } else {
        expect(answer.status).toBe(expected);
        expect(answer.headers.get('content-type')).toBe('application/problem+json');
      }
    },
  );
});

describe('tokens', () => {
  it('answers 401 to an expired token', async () => {
    const expired = await api.issuer.sign({ role: 'evaluator', user: 'late', expiresInSeconds: -60 });
    expect((await http.request('GET', '/sites', { token: expired })).status).toBe(401);
  });

  it('answers 401 to a token signed by someone else', async () => {
    const forged = `${(await api.issuer.sign({ role: 'admin', user: 'x' })).slice(0, -4)}AAAA`;
    expect((await http.request('GET', '/sites', { token: forged })).status).toBe(401);
  });
});

describe('unknown routes', () => {
  it('answers 404 problem+json for a path that does not exist', async () => {
    const answer = await http.request('GET', '/nowhere');
    expect(answer).toMatchObject({ status: 404, body: { status: 404, title: 'Not found' } });
  });

  it('answers 404 naming the methods a known path supports', async () => {
    const answer = await http.request('DELETE', '/sites');
    expect(answer).toMatchObject({ status: 404, body: { detail: 'DELETE is not supported here; use GET.' } });
  });

  it('answers 404 for a questionnaire that does not exist', async () => {
    const answer = await http.request('GET', '/questionnaires/nope', { as: { role: 'market', user: 'm' } });
    expect(answer.status).toBe(404);
  });
});
