/**
 * Made-up evidence for `npm run bench:packs`: every stream the pack builder reads, as the records
 * the composer takes (`functions/packs/evidence.ts`), written straight to one NDJSON file per stream
 * so a million records never sit in memory. Deterministic: the same size and seed give the same
 * files. People scale with the records: participants, staff and reporters grow with the size, so
 * memory that follows people grows too, and memory that follows records must not.
 *
 * Also here: reading those files back one record at a time, and the records-table items each
 * record is stored as, so the same evidence can be loaded into DynamoDB Local for a whole build.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EvidenceStream } from '../functions/packs/compose';
import {
  BARRIER_CODES,
  CAPITAL_CHECK_V1,
  ENABLER_CODES,
  type EvidenceBarrierReport,
  type EvidenceCheck,
  type EvidenceEngagementReturn,
  type EvidenceFinding,
  type EvidencePulse,
  type EvidenceResource,
  OUTCOMES,
  type PackTheme,
  QUESTION_AREAS,
  REPORTER_ROLES,
  RESOURCE_SUITS,
  RESOURCE_TYPES,
  RESPONDENT_GROUPS,
  SITES,
  type SiteId,
  WELLBEING_PULSE_V1,
} from '../functions/packs/evidence';

/** The bench's period: one calendar year, every record dated inside it. */
export const PERIOD = { from: '2025-01-01', to: '2025-12-31' } as const;
export const SITE_IDS: readonly SiteId[] = SITES.map((s) => s.id);
/** Streams in the order they are written and read. */
export const STREAMS: readonly EvidenceStream[] = [
  'checks',
  'pulses',
  'barrierReports',
  'findings',
  'engagementReturns',
  'resources',
];
/** The share of the records each stream gets (engagement returns: one per site and month, fixed). */
const SHARES = { checks: 0.5, pulses: 0.25, barrierReports: 0.1, findings: 0.1, resources: 0.05 } as const;
/** Themes per question area in the made-up codebook. */
const THEMES_PER_AREA = 8;
/** Share of findings carrying one publishable quote. */
const QUOTE_RATE = 0.02;

const DAY = 86_400_000;
const YEAR_START = Date.parse(`${PERIOD.from}T00:00:00Z`);
const dayOf = (offset: number) => new Date(YEAR_START + offset * DAY).toISOString().slice(0, 10);

/** mulberry32: a small, fast, seedable generator; good enough for made-up data. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const chance = (p: number) => next() < p;
  const hex = (length: number) => {
    let out = '';
    while (out.length < length)
      out += Math.floor(next() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, length);
  };
  const uuid = () => {
    const h = hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  /** Some distinct items, each with probability `p`. */
  const some = <T>(items: readonly T[], p: number): T[] => items.filter(() => next() < p);
  return { next, int, pick, chance, hex, uuid, some };
}
type Random = ReturnType<typeof generator>;

/** The made-up codebook: a few themes in every question area, ids as the codebook makes them. */
export function benchThemes(seed: number): PackTheme[] {
  const random = generator(seed ^ 0x7e3e);
  return QUESTION_AREAS.flatMap((area) =>
    Array.from({ length: THEMES_PER_AREA }, (_, i) => ({
      id: random.uuid(),
      area: area.code,
      name: `Theme ${String(i + 1).padStart(2, '0')} of ${area.code}`,
    })),
  );
}

export const ndjsonPath = (dir: string, stream: EvidenceStream) => join(dir, `${stream}.ndjson`);
export const themesPath = (dir: string) => join(dir, 'themes.json');

