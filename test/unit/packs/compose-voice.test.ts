import { describe, expect, it } from 'vitest';
import { buildPack, type PackIdentity } from '../../../functions/packs/build-pack';
import { composeVoice } from '../../../functions/packs/compose-voice';
import { DEFAULT_PACK_DISCLOSURE_POLICY } from '../../../functions/packs/disclosure-policy';
import type { EvidenceChange, EvidenceFeedback, PackEvidence } from '../../../functions/packs/evidence';
import type { Pack, PackCell } from '../../../functions/packs/pack-model';

const PERIOD = { from: '2025-01-01', to: '2025-03-31' };

/** `n` answers at `site`: the first `no` of them would not recommend the service. */
function answers(
  site: 'london' | 'north-east',
  n: number,
  kind: EvidenceFeedback['kind'],
  no = 0,
): EvidenceFeedback[] {
  return Array.from({ length: n }, (_, i) => ({
    site,
    kind,
    month: '2025-02',
    answers: {
      understandsOffer: 'yes',
      wouldRecommend: i < no ? 'no' : 'yes',
      keepsComing: ['same-worker', 'near-me'],
    },
  }));
}

const CHANGE: EvidenceChange = {
  heard: 'People said the Monday drop-in clashed with probation appointments.',
  changed: 'The drop-in moved to Wednesday afternoons; ring 07700 900123 to book.',
  when: '2025-02-10',
  sites: ['london'],
};

const evidence = (feedback: EvidenceFeedback[], changes: EvidenceChange[] = []): PackEvidence => ({
  pulses: [],
  barrierReports: [],
  findings: [],
  checks: [],
  engagementReturns: [],
  resources: [],
  feedback,
  changes,
});

const identity: PackIdentity = {
  id: 'pack-voice',
  title: 'Voices',
  period: PERIOD,
  sites: ['london', 'north-east'],
  version: 1,
};

const build = (e: PackEvidence) =>
  buildPack(e, identity, { policy: DEFAULT_PACK_DISCLOSURE_POLICY, ledger: [], codebook: { themes: [] } });

function cellOf(pack: Pack, table: string, row: string, column: string): PackCell | undefined {
  const found = pack.sections.flatMap((s) => s.tables).find((t) => t.id === table);
  const r = found?.rows.findIndex((h) => h.id === row) ?? -1;
  const c = found?.columns.findIndex((h) => h.id === column) ?? -1;
  return found?.cells[r]?.[c];
}

describe('composeVoice', () => {
  it('does not split by site when a site has fewer than 10 answers', () => {
    const section = composeVoice(
      [...answers('london', 12, 'during-support'), ...answers('north-east', 4, 'at-exit')],
      [],
      PERIOD,
      ['london', 'north-east'],
    );
    const who = section.tables.find((t) => t.id === 'voice-who');
    expect(who?.rows.map((r) => r.id)).toEqual(['all-sites']);
    expect(who?.cells[0]?.map((c) => c.value)).toEqual([16, 12, 4]);
  });

  it('splits by site when every site has at least 10', () => {
    const section = composeVoice(
      [...answers('london', 12, 'during-support'), ...answers('north-east', 10, 'at-exit')],
      [],
      PERIOD,
      ['london', 'north-east'],
    );
    const who = section.tables.find((t) => t.id === 'voice-who');
    expect(who?.rows.map((r) => r.id)).toEqual(['london', 'north-east', 'all-sites']);
    expect(who?.cells.map((row) => row[0]?.value)).toEqual([12, 10, 22]);
  });

  it('never reports whether a person would talk to an evaluator, and publishes no words', () => {
    const section = composeVoice(answers('london', 12, 'at-exit'), [], PERIOD, ['london']);
    expect(section.tables.map((t) => t.id)).not.toContain('voice-talk-to-evaluator');
    expect(section.quotes).toEqual([]);
  });

  it('gives the period’s changes at the pack’s sites, redacted again, and leaves out others', () => {
    const outside = { ...CHANGE, when: '2025-05-01', heard: 'Outside the period.' };
    const elsewhere = { ...CHANGE, sites: ['yorkshire-humber' as const], heard: 'Another site.' };
    const section = composeVoice([], [CHANGE, outside, elsewhere], PERIOD, ['london', 'north-east']);
    const text = section.paragraphs.join('\n');
    expect(text).toContain('We did: The drop-in moved to Wednesday afternoons');
    expect(text).not.toContain('07700');
    expect(text).not.toContain('Outside the period');
    expect(text).not.toContain('Another site');
  });
});

describe('the voice section of a built pack', () => {
  it('rounds counts of people, suppresses small ones, and passes the attacker’s audit', () => {
    const built = build(
      evidence(
        [...answers('london', 23, 'during-support', 3), ...answers('north-east', 4, 'at-exit')],
        [CHANGE],
      ),
    );
    const section = built.pack.sections.find((s) => s.id === '4.6-voice');
    expect(section?.title).toBe('What people using the service said');
    // 27 answers: shown as 25; 23 during support as 25; 4 at exit suppressed.
    expect(cellOf(built.pack, 'voice-who', 'all-sites', 'answers')).toMatchObject({
      value: 25,
      rounded: true,
    });
    expect(cellOf(built.pack, 'voice-who', 'all-sites', 'at-exit')).toMatchObject({
      value: null,
      symbol: '[c]',
    });
    // 3 would not recommend: suppressed.
    expect(cellOf(built.pack, 'voice-would-recommend', 'no', 'people')).toMatchObject({ symbol: '[c]' });
    expect(built.pack.disclosure.audit.passed).toBe(true);
    expect(built.pack.disclosure.audit.failures).toEqual([]);
    // The exact figures are only in the ledger entry.
    expect(built.ledger.figures).toContainEqual(
      expect.objectContaining({ ref: 'voice.answers.all', exact: 27 }),
    );
    expect(JSON.stringify(built.pack)).not.toMatch(/"value":(27|23|4|3)\b/);
  });
});
