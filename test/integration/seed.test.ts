import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSubject } from '../../local/issuer';
import { DEMO_USERS, planDemoData, SeedRefusedError, type SeedSummary, seedDemoData } from '../../local/seed';
import { checkEngagementFigures } from '../../functions/engagement/engagement';
import { SITE_IDS } from '../../shared/domain/sites';
import { services } from '../../local/services';
import { client } from '../support/client';
import { startTestApi, useTestEnvironment } from '../support/environment';

// The API reads the real clock (follow-ups are due "today"), so the six months end now.
const today = new Date();
const api = await startTestApi();
const http = client(api);
const deps = await services(api.env);
afterAll(() => api.stop());

const evaluator = { role: 'evaluator' as const, user: 'eve' };
let seeded: SeedSummary;

beforeAll(async () => {
  seeded = await seedDemoData(deps, { scale: 1, seed: 1, today });
}, 60_000);

const recordsOf = async (prefix: string) =>
  (await api.scan('RECORDS_TABLE')).filter((item) => String(item.pk).startsWith(prefix));

describe('seedDemoData, through the API afterwards', () => {
  it('shows the programme in the wellbeing summary, each site of 2-3 staff suppressed', async () => {
    const answer = await http.request('GET', '/wellbeing/summary', { as: evaluator });

    expect(answer.status).toBe(200);
    const [programme, ...sites] = answer.body.groups as {
      scope: string;
      status: string;
      respondents?: number;
    }[];
    expect(programme).toMatchObject({ scope: 'programme', status: 'shown', respondents: 8 });
    expect(sites.map((s) => s.status)).toEqual(['suppressed', 'suppressed', 'suppressed']);
  });

  it.each(SITE_IDS)(
    'gives %s answers from people using the service, and requests to talk its providers can read',
    async (site) => {
      const answers = await recordsOf(`FEEDBACK#${site}`);
      expect(answers.length).toBe(seeded.sites[site].feedbackAnswers);
      expect(answers.length).toBeGreaterThan(0);
      expect(seeded.sites[site].feedbackLinks).toBeGreaterThan(answers.length);
      const interest = await http.request('GET', `/sites/${site}/involvement-interest`, {
        as: { role: 'provider', site, user: 'seed-reader' },
      });
      expect(interest.body.waiting).toBe(seeded.sites[site].involvementInterest);
    },
  );

  it('records "you said, we did" changes that every role but the market can read', async () => {
    const answer = await http.request('GET', '/changes', {
      as: { role: 'practitioner', site: 'london', user: 'p' },
    });
    expect((answer.body.changes as unknown[]).length).toBe(2);
  });

  it.each(SITE_IDS)(
    'gives %s follow-ups both due and overdue today, as the summary counted',
    async (site) => {
      const answer = await http.request('GET', `/sites/${site}/follow-ups`, { as: evaluator });

      expect(answer.status).toBe(200);
      const statuses = (answer.body.participants as { status: string }[]).map((p) => p.status);
      const due = statuses.filter((s) => s === 'due').length;
      const overdue = statuses.filter((s) => s === 'overdue').length;
      expect(due).toBeGreaterThan(0);
      expect(overdue).toBeGreaterThan(0);
      expect({ due, overdue }).toEqual({
        due: seeded.sites[site].followUpsDue,
        overdue: seeded.sites[site].followUpsOverdue,
      });
    },
  );

  it.each(SITE_IDS)('baselines 15 to 40 participants at %s and follows up fewer of them', async (site) => {
    const summaries = await deps.capital.listSummaries(site);

    expect(summaries).toHaveLength(seeded.sites[site].participants);
    expect(summaries.length).toBeGreaterThanOrEqual(15);
    expect(summaries.length).toBeLessThanOrEqual(40);
    const seenAgain = summaries.filter((s) => s.checks > 1).length;
    expect(seenAgain).toBeGreaterThan(0);
    expect(seenAgain).toBeLessThan(summaries.length);
    expect(seeded.sites[site].followUps).toBeLessThan(summaries.length);
  });

  it('keeps London to its cohort of young adults aged 18 to 25', async () => {
    const bands = new Set((await deps.capital.listSummaries('london')).map((s) => s.ageBand));

    expect([...bands].sort()).toEqual(['18-20', '21-25']);
  });

  it.each(SITE_IDS)(
    'writes six consecutive monthly engagement returns for %s, each consistent',
    async (site) => {
      const returns = await deps.engagementReturns.listEngagementReturns(site, '2024-01', '9999-12');

      expect(returns).toHaveLength(6);
      const lastMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
      expect(returns.at(-1)?.month).toBe(lastMonth.toISOString().slice(0, 7));
      for (const r of returns) expect(checkEngagementFigures(r)).toEqual([]);
      expect(returns.some((r) => r.caseload > 0 && r.sessions.attended > 0)).toBe(true);
    },
  );

  it.each(SITE_IDS)('maps 8 to 15 community resources at %s, none refused', async (site) => {
    const answer = await http.request('GET', `/sites/${site}/community-resources`, { as: evaluator });

    expect(answer.status).toBe(200);
    const { resources } = answer.body.totals as { resources: number };
    expect(resources).toBeGreaterThanOrEqual(8);
    expect(resources).toBeLessThanOrEqual(15);
    expect(seeded.sites[site].communityResourcesSkipped).toBe(0);
  });

  it.each(SITE_IDS)('records 10 to 20 referral barrier reports at %s', async (site) => {
    const reports = await deps.referralBarriers.listReferralBarriers(site, seeded.from, today.toISOString());

    expect(reports.length).toBeGreaterThanOrEqual(10);
    expect(reports.length).toBeLessThanOrEqual(20);
  });

  it.each(SITE_IDS)(
    'records 3 to 6 interviews at %s, coded to themes, quotes marked publishable or not',
    async (site) => {
      const stored = await recordsOf(`INTERVIEW#${site}`);
      expect(stored.length).toBeGreaterThanOrEqual(3);
      expect(stored.length).toBeLessThanOrEqual(6);
      const codebook = await http.request('GET', '/codebook', { as: evaluator });
      const themes = new Map(
        (codebook.body.themes as { id: string; area: string }[]).map((t) => [t.id, t.area]),
      );

      const answer = await http.request('GET', `/sites/${site}/interviews/${String(stored[0]?.sk)}`, {
        as: evaluator,
      });

      expect(answer.status).toBe(200);
      const findings = answer.body.findings as {
        area: string;
        theme: string;
        quotes: { publishable: unknown }[];
      }[];
      for (const f of findings) expect(themes.get(f.theme)).toBe(f.area);
      for (const q of findings.flatMap((f) => f.quotes)) expect(typeof q.publishable).toBe('boolean');
      // The demo text names nobody, so redaction finds nothing to remove.
      expect(answer.body.redacted).toEqual({});
    },
  );

  it('adds evaluator themes under every question area, 4.3 to 4.8', async () => {
    const answer = await http.request('GET', '/codebook', { as: evaluator });

    const areas = (answer.body.themes as { area: string }[]).map((t) => t.area);
    expect(new Set(areas)).toEqual(new Set(['4.3', '4.4', '4.5', '4.6', '4.7', '4.8']));
    expect(seeded.themes).toEqual({ added: areas.length, reused: 0 });
  });

  it('dates every write within the six months, on or before today', async () => {
    const events = await api.scan('AUDIT_TABLE');

    const times = events.map((e) => String(e.at)).sort();
    expect(String(times[0]) >= seeded.from).toBe(true);
    expect(String(times.at(-1)) <= today.toISOString()).toBe(true);
  });

  it('writes as the demo users, so a token for the same --user is the same person', async () => {
    const demoActors = new Set(DEMO_USERS.map(({ user }) => deps.pseudonymise(demoSubject(user))));

    const actors = new Set((await api.scan('AUDIT_TABLE')).map((e) => String(e.actor)));

    expect([...actors].filter((actor) => !demoActors.has(actor))).toEqual([]);
  });

  it('refuses to seed the same seed again, writing nothing', async () => {
    const before = (await api.scan('AUDIT_TABLE')).length;

    await expect(seedDemoData(deps, { scale: 1, seed: 1, today })).rejects.toThrow(SeedRefusedError);

    expect((await api.scan('AUDIT_TABLE')).length).toBe(before);
  });
});

