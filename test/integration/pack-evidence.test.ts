import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composePack } from '../../functions/packs/compose';
import type { PackEvidence } from '../../functions/packs/evidence';
import { readPackEvidence } from '../../functions/packs/evidence-store';
import { DynamoCodebookStore } from '../../functions/findings/codebook-store';
import { DynamoPulseStore } from '../../functions/wellbeing/pulse-store';
import { ukDate } from '../../shared/domain/iso-week';
import { addDays } from '../../shared/domain/iso-week';
import type { SiteId } from '../../shared/domain/sites';
import { capitalBody, uniqueRef } from '../support/capital';
import { type Answer, client, pulseBody } from '../support/client';
import { engagementFigures } from '../support/engagement';
import { startTestApi } from '../support/environment';
import { createTheme, EVALUATOR, interviewBody } from '../support/findings';
import { changeBody, createFeedbackLink, feedbackAnswer } from '../support/voice';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const tables = { records: api.env.RECORDS_TABLE ?? '', audit: api.env.AUDIT_TABLE ?? '' };
const provider = (site: SiteId, user = 'worker') => ({ role: 'provider' as const, site, user });
const FROM = '2025-01-01';
const TO = ukDate(new Date());
const SITES: SiteId[] = ['london', 'north-east'];

const created = (answer: Answer) => {
  if (answer.status >= 300) throw new Error(`refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
};

let theme = '';
let evidence: PackEvidence;

/** Each stream gets records in the period at the pack's sites, and records it must leave out. */
beforeAll(async () => {
  theme = await createTheme(http, '4.5');
  const otherTheme = await createTheme(http, '4.6');
  for (const [site, user, score] of [
    ['london', 'sam', 4],
    ['london', 'kim', 2],
    ['north-east', 'lee', 3],
    ['yorkshire-humber', 'out', 5],
  ] as const) {
    created(
      await http.request('POST', `/sites/${site}/wellbeing-pulses`, {
        as: provider(site, user),
        body: pulseBody(score, 'Rough week, ring me on 07700 900123'),
      }),
    );
  }
  // A check-in of a week before the period, written as the wellbeing store writes every check-in.
  await new DynamoPulseStore(api.db, tables).savePulse(
    {
      site: 'london',
      week: '2024-W49',
      monday: '2024-12-02',
      respondent: 'before-the-period',
      questionnaireVersion: 1,
      answers: pulseBody(1).answers,
      submittedAt: '2024-12-02T09:00:00.000Z',
    },
    () => ({
      id: 'audit-old-pulse',
      at: '2024-12-02T09:00:00.000Z',
      actor: 'test',
      action: 'wellbeing-pulse.create',
      subjectType: 'wellbeing-pulse',
      subjectId: 'london/2024-W49',
    }),
  );

  for (const site of ['london', 'yorkshire-humber'] as const) {
    created(
      await http.request('POST', `/sites/${site}/referral-barriers`, {
        as: { role: 'practitioner', site, user: 'pp' },
        body: {
          reporterRole: 'probation-practitioner',
          source: 'self-report',
          referring: 'sometimes',
          barriers: [{ code: 'workload', severity: 'high' }],
          enablers: ['co-location'],
          note: 'Ask Mr Khan about it',
        },
      }),
    );
  }

  for (const [site, month] of [
    ['london', '2025-01'],
    ['london', '2025-02'],
    ['north-east', '2025-02'],
    ['north-east', '2024-12'],
    ['yorkshire-humber', '2025-02'],
  ] as const) {
    created(
      await http.request('PUT', `/sites/${site}/engagement/${month}`, {
        as: provider(site),
        body: engagementFigures(),
      }),
    );
  }

  created(
    await http.request('POST', '/sites/london/interviews', {
      as: EVALUATOR,
      body: interviewBody(theme, {
        findings: [
          {
            area: '4.5',
            theme,
            stance: 'barrier',
            summary: 'Unsure what the service offers.',
            quotes: [
              { text: 'I did not know who it was for.', publishable: true },
              { text: 'We only heard about it at a team meeting.', publishable: false },
            ],
          },
          { area: '4.6', theme: otherTheme, stance: 'enabler', summary: 'A warm first contact.', quotes: [] },
        ],
      }),
    }),
  );
  created(
    await http.request('POST', '/sites/north-east/interviews', {
      as: EVALUATOR,
      body: interviewBody(theme, { respondentGroup: 'prison-staff' }),
    }),
  );
  created(
    await http.request('POST', '/sites/london/interviews', {
      as: EVALUATOR,
      body: interviewBody(theme, { date: '2024-11-01', consent: { recorded: true } }),
    }),
  );

  // A baseline and a follow-up in the period, and a person whose baseline was before it.
  const ref = uniqueRef();
  const baseline = addDays(TO, -100);
  created(
    await http.request('POST', '/sites/london/capital-assessments', {
      as: provider('london'),
      body: capitalBody(ref, { date: baseline, score: 2 }),
    }),
  );
  created(
    await http.request('POST', '/sites/london/capital-assessments', {
      as: provider('london'),
      body: capitalBody(ref, { kind: 'follow-up', date: addDays(baseline, 90), score: 4, barriers: false }),
    }),
  );
  created(
    await http.request('POST', '/sites/north-east/capital-assessments', {
      as: provider('north-east'),
      body: capitalBody(uniqueRef(), { date: '2024-10-01' }),
    }),
  );

  for (const [site, organisationName, status] of [
    ['london', 'Camden Boxing Club', 'new'],
    ['north-east', 'Tyneside Allotments', 'existing'],
    ['yorkshire-humber', 'Leeds Walking Group', 'existing'],
  ] as const) {
    created(
      await http.request('POST', `/sites/${site}/community-resources`, {
        as: provider(site),
        body: {
          organisationName,
          type: 'community-asset',
          status,
          seedFunded: status === 'new',
          ...(status === 'new' ? { seedFundingPounds: 750 } : {}),
          openAccess: true,
          suits: ['age'],
          linksMade: 3,
        },
      }),
    );
  }

  // Answers from people using the service at two of the pack's sites and one outside it.
  for (const site of ['london', 'north-east', 'yorkshire-humber'] as const) {
    const token = await createFeedbackLink(http, site, { participantRef: 'CLW-PACK-1' });
    created(
      await http.request('POST', `/feedback/${token}`, {
        body: feedbackAnswer('yes', 'Ring me on 07700 900123'),
      }),
    );
  }
  created(
    await http.request('POST', '/changes', {
      as: EVALUATOR,
      body: { ...changeBody(), when: addDays(TO, -3) },
    }),
  );
  created(
    await http.request('POST', '/changes', { as: EVALUATOR, body: { ...changeBody(), when: '2024-12-01' } }),
  );

  evidence = await readPackEvidence(api.db, tables, { from: FROM, to: TO, sites: SITES });
}, 120_000);

describe('readPackEvidence', () => {
  it('reads the check-ins of the period at the pack’s sites, without their comments', () => {
    expect(evidence.pulses).toHaveLength(3);
    expect(new Set(evidence.pulses.map((p) => p.site))).toEqual(new Set(['london', 'north-east']));
    expect(evidence.pulses.every((p) => p.monday >= FROM && p.respondent.length > 0)).toBe(true);
    expect(JSON.stringify(evidence.pulses)).not.toMatch(/comment|Rough week|07700/);
  });

  it('reads referral barrier reports of the pack’s sites, without their notes', () => {
    expect(evidence.barrierReports).toEqual([
      expect.objectContaining({
        site: 'london',
        reporterRole: 'probation-practitioner',
        referring: 'sometimes',
        barriers: [{ code: 'workload', severity: 'high' }],
        enablers: ['co-location'],
      }),
    ]);
    expect(JSON.stringify(evidence.barrierReports)).not.toMatch(/note|Khan/);
  });

  it('reads the engagement returns of the period’s months', () => {
    expect(evidence.engagementReturns.map((r) => `${r.site}/${r.month}`).sort()).toEqual([
      'london/2025-01',
      'london/2025-02',
      'north-east/2025-02',
    ]);
    expect(evidence.engagementReturns[0]).not.toHaveProperty('caseload');
  });

  it('reads each finding of the interviews held in the period, with only the publishable quotes', () => {
    expect(evidence.findings).toHaveLength(3);
    const london = evidence.findings.filter((f) => f.site === 'london' && f.theme === theme);
    expect(london).toEqual([
      expect.objectContaining({
        respondentGroup: 'probation-practitioner',
        area: '4.5',
        stance: 'barrier',
        quotes: ['I did not know who it was for.'],
      }),
    ]);
    expect(JSON.stringify(evidence.findings)).not.toMatch(/team meeting|summary|Unsure/);
  });

  it('reads the capital checks dated in the period, by pseudonym only', () => {
    expect(evidence.checks.map((c) => c.kind).sort()).toEqual(['baseline', 'follow-up']);
    expect(evidence.checks.every((c) => c.site === 'london' && c.date >= FROM)).toBe(true);
    expect(JSON.stringify(evidence.checks)).not.toMatch(/CLW-|reference|ageBand/);
  });

  it('reads the community resources of the pack’s sites, without names', () => {
    expect(evidence.resources.map((r) => `${r.site}/${r.status}`).sort()).toEqual([
      'london/new',
      'north-east/existing',
    ]);
    expect(JSON.stringify(evidence.resources)).not.toMatch(/Camden|Tyneside|organisationName/);
  });

  it('reads the answers of people using the service at the pack’s sites: coded answers only', () => {
    expect(evidence.feedback?.map((f) => f.site).sort()).toEqual(['london', 'north-east']);
    expect(JSON.stringify(evidence.feedback)).not.toMatch(/07700|Ring|CLW-|talkToEvaluator|sealed/);
  });

  it('reads the "you said, we did" changes made in the period', () => {
    expect(evidence.changes?.map((c) => c.when)).toEqual([addDays(TO, -3)]);
  });

  it('composes a pack from what it read', async () => {
    const themes = await new DynamoCodebookStore(api.db, tables).listThemes();
    const sections = composePack(evidence, {
      period: { from: FROM, to: TO },
      sites: SITES,
      codebook: { themes },
    });
    const find = (section: string, table: string) =>
      sections.find((s) => s.id === section)?.tables.find((t) => t.id === table);

    const distance = find('4.3', 'capital-distance-travelled');
    expect(distance?.cells[0]?.slice(0, 2).map((c) => c.value)).toEqual([1, 1]); // paired, improved
    expect(find('4.6-voice', 'voice-who')?.cells.at(-1)?.[0]?.value).toBe(2);
    expect(sections.find((s) => s.id === '4.6-voice')?.paragraphs.join(' ')).toContain(changeBody().changed);
    const sessions = find('4.6', 'engagement-sessions');
    expect(sessions?.cells.at(-1)?.[0]?.value).toBe(3 * engagementFigures().sessions.booked);
    const map = sections.find((s) => s.id === 'evidence-map');
    expect(map?.quotes).toEqual([
      {
        theme: themes.find((t) => t.id === theme)?.name,
        text: 'I did not know who it was for.',
        respondentGroup: 'Prison staff',
      },
      {
        theme: themes.find((t) => t.id === theme)?.name,
        text: 'I did not know who it was for.',
        respondentGroup: 'Probation practitioner',
      },
    ]);
  });
});
