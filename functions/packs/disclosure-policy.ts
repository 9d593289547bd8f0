import * as z from 'zod';
import type { BandLabel } from './pack-model';

const refPrefix = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9][a-z0-9.:_-]*$/);

/**
 * The learning pack's disclosure policy: which figures a pack may show and how.
 *
 * It is versioned: a pack records the version it was built under, and a series of packs keeps the
 * version it started with, so two packs of one series never differ only because the rules moved.
 */
export const packDisclosurePolicySchema = z
  .object({
    version: z.int().min(1).max(10_000),
    /**
     * The smallest count of people a pack shows: counts of people (`people`, `staff`) from 1 to
     * `minPeople - 1` are shown as `[c]`. Default 10, so 1 to 9 are hidden: the convention of the
     * Office for National Statistics and UK Longitudinal Linkage Collaboration for small-area and
     * linked health data. A site has two or three staff and a few dozen participants, so a count
     * under 10 is a handful of people a reader may know by name.
     */
    minPeople: z
      .int()
      .min(2)
      .max(100)
      .meta({ description: 'Counts of people from 1 to minPeople - 1 are shown as [c] (confidential).' }),
    /**
     * Counts of people from `minPeople` up are rounded to the nearest `roundTo` (default 5, as NHS
     * England publishes small counts), so a reader cannot subtract two published figures to find a
     * small group exactly. Every figure is rounded on its own, totals included: a total is the
     * rounded exact total, not the sum of rounded parts, so parts may not add up to it.
     */
    roundTo: z.int().min(1).max(100).meta({
      description: 'Other counts of people are rounded to the nearest multiple of this, each on its own.',
    }),
    /**
     * Rates, means and medians are shown only when computed over at least this many people (the
     * cell's `base`); otherwise `[x]` with rule `base-too-small`. Default 10, the same line as counts:
     * a rate over fewer people is a count of fewer than 10 in disguise.
     */
    minBase: z.int().min(1).max(1000).meta({
      description:
        'Rates, means and medians only where computed over at least this many people, otherwise [x].',
    }),
    /**
     * Distance travelled (the change between a baseline capital check and its follow-up) is shown
     * only with at least this many paired checks. Default 10: a median over fewer pairs is one or two
     * people's story, and too few to say anything about direction of travel.
     */
    minPairedChecks: z
      .int()
      .min(1)
      .max(1000)
      .meta({ description: 'Distance travelled only with at least this many paired capital checks.' }),
    /** Cells whose `ref` starts with one of these hold distance travelled (their base counts pairs). */
    pairedCheckRefPrefixes: z.array(refPrefix).max(20),
    /**
     * Staff figures (wellbeing check-ins) are shown only at programme level and over at least this
     * many distinct respondents. Default 5, the anonymity threshold staff were promised when they
     * agreed to check in; with two or three staff per site only the programme can reach it.
     */
    minStaffRespondents: z.int().min(1).max(1000).meta({
      description: 'Staff figures only at programme level and over at least this many respondents.',
    }),
    /** Cells whose `ref` starts with one of these are staff figures (their base counts staff). */
    staffRefPrefixes: z.array(refPrefix).max(20),
    /**
     * Minima and maxima are never shown (default `false`): an extreme is one person's value. A row
     * or column whose id is `min`, `max`, `minimum` or `maximum` (or ends in `-min`, `.max`, ...) is
     * shown as `[x]`.
     */
    showExtremes: z
      .boolean()
      .meta({ description: 'Whether minima and maxima may be shown (default false).' }),
    /**
     * Rates are percentages rounded to this many decimals (default 0, whole percent, as providers
     * already report them).
     */
    rateDecimals: z.int().min(0).max(3).meta({ description: 'Decimals of a rate, in percent.' }),
    /**
     * The attacker's audit: a count hidden because its difference from an earlier pack is small must
     * stay uncertain over a range (its largest feasible value minus its smallest) at least this wide,
     * or be unbounded. Default 10, matching `minPeople`: within a narrower range a reader could work
     * out the difference, a group of 1 to 9 people.
     */
    auditMinRange: z.int().min(1).max(1000).meta({
      description:
        "The attacker's audit: the narrowest range a count hidden for differencing may be narrowed to.",
    }),
    /**
     * A primary `[c]` already tells the reader "1 to 9", a range 8 wide, so `auditMinRange` cannot
     * apply to it. It passes when the reader cannot narrow it to a range narrower than this. Default
     * 4: at least 5 of the 9 values stay possible, so a reader can neither name the count nor tell
     * "one or two" from "eight or nine". (Two hidden parts and their hidden total, each 1 to 9,
     * already narrow each part to 1 to 8: inherent, and still safe.)
     */
    auditMinRangeSmall: z.int().min(0).max(100).meta({
      description: "The attacker's audit: the narrowest range a primary [c] may be narrowed to.",
    }),
  })
  .strict();
