import { afterAll, describe, expect, it } from 'vitest';
import { type Role, ROLES } from '../../shared/domain/roles';
import type { SiteId } from '../../shared/domain/sites';
import { type OperationId, ROUTE_LIST } from '../../shared/routes';
import { capitalBody, uniqueRef } from '../support/capital';
import { csvOf } from '../support/csv';
import { engagementFigures } from '../support/engagement';
import { client, pulseBody } from '../support/client';
import { buildBody, buildDraft, EVALUATOR_B, policyBody, startPacksApi, testClock } from '../support/packs';
import { createInterview, createTheme, interviewBody, uniqueThemeName } from '../support/findings';
import { changeBody, createFeedbackLink, createInterest, feedbackAnswer } from '../support/voice';

/**
 * Who may call what, written out by hand from the API's documented access rules rather than read from the route table, so a
 * wrong entry in the table fails here. `own site only` applies to site-scoped roles (provider,
 * practitioner), whose tokens here belong to london.
 */
const EXPECTED: Record<OperationId, { allowed: 'anyone' | readonly Role[]; ownSiteOnly: readonly Role[] }> = {
  health: { allowed: 'anyone', ownSiteOnly: [] },
  openapi: { allowed: 'anyone', ownSiteOnly: [] },
  listSites: { allowed: ROLES, ownSiteOnly: [] },
  getQuestionnaire: { allowed: ROLES, ownSiteOnly: [] },
  getProgramme: { allowed: ROLES, ownSiteOnly: [] },
  changeProgramme: { allowed: ['admin'], ownSiteOnly: [] },
  readAudit: { allowed: ['admin'], ownSiteOnly: [] },
  submitWellbeingPulse: { allowed: ['provider'], ownSiteOnly: ['provider'] },
  wellbeingSummary: { allowed: ['evaluator'], ownSiteOnly: [] },
  // ── referrals ──
  submitReferralBarrier: {
    allowed: ['practitioner', 'provider', 'evaluator'],
    ownSiteOnly: ['practitioner', 'provider'],
  },
  // ── findings ──
  getCodebook: { allowed: ['evaluator'], ownSiteOnly: [] },
  addCodebookTheme: { allowed: ['evaluator'], ownSiteOnly: [] },
  createUpload: { allowed: ['evaluator'], ownSiteOnly: [] },
  submitInterview: { allowed: ['evaluator'], ownSiteOnly: [] },
  getInterview: { allowed: ['evaluator'], ownSiteOnly: [] },
  // Idempotent: 200 with zero counts when the finding is already gone.
  eraseInterview: { allowed: ['evaluator'], ownSiteOnly: [] },
  // No {site}: a provider of any site may preview redaction.
  previewRedaction: { allowed: ['evaluator', 'provider'], ownSiteOnly: [] },
  // ── participants ──
  submitCapitalAssessment: { allowed: ['provider', 'evaluator'], ownSiteOnly: ['provider'] },
  listFollowUps: { allowed: ['provider', 'evaluator'], ownSiteOnly: ['provider'] },
  // Erasure is idempotent: 200 with zero counts when the participant is not there.
  eraseParticipant: { allowed: ['provider', 'evaluator'], ownSiteOnly: ['provider'] },
  // ── engagement ──
  submitEngagementReturn: { allowed: ['provider'], ownSiteOnly: ['provider'] },
  addCommunityResource: { allowed: ['provider', 'evaluator'], ownSiteOnly: ['provider'] },
  listCommunityResources: { allowed: ['provider', 'evaluator'], ownSiteOnly: ['provider'] },
  // ── imports ──
  importCsv: { allowed: ['evaluator', 'provider'], ownSiteOnly: ['provider'] },
  // ── packs ──
  buildPack: { allowed: ['evaluator'], ownSiteOnly: [] },
  listPacks: { allowed: ['evaluator'], ownSiteOnly: [] },
  getPack: { allowed: ['evaluator'], ownSiteOnly: [] },
  previewPack: { allowed: ['evaluator'], ownSiteOnly: [] },
  approvePack: { allowed: ['evaluator'], ownSiteOnly: [] },
  publishPack: { allowed: ['evaluator'], ownSiteOnly: [] },
  withdrawPack: { allowed: ['evaluator'], ownSiteOnly: [] },
  listPublishedPacks: { allowed: ['market', 'evaluator'], ownSiteOnly: [] },
  downloadPublishedPack: { allowed: ['market', 'evaluator'], ownSiteOnly: [] },
  getDisclosurePolicy: { allowed: ['evaluator', 'admin'], ownSiteOnly: [] },
  setDisclosurePolicy: { allowed: ['admin'], ownSiteOnly: [] },
  // ── voice ──
  createFeedbackLink: { allowed: ['provider'], ownSiteOnly: ['provider'] },
  feedbackSummary: { allowed: ['evaluator'], ownSiteOnly: [] },
  // A feedback link needs no account: holding the link is the authority.
  getFeedbackForm: { allowed: 'anyone', ownSiteOnly: [] },
  answerFeedback: { allowed: 'anyone', ownSiteOnly: [] },
  listInvolvementInterest: { allowed: ['provider', 'evaluator'], ownSiteOnly: ['provider'] },
  recordInterestOutcome: { allowed: ['evaluator'], ownSiteOnly: [] },
  recordChange: { allowed: ['evaluator'], ownSiteOnly: [] },
  listChanges: { allowed: ['evaluator', 'provider', 'practitioner', 'admin'], ownSiteOnly: [] },
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
  // Resuming an active programme: pausing here would refuse the submissions tested after it.
  changeProgramme: () => ({ path: '/programme', body: { state: 'active' } }),
  readAudit: () => ({ path: '/audit?limit=5' }),
  submitWellbeingPulse: (site) => ({ path: `/sites/${site}/wellbeing-pulses`, body: pulseBody() }),
  wellbeingSummary: () => ({ path: '/wellbeing/summary' }),
  // ── referrals ──
  submitReferralBarrier: (site) => ({
    path: `/sites/${site}/referral-barriers`,
    body: { reporterRole: 'probation-practitioner', source: 'self-report', referring: 'yes' },
  }),
  // ── findings ──
  getCodebook: () => ({ path: '/codebook' }),
  // A new name each call: the same name twice in an area is a 409.
  addCodebookTheme: () => ({
    path: '/codebook/themes',
    body: { area: '4.5', name: uniqueThemeName('Matrix') },
  }),
  createUpload: (site) => ({ path: '/uploads', body: { contentType: 'text/plain', bytes: 12, site } }),
  submitInterview: async (site, http) => ({
    path: `/sites/${site}/interviews`,
    body: interviewBody(await createTheme(http)),
  }),
  getInterview: async (site, http) => ({
    path: `/sites/${site}/interviews/${await createInterview(http, site, await createTheme(http))}`,
  }),
  eraseInterview: async (site, http) => ({
    path: `/sites/${site}/interviews/${await createInterview(http, site, await createTheme(http))}`,
  }),
  previewRedaction: () => ({ path: '/redactions', body: { text: 'Priya rang on 07700 900123.' } }),
  // ── participants ──
  // A fresh reference per call, so every allowed caller records its own baseline (never a 409).
  submitCapitalAssessment: (site) => ({
    path: `/sites/${site}/capital-assessments`,
    body: capitalBody(uniqueRef('MATRIX')),
  }),
  listFollowUps: (site) => ({ path: `/sites/${site}/follow-ups?status=due` }),
  eraseParticipant: (site) => ({ path: `/sites/${site}/participants/${uniqueRef('MATRIX')}` }),
  // ── engagement ──
  submitEngagementReturn: (site) => ({
    path: `/sites/${site}/engagement/2025-01`,
    body: engagementFigures(),
  }),
  // Each call names a different organisation: the map refuses the same one twice (409).
  addCommunityResource: (site) => ({
    path: `/sites/${site}/community-resources`,
    body: {
      organisationName: `Matrix Walking Group ${String(Math.random()).slice(2, 10)}`,
      type: 'mutual-aid-group',
      status: 'new',
      seedFunded: false,
      openAccess: true,
      suits: [],
      linksMade: 2,
    },
  }),
  listCommunityResources: (site) => ({ path: `/sites/${site}/community-resources` }),
  // ── imports ──
  // The site is in the body: a provider's token belongs to the own site (london).
  importCsv: (site) => ({
    path: '/imports',
    body: {
      stream: 'engagement-returns',
      site,
      csv: csvOf([{ month: '2025-02', ...engagementFigures() }]),
    },
  }),
  // ── packs: each call prepares its own pack (built by evaluator A, approved by B), so the
  // evaluator making the call is never its builder and every step finds the state it needs ──
  buildPack: () => ({ path: '/packs', body: buildBody() }),
  listPacks: () => ({ path: '/packs' }),
  getPack: async (_site, http) => ({ path: `/packs/${await buildDraft(http)}` }),
  previewPack: async (_site, http) => ({ path: `/packs/${await buildDraft(http)}/preview?format=json` }),
  approvePack: async (_site, http) => ({ path: `/packs/${await buildDraft(http)}/approve` }),
  publishPack: async (_site, http) => ({
    path: `/packs/${await approvedPack(http)}/publish`,
    body: { releaseAt: new Date(clock.now().getTime() + 30 * 60_000).toISOString() },
  }),
  withdrawPack: async (_site, http) => ({
    path: `/packs/${await releasedPack(http)}/withdraw`,
    body: { reason: 'Withdrawn to test who may withdraw.' },
  }),
  listPublishedPacks: () => ({ path: '/published-packs' }),
  downloadPublishedPack: async (_site, http) => ({
    path: `/published-packs/${await releasedPack(http)}/download?format=json`,
  }),
  getDisclosurePolicy: () => ({ path: '/disclosure-policy' }),
  setDisclosurePolicy: () => ({
    path: '/disclosure-policy',
    body: policyBody(),
  }),
  // ── voice: each link is made fresh, as it works once ──
  createFeedbackLink: (site) => ({ path: `/sites/${site}/feedback-links`, body: { kind: 'at-exit' } }),
  feedbackSummary: () => ({ path: '/feedback/summary' }),
  getFeedbackForm: async (site, http) => ({ path: `/feedback/${await createFeedbackLink(http, site)}` }),
  answerFeedback: async (site, http) => ({
    path: `/feedback/${await createFeedbackLink(http, site)}`,
    body: feedbackAnswer(),
  }),
  listInvolvementInterest: (site) => ({ path: `/sites/${site}/involvement-interest` }),
  recordInterestOutcome: async (site, http) => ({
    path: `/sites/${site}/involvement-interest/${await createInterest(http, site, 'MATRIX-1')}`,
    body: { reached: true, attempts: 3 },
  }),
  recordChange: () => ({ path: '/changes', body: changeBody() }),
  listChanges: () => ({ path: '/changes' }),
};

