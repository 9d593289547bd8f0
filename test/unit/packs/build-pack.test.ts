import { describe, expect, it } from 'vitest';
import { buildPack, type PackIdentity } from '../../../functions/packs/build-pack';
import { DEFAULT_PACK_DISCLOSURE_POLICY } from '../../../functions/packs/disclosure-policy';
import type { EvidenceEngagementReturn, PackEvidence } from '../../../functions/packs/evidence';
import type { Ledger } from '../../../functions/packs/ledger';
import type { Pack, PackCell } from '../../../functions/packs/pack-model';

/** One month's return: `referrals` received, and the same appointment figures for initial and sessions. */
const month = (site: 'london' | 'north-east', m: string, referrals: number): EvidenceEngagementReturn => {
  const appointments = { booked: 120, attended: 84, notAttended: 22, cancelled: 14 };
  return {
    site,
    month: m,
    referralsReceived: referrals,
    initialAppointments: appointments,
    sessions: appointments,
    completions: 2,
    withdrawals: 1,
  };
};

const evidence = (londonReferrals: number): PackEvidence => ({
  pulses: [],
  barrierReports: [],
  findings: [],
  checks: [],
  resources: [],
  engagementReturns: [
    month('london', '2025-01', londonReferrals),
    month('london', '2025-02', 20),
    month('north-east', '2025-01', 22),
    month('north-east', '2025-02', 19),
  ],
});

const identity = (id: string): PackIdentity => ({
  id,
  title: 'First months',
  period: { from: '2025-01-01', to: '2025-02-28' },
  sites: ['london', 'north-east'],
  version: 1,
});

const options = (ledger: Ledger = []) => ({
  policy: DEFAULT_PACK_DISCLOSURE_POLICY,
  ledger,
  codebook: { themes: [] },
});

function cellOf(pack: Pack, table: string, row: string, column: string): PackCell | undefined {
  for (const section of pack.sections) {
    const found = section.tables.find((t) => t.id === table);
    if (!found) continue;
    const r = found.rows.findIndex((h) => h.id === row);
    const c = found.columns.findIndex((h) => h.id === column);
    return found.cells[r]?.[c];
  }
  return undefined;
}

describe('buildPack', () => {
  it('gives byte-identical files when built twice from the same evidence, policy and ledger', () => {
    const first = buildPack(evidence(25), identity('pack-a'), options());
    const second = buildPack(evidence(25), identity('pack-a'), options());
    for (const format of ['html', 'json', 'csv', 'ods'] as const) {
      expect(Buffer.from(second.files[format]).equals(Buffer.from(first.files[format]))).toBe(true);
    }
    expect(first.pack.disclosure.audit.passed).toBe(true);
  });

  it('publishes rounded counts and keeps the exact ones only in its ledger entry', () => {
    const built = buildPack(evidence(26), identity('pack-a'), options());
    // 26 + 20 = 46 referrals in London: shown as 45, kept as 46 in the private ledger entry.
    expect(cellOf(built.pack, 'engagement-referrals', 'london', 'referrals')).toMatchObject({
      value: 45,
      rounded: true,
    });
    const figure = built.ledger.figures.find((f) => f.ref === 'engagement.referrals.london');
    expect(figure).toMatchObject({ value: 45, exact: 46 });
    for (const file of Object.values(built.files)) {
      expect(Buffer.from(file).includes('"exact"')).toBe(false);
    }
    expect(JSON.stringify(built.pack)).not.toContain('exact');
  });

  it('hides a figure that differs by 1 to 9 people from one a published pack of the same period showed, naming that pack', () => {
    const earlier = buildPack(evidence(26), identity('pack-a'), options());
    // Three more London referrals recorded since: 49, which an attacker could subtract from 46.
    const later = buildPack(evidence(29), identity('pack-b'), options([earlier.ledger]));
    expect(cellOf(later.pack, 'engagement-referrals', 'london', 'referrals')).toMatchObject({
      value: null,
      symbol: '[c]',
    });
    expect(later.pack.disclosure.suppressed).toContainEqual(
      expect.objectContaining({
        row: 'london',
        column: 'referrals',
        rule: 'differencing',
        earlierPack: 'pack-a',
      }),
    );
    expect(later.pack.disclosure.audit.failures).toEqual([]);
  });
});

describe('the engagement rates a pack publishes', () => {
  it('are the provider’s own: 1,456 booked, 1,023 attended, 270 not attended, 163 cancelled give 70%, 19%, 11%', () => {
    const appointments = { booked: 1456, attended: 1023, notAttended: 270, cancelled: 163 };
    const year: PackEvidence = {
      ...evidence(0),
      engagementReturns: [
        {
          site: 'london',
          month: '2025-01',
          referralsReceived: 248,
          initialAppointments: appointments,
          sessions: appointments,
          completions: 12,
          withdrawals: 2,
        },
      ],
    };
    const { pack } = buildPack(year, { ...identity('pack-r'), sites: ['london'] }, options());
    for (const group of ['initial', 'sessions']) {
      expect(
        ['attended', 'not-attended', 'cancelled'].map(
          (outcome) => cellOf(pack, 'engagement-rates', 'london', `${group}.${outcome}`)?.value,
        ),
      ).toEqual([70, 19, 11]);
    }
  });
});