export type PackDisclosurePolicy = z.infer<typeof packDisclosurePolicySchema>;

/** The policy every pack starts from, until an admin sets another version. */
export const DEFAULT_PACK_DISCLOSURE_POLICY: PackDisclosurePolicy = packDisclosurePolicySchema.parse({
  version: 1,
  minPeople: 10,
  roundTo: 5,
  minBase: 10,
  minPairedChecks: 10,
  pairedCheckRefPrefixes: ['capital.distance.'],
  minStaffRespondents: 5,
  staffRefPrefixes: ['wellbeing.'],
  showExtremes: false,
  rateDecimals: 0,
  auditMinRange: 10,
  auditMinRangeSmall: 4,
});

/**
 * Wording bands: where a count of findings from one respondent group is from 1 to `minPeople - 1`
 * (a handful of interviews, so a handful of people), the evidence map shows the share of the
 * theme's findings it is, in words, instead of the count: under a quarter is "a few", a quarter to a
 * half "some", over half "most". A band is kept only where the attacker's audit, reading it as that
 * interval of the theme's findings, still leaves the count as wide as a `[c]` must stay; otherwise
 * the cell is a plain `[c]`.
 */
export const WORDING_BANDS: readonly {
  readonly label: BandLabel;
  readonly min: number;
  readonly max: number;
}[] = [
  { label: 'a few', min: 0, max: 0.25 },
  { label: 'some', min: 0.25, max: 0.5 },
  { label: 'most', min: 0.5, max: 1 },
];

/** The band a share (0 to 1) falls in: a quarter and a half exactly are "some". */
export function bandOf(share: number): (typeof WORDING_BANDS)[number] {
  const [few, some, most] = WORDING_BANDS as readonly [
    (typeof WORDING_BANDS)[number],
    (typeof WORDING_BANDS)[number],
    (typeof WORDING_BANDS)[number],
  ];
  return share < some.min ? few : share <= some.max ? some : most;
}

/** The rules of a policy in plain English, for the pack's "how to read this pack" and its report. */
export function describePolicy(policy: PackDisclosurePolicy): string[] {
  const small = policy.minPeople - 1;
  return [
    `Counts of people from 1 to ${small} are shown as [c] (confidential); zero is shown.`,
    `Other counts of people are rounded to the nearest ${policy.roundTo}; totals are rounded on their own, so parts may not add up to them.`,
    `Rates, means and medians are shown only when computed over at least ${policy.minBase} people, otherwise [x].`,
    `Distance travelled is shown only with at least ${policy.minPairedChecks} paired capital checks.`,
    `Staff figures are shown at programme level only and over at least ${policy.minStaffRespondents} respondents.`,
    ...(policy.showExtremes ? [] : ['Minima and maxima are not shown.']),
    `In the evidence map, 1 to ${small} findings from one respondent group are shown in words as a share of the theme's findings: "a few" (under a quarter), "some" (a quarter to a half), "most" (over half), or as [c] where even the words would tell too much.`,
    'Further figures are shown as [c] where a hidden figure could otherwise be worked out from totals, from other tables, from rates shown beside them, or from packs already published.',
    `Every hidden figure was checked against everything published, in this pack and earlier ones: a hidden count of 1 to ${small} people stays uncertain over at least ${policy.auditMinRangeSmall + 1} values.`,
    'Symbols: [c] confidential, [x] not available, [z] not applicable.',
  ];
}