async function approvedPack(http: Http): Promise<string> {
  const id = await buildDraft(http);
  const answer = await http.request('POST', `/packs/${id}/approve`, { as: EVALUATOR_B });
  if (answer.status !== 200) throw new Error(`Could not approve pack ${id}: ${answer.status}`);
  return id;
}

/** A published pack whose release time has passed (the packs function's clock is moved past it). */
async function releasedPack(http: Http): Promise<string> {
  const id = await approvedPack(http);
  const releaseAt = new Date(clock.now().getTime() + 20 * 60_000).toISOString();
  const answer = await http.request('POST', `/packs/${id}/publish`, { as: EVALUATOR_B, body: { releaseAt } });
  if (answer.status !== 200) throw new Error(`Could not publish pack ${id}: ${answer.status}`);
  clock.advanceMinutes(20);
  return id;
}

const clock = testClock();
const api = await startPacksApi({ clock });
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

/** Routes whose site is named in the body rather than the path. */
const SITE_IN_BODY: readonly OperationId[] = ['importCsv'];

const cells: Cell[] = ROUTE_LIST.flatMap(({ operationId, path }) => {
  const rule = EXPECTED[operationId];
  const siteScoped = path.includes('{site}') || SITE_IN_BODY.includes(operationId);
  const sites = siteScoped ? ([OWN, OTHER] as const) : ([OWN] as const);
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
        expect([200, 201, 202, 302]).toContain(answer.status);
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

  it('answers 401 to an access token: only the ID token is taken', async () => {
    const access = await api.issuer.sign({ role: 'evaluator', user: 'eve', tokenUse: 'access' });
    const answer = await http.request('GET', '/sites', { token: access });
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toContain('ID token');
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

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'answers 404 for the questionnaire %s: ids are looked up among the questionnaires only',
    async (id) => {
      const answer = await http.request('GET', `/questionnaires/${id}`, {
        as: { role: 'market', user: 'm' },
      });
      expect(answer.status).toBe(404);
    },
  );

  it('treats a query parameter named __proto__ as any unknown parameter (400)', async () => {
    const answer = await http.request('GET', '/sites?__proto__=x', { as: { role: 'market', user: 'm' } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { pointer: '/query', detail: 'this route takes no query parameters' },
    ]);
  });
});