/** Lines to a file, in chunks of about a megabyte, waiting when the disk is behind. */
class LineWriter {
  private readonly out;
  private buffer: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.out = createWriteStream(path);
  }
  async write(record: unknown): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.buffer.push(line);
    this.size += line.length;
    if (this.size > 1 << 20) await this.flush();
  }
  private async flush(): Promise<void> {
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

/**
 * Writes `records` records (all streams together) for the three sites into `dir`, and the
 * codebook. Returns how many records each stream got.
 */
export async function writeBenchEvidence(
  dir: string,
  records: number,
  seed: number,
): Promise<Record<EvidenceStream, number>> {
  const themes = benchThemes(seed);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(themesPath(dir), JSON.stringify(themes));
  const months = 12;
  const returns = SITE_IDS.length * months;
  const rest = Math.max(0, records - returns);
  const target = {
    checks: Math.round(rest * SHARES.checks),
    pulses: Math.round(rest * SHARES.pulses),
    barrierReports: Math.round(rest * SHARES.barrierReports),
    findings: Math.round(rest * SHARES.findings),
    resources: 0,
    engagementReturns: returns,
  };
  target.resources = rest - target.checks - target.pulses - target.barrierReports - target.findings;
  const written = {} as Record<EvidenceStream, number>;
  for (const stream of STREAMS) {
    const out = new LineWriter(ndjsonPath(dir, stream));
    const random = generator(seed * 31 + STREAMS.indexOf(stream) + 1);
    let n = 0;
    for (const record of RECORDS[stream](random, target[stream], themes)) {
      await out.write(record);
      n += 1;
    }
    await out.close();
    written[stream] = n;
  }
  return written;
}

type Records = (random: Random, count: number, themes: readonly PackTheme[]) => Iterable<unknown>;

const RECORDS: Record<EvidenceStream, Records> = {
  checks: capitalChecks,
  pulses,
  barrierReports,
  findings,
  engagementReturns,
  resources,
};

function* capitalChecks(random: Random, count: number): Generator<EvidenceCheck> {
  const { barriers, needs, strengths } = CAPITAL_CHECK_V1.sections;
  const answers = (previous?: EvidenceCheck) => ({
    barriers: Object.fromEntries(barriers.items.map((i) => [i.id, random.chance(previous ? 0.2 : 0.35)])),
    needs: Object.fromEntries(needs.items.map((i) => [i.id, random.chance(previous ? 0.2 : 0.3)])),
    strengths: Object.fromEntries(
      strengths.domains.map((d) => {
        const before = previous?.strengths[d.id];
        const score =
          before === undefined ? random.int(d.scale.min, d.scale.max) : before + random.int(-1, 2);
        return [d.id, Math.min(d.scale.max, Math.max(d.scale.min, score))];
      }),
    ),
  });
  let n = 0;
  for (let i = 0; n < count; i++) {
    const site = SITE_IDS[i % SITE_IDS.length] as SiteId;
    const participant = random.hex(43);
    const day = random.int(0, 364);
    const baseline: EvidenceCheck = { site, participant, kind: 'baseline', date: dayOf(day), ...answers() };
    yield baseline;
    n += 1;
    const followUp = day + 90 + random.int(-25, 25);
    if (n < count && followUp <= 364 && random.chance(0.75)) {
      yield { site, participant, kind: 'follow-up', date: dayOf(followUp), ...answers(baseline) };
      n += 1;
    }
    const exit = day + random.int(150, 250);
    if (n < count && exit <= 364 && random.chance(0.4)) {
      yield { site, participant, kind: 'exit', date: dayOf(exit), ...answers(baseline) };
      n += 1;
    }
  }
}

function* pulses(random: Random, count: number): Generator<EvidencePulse> {
  const firstMonday = 5; // 2025-01-06
  const weeks = Math.floor((364 - firstMonday) / 7) + 1;
  const rate = 0.77;
  const staff = Array.from({ length: Math.max(9, Math.ceil(count / (weeks * rate)) + 1) }, (_, i) => ({
    site: SITE_IDS[i % SITE_IDS.length] as SiteId,
    respondent: random.hex(43),
    leaning: random.int(1, 4),
  }));
  let n = 0;
  for (let w = 0; w < weeks && n < count; w++) {
    for (const person of staff) {
      if (n >= count) break;
      if (!random.chance(rate)) continue;
      yield {
        site: person.site,
        monday: dayOf(firstMonday + w * 7),
        respondent: person.respondent,
        answers: Object.fromEntries(
          WELLBEING_PULSE_V1.items.map((i) => [i.id, Math.min(5, person.leaning + random.int(0, 2))]),
        ),
      };
      n += 1;
    }
  }
}

function* barrierReports(random: Random, count: number): Generator<EvidenceBarrierReport> {
  const roles = Object.keys(REPORTER_ROLES);
  const barrierCodes = Object.keys(BARRIER_CODES);
  const enablerCodes = Object.keys(ENABLER_CODES);
  const reporters = Array.from({ length: Math.max(6, Math.ceil(count / 4)) }, (_, i) => ({
    site: SITE_IDS[i % SITE_IDS.length] as SiteId,
    reporter: random.hex(43),
    reporterRole: random.chance(0.6) ? 'probation-practitioner' : random.pick(roles),
  }));
  for (let n = 0; n < count; n++) {
    const who = reporters[n % reporters.length] ?? reporters[0];
    if (!who) return;
    const at = YEAR_START + random.int(0, 364) * DAY + random.int(0, DAY - 1);
    yield {
      ...who,
      source: random.pick(['self-report', 'provider-feedback', 'interview']),
      referring: random.pick(['yes', 'no', 'sometimes'] as const),
      barriers: random.some(barrierCodes, 0.25).map((code) => ({
        code,
        severity: random.pick(['low', 'medium', 'high'] as const),
      })),
      enablers: random.some(enablerCodes, 0.2),
      submittedAt: new Date(at).toISOString(),
    };
  }
}

const QUOTE_WORDS = ['the', 'link', 'worker', 'helped', 'me', 'find', 'a', 'group', 'and', 'a', 'course'];

function* findings(random: Random, count: number, themes: readonly PackTheme[]): Generator<EvidenceFinding> {
  const outcomeCodes = OUTCOMES.map((o) => o.code);
  let n = 0;
  while (n < count) {
    const interview = {
      site: random.pick(SITE_IDS),
      interview: random.uuid(),
      respondentGroup: random.pick(RESPONDENT_GROUPS),
      method: random.pick(['interview', 'focus-group', 'survey-free-text']),
      date: dayOf(random.int(0, 364)),
    };
    for (let f = random.int(1, 9); f > 0 && n < count; f--, n++) {
      const theme = random.pick(themes);
      yield {
        ...interview,
        area: theme.area,
        theme: theme.id,
        outcomes: random.some(outcomeCodes, 0.15),
        stance: random.pick(['enabler', 'barrier', 'neutral'] as const),
        quotes: random.chance(QUOTE_RATE)
          ? [Array.from({ length: random.int(6, 14) }, () => random.pick(QUOTE_WORDS)).join(' ')]
          : [],
      };
    }
  }
}

function* engagementReturns(random: Random): Generator<EvidenceEngagementReturn> {
  const appointments = (booked: number) => {
    const attended = random.int(Math.floor(booked * 0.5), Math.floor(booked * 0.8));
    const notAttended = random.int(0, Math.floor((booked - attended) * 0.6));
    const cancelled = random.int(0, booked - attended - notAttended);
    return { booked, attended, notAttended, cancelled };
  };
  for (const site of SITE_IDS) {
    for (let m = 1; m <= 12; m++) {
      yield {
        site,
        month: `2025-${String(m).padStart(2, '0')}`,
        referralsReceived: random.int(5, 40),
        initialAppointments: appointments(random.int(5, 40)),
        sessions: appointments(random.int(40, 200)),
        completions: random.int(0, 10),
        withdrawals: random.int(0, 8),
      };
    }
  }
}

function* resources(random: Random, count: number): Generator<EvidenceResource> {
  const types = Object.keys(RESOURCE_TYPES);
  const suits = Object.keys(RESOURCE_SUITS);
  for (let n = 0; n < count; n++) {
    const status = random.chance(0.3) ? 'new' : 'existing';
    const seedFunded = status === 'new' && random.chance(0.4);
    yield {
      site: SITE_IDS[n % SITE_IDS.length] as SiteId,
      type: random.pick(types),
      status,
      seedFunded,
      ...(seedFunded ? { seedFundingPounds: random.int(100, 5000) } : {}),
      openAccess: random.chance(0.5),
      suits: random.some(suits, 0.15),
      recordedAt: new Date(YEAR_START + random.int(0, 364) * DAY + random.int(0, DAY - 1)).toISOString(),
    };
  }
}

/** The records of one stream's file, one at a time, as they were written. */
export async function* readNdjson<T>(path: string): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield JSON.parse(line) as T;
}