describe('seedDemoData, run again elsewhere', () => {
  it('plans the same data for the same seed and day, and different data for another seed', () => {
    const plan = (seed: number) => planDemoData({ scale: 1, seed, today });

    expect(plan(1)).toEqual(plan(1));
    expect(plan(2)).not.toEqual(plan(1));
  });

  it('gives the same counts on a fresh database with the same seed', async () => {
    const environment = await useTestEnvironment();

    const again = await seedDemoData(await services(environment.env), { scale: 1, seed: 1, today });

    expect(again).toEqual(seeded);
  }, 60_000);

  it('multiplies participants, reports, interviews and resources at scale 2, but not staff or months', () => {
    const [one, two] = [1, 2].map((scale) => planDemoData({ scale, seed: 1, today }).sites);

    for (const [i, site] of (one ?? []).entries()) {
      const doubled = two?.[i];
      expect(doubled?.participants.length).toBe(2 * site.participants.length);
      expect(doubled?.referralBarriers.length).toBe(2 * site.referralBarriers.length);
      expect(doubled?.interviews.length).toBe(2 * site.interviews.length);
      expect(doubled?.communityResources.length).toBe(2 * site.communityResources.length);
      expect(doubled?.staff).toBe(site.staff);
      expect(doubled?.engagementReturns.map((r) => r.body.month)).toEqual(
        site.engagementReturns.map((r) => r.body.month),
      );
    }
  });

  it('refuses while the programme is paused, saying why', async () => {
    const environment = await useTestEnvironment();
    await environment.db.send(
      new PutCommand({
        TableName: environment.env.RECORDS_TABLE,
        Item: { pk: 'PROGRAMME', sk: 'STATE', state: 'paused', disclosurePolicy: { minGroupSize: 5 } },
      }),
    );

    const seeding = seedDemoData(await services(environment.env), { scale: 1, seed: 1, today });

    await expect(seeding).rejects.toThrow(SeedRefusedError);
    await expect(seeding).rejects.toThrow(/programme is paused/);
    expect(await environment.scan('AUDIT_TABLE')).toEqual([]);
  });
});
