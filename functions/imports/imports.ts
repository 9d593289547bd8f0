import { ukDate } from '../../shared/domain/iso-week';
import { CsvError, parse } from 'csv-parse';
import * as z from 'zod';
import {
  applyCheck,
  canonicalParticipantRef,
  CHECK_DOES_NOT_FIT,
  capitalCheckBodySchema,
  type CapitalDeps,
  type ParticipantSummary,
  type ParticipantWrite,
  type StoredCheck,
} from '../participants/participants';
import type { CodebookStore } from '../findings/codebook';
import {
  engagementFiguresSchema,
  type EngagementReturnStore,
  prepareEngagementReturn,
  type StoredEngagementReturn,
} from '../engagement/engagement';
import {
  ConflictError,
  type FieldProblem,
  ValidationError,
  issuesAsProblems,
  MISSING_IS_REQUIRED,
  pointerSegment,
} from '../../shared/domain/errors';
import { interviewBodySchema, prepareInterview, type StoredInterview } from '../findings/interviews';
import { QUESTIONNAIRES } from '../../shared/domain/questionnaires';
import type { Role } from '../../shared/domain/roles';
import type { SiteId } from '../../shared/domain/sites';

/**
 * Bulk CSV import of one evidence stream for one site: all rows land or none do, and a refusal lists
 * every bad row and column. One row is one capital check, one month's engagement return, or one
 * interview finding.
 */
export const IMPORT_STREAMS = ['capital-checks', 'engagement-returns', 'interview-findings'] as const;
export type ImportStream = (typeof IMPORT_STREAMS)[number];

/**
 * The rows one import job takes. The worker holds the file's rows in memory to check rules across
 * them (a participant's follow-up needs their baseline), about 1 KB a row, and writes a capital-check
 * row as about 3 write units (see `bench/import.ts` for the time this takes at DynamoDB's
 * per-partition rate).
 */
export const MAX_IMPORT_ROWS = 100_000;
/**
 * Interview findings carry up to 1,500 characters of free text a row, and redaction takes about
 * 10 ms per 1,000 characters (`npm run bench:redaction`): 500 rows stay well inside the function's
 * time limit, where 10,000 would not.
 */
export const MAX_INTERVIEW_IMPORT_ROWS = 500;
/** A file sent inline: below Lambda's 6 MB request limit, with room for the JSON around the CSV. */
export const IMPORT_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** A refusal lists at most this many problems, so its answer stays well under Lambda's response limit. */
export const MAX_LISTED_PROBLEMS = 1000;

/** Interviews are evaluators' work; providers import their own site's checks and figures. */
export const STREAM_ROLES: Readonly<Record<ImportStream, readonly Role[]>> = {
  'capital-checks': ['evaluator', 'provider'],
  'engagement-returns': ['evaluator', 'provider'],
  'interview-findings': ['evaluator'],
};

/** What an import writes, stream by stream: exactly what the single-record routes write. */
export type ImportWrite =
  | {
      readonly stream: 'capital-checks';
      readonly participants: readonly ParticipantWrite[];
      /** The summaries these replace, to put back if the import has to be undone. */
      readonly replaced: readonly ParticipantSummary[];
    }
  | {
      readonly stream: 'engagement-returns';
      readonly returns: readonly StoredEngagementReturn[];
      /** The returns these replace, to put back if the import has to be undone. */
      readonly replaced: readonly StoredEngagementReturn[];
    }
  | { readonly stream: 'interview-findings'; readonly interviews: readonly StoredInterview[] };

export interface ImportDeps extends Pick<
  CapitalDeps,
  'participantRefs' | 'pseudonymiseParticipant' | 'now' | 'newId'
> {
  readonly capital: Pick<CapitalDeps['capital'], 'getSummaries'>;
  readonly engagementReturns: Pick<EngagementReturnStore, 'listEngagementReturns'>;
  readonly codebook: Pick<CodebookStore, 'findThemes'>;
}

/**
 * Validates every row of a file of one stream for one site by the rules of the single-record routes,
 * against what is stored, and plans what the import writes. `disclose`: the importer is provider
 * staff of the site (see `planCapitalChecks`). Ids come from `deps.newId` in file order, so a plan
 * made again from the same file and the same stored records is the same plan.
 */
export async function planImport(
  deps: ImportDeps,
  job: { readonly stream: ImportStream; readonly site: SiteId; readonly disclose: boolean },
  table: CsvTable,
  now: Date,
): Promise<Planned> {
  if (job.stream === 'interview-findings' && table.rows.length > MAX_INTERVIEW_IMPORT_ROWS) {
    return refused(job.stream, [
      {
        pointer: '/body/csv',
        detail: `has ${table.rows.length} rows; one import of interview findings takes at most ${MAX_INTERVIEW_IMPORT_ROWS}`,
      },
    ]);
  }
  return job.stream === 'capital-checks'
    ? planCapitalChecks(deps, job.site, table, now, job.disclose)
    : job.stream === 'engagement-returns'
      ? planEngagementReturns(deps, job.site, table, now)
      : planInterviewFindings(deps, job.site, table, now);
}

// ── CSV ──

export interface CsvTable {
  readonly columns: readonly string[];
  /** Each row's cells by column, with the file line it ends on (the header is line 1). */
  readonly rows: readonly { readonly line: number; readonly cells: Readonly<Record<string, string>> }[];
}

/**
 * Reads CSV (text, or a stream of bytes read as it arrives) with a header row, stopping at the row
 * cap; a malformed file is refused at the line where it breaks.
 */
export async function readCsv(source: string | AsyncIterable<Uint8Array>): Promise<CsvTable> {
  const records: { info: { lines: number }; record: string[] }[] = [];
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, trim: true });
  const feed = (async () => {
    try {
      if (typeof source === 'string') parser.write(source);
      else
        for await (const chunk of source) {
          if (parser.destroyed || records.length > MAX_IMPORT_ROWS + 1) break;
          if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
        }
    } finally {
      parser.end();
    }
  })();
  try {
    for await (const record of parser as AsyncIterable<(typeof records)[number]>) {
      records.push(record);
      if (records.length > MAX_IMPORT_ROWS + 1) break;
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    throw new ValidationError([
      { pointer: `/body/csv${line ? `/${line}` : ''}`, detail: `is not valid CSV: ${error.message}` },
    ]);
  } finally {
    parser.destroy();
    await feed.catch(() => undefined);
  }
  const [header, ...data] = records;
  if (!header || data.length === 0) {
    throw new ValidationError([{ pointer: '/body/csv', detail: 'needs a header row and at least one row' }]);
  }
  if (data.length > MAX_IMPORT_ROWS) {
    throw new ValidationError([
      {
        pointer: '/body/csv',
        detail: `has more than ${MAX_IMPORT_ROWS} rows; one import takes at most ${MAX_IMPORT_ROWS}`,
      },
    ]);
  }
  const columns = header.record;
  const repeated = columns.findIndex((c, i) => columns.indexOf(c) !== i);
  if (repeated >= 0) {
    throw new ValidationError([
      { pointer: `/body/csv/1/${escape(columns[repeated] ?? '')}`, detail: 'appears twice in the header' },
    ]);
  }
  return {
    columns,
    rows: data.map(({ info, record }) => ({
      line: info.lines,
      cells: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])),
    })),
  };
}

/** What a valid file writes, or the problems that refuse it, and what redaction removed. */
export interface Planned {
  readonly write: ImportWrite;
  readonly problems: readonly FieldProblem[];
  readonly redacted: Record<string, number>;
}

/** A plan that writes nothing: the problems stop the import. */
function refused(stream: ImportStream, problems: readonly FieldProblem[]): Planned {
  const write: ImportWrite =
    stream === 'capital-checks'
      ? { stream, participants: [], replaced: [] }
      : stream === 'engagement-returns'
        ? { stream, returns: [], replaced: [] }
        : { stream, interviews: [] };
  return { write, problems, redacted: {} };
}

// ── Columns: a row's cells become the body the single-record route takes ──

interface Column {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'boolean' | 'list';
  readonly required: boolean;
}

/** The leaf fields of a request schema as dotted CSV columns, with how to read each cell. */
function columnsOf(schema: z.core.$ZodType, omit: readonly string[] = []): Column[] {
  type Node = {
    type?: string;
    properties?: Record<string, Node>;
    required?: string[];
    $ref?: string;
    const?: unknown;
  };
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Node & {
    $defs?: Record<string, Node>;
  };
  const resolve = (node: Node): Node =>
    node.$ref ? (root.$defs?.[node.$ref.replace('#/$defs/', '')] ?? node) : node;
  const walk = (node: Node, prefix: string, required: boolean): Column[] => {
    const resolved = resolve(node);
    if (resolved.type === 'object' && resolved.properties) {
      return Object.entries(resolved.properties).flatMap(([key, child]) =>
        walk(child, prefix ? `${prefix}.${key}` : key, required && (resolved.required ?? []).includes(key)),
      );
    }
    const type =
      resolved.type === 'integer' || resolved.type === 'number'
        ? 'integer'
        : resolved.type === 'boolean'
          ? 'boolean'
          : resolved.type === 'array'
            ? 'list'
            : 'string';
    return [{ name: prefix, type, required }];
  };
  return walk(root, '', true).filter((c) => !omit.includes(c.name));
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

/** A row's cells as the nested object the route's schema reads; empty cells are left out. */
function rowToObject(
  cells: Readonly<Record<string, string>>,
  columns: readonly Column[],
): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const column of columns) {
    const raw = cells[column.name];
    if (raw === undefined || raw === '') continue;
    const value =
      column.type === 'integer' && /^-?\d+$/.test(raw)
        ? Number(raw)
        : column.type === 'boolean' && YES.has(raw.toLowerCase())
          ? true
          : column.type === 'boolean' && NO.has(raw.toLowerCase())
            ? false
            : column.type === 'list'
              ? raw
                  .split(';')
                  .map((item) => item.trim())
                  .filter((item) => item.length > 0)
              : raw;
    const path = column.name.split('.');
    let target = object;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path.at(-1) ?? column.name] = value;
  }
  return object;
}

/** Unknown columns, and required columns the header lacks, are refused once, at the header. */
function checkHeader(table: CsvTable, columns: readonly Column[]): FieldProblem[] {
  const known = new Set(columns.map((c) => c.name));
  return [
    ...table.columns
      .filter((name) => !known.has(name))
      .map((name) => ({ pointer: `/body/csv/1/${escape(name)}`, detail: 'is not a column of this stream' })),
    ...columns
      .filter((c) => c.required && !table.columns.includes(c.name))
      .map((c) => ({ pointer: '/body/csv/1', detail: `needs the column ${c.name}` })),
  ];
}

const ROW = '/row';

/** A problem found under `/row/...` or `/body/...` as a pointer at the row's line and column. */
function atRow(line: number, problem: FieldProblem, column: (path: string[]) => string): FieldProblem {
  const path = problem.pointer.split('/').slice(2).map(unescape);
  return {
    pointer: `/body/csv/${line}${path.length > 0 ? `/${escape(column(path))}` : ''}`,
    detail: problem.detail,
  };
}

const zodProblems = (issues: Parameters<typeof issuesAsProblems>[0]): FieldProblem[] =>
  issuesAsProblems(issues, ROW);

const dotted = (path: string[]) => path.join('.');

// ── Capital checks ──

const CAPITAL_COLUMNS = columnsOf(capitalCheckBodySchema, ['questionnaireVersion']);

/**
 * Unless `disclose` (the caller is provider staff of the site, see `seesParticipantRecords`), rows
 * that do not fit what is stored are not listed row by row: that would tell which references exist,
 * even in a file refused for another row. They are reported as one problem, and only once the file
 * is otherwise valid, so finding out costs an import that lands (and is audited) when the rows fit.
 */
async function planCapitalChecks(
  deps: ImportDeps,
  site: SiteId,
  table: CsvTable,
  now: Date,
  disclose: boolean,
): Promise<Planned> {
  const problems = checkHeader(table, CAPITAL_COLUMNS);
  if (problems.length > 0) return refused('capital-checks', problems);
  const version = QUESTIONNAIRES.get('capital-check')?.version;
  const today = ukDate(now);
  const checks: { line: number; ref: string; check: StoredCheck }[] = [];
  for (const { line, cells } of table.rows) {
    const parsed = capitalCheckBodySchema.safeParse(
      { ...rowToObject(cells, CAPITAL_COLUMNS), questionnaireVersion: version },
      MISSING_IS_REQUIRED,
    );
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error.issues).map((p) => atRow(line, p, dotted)));
      continue;
    }
    const { participantRef, ...check } = parsed.data;
    const participant = deps.pseudonymiseParticipant(site, canonicalParticipantRef(participantRef));
    checks.push({
      line,
      ref: participantRef,
      check: { ...check, id: deps.newId(), site, participant, recordedAt: now.toISOString() },
    });
  }
  if (problems.length > 0) return refused('capital-checks', problems);

  // Each participant's checks in date order (file order on the same day), applied to what is stored:
  // the summaries of the participants the file names only, so the time taken follows the file, not
  // the size of the site.
  const byParticipant = new Map<string, typeof checks>();
  for (const row of checks) {
    const rows = byParticipant.get(row.check.participant);
    if (rows) rows.push(row);
    else byParticipant.set(row.check.participant, [row]);
  }
  const stored = new Map(
    (await deps.capital.getSummaries(site, [...byParticipant.keys()])).map((s) => [s.participant, s]),
  );
  const participants: ParticipantWrite[] = [];
  let undisclosed = 0;
  for (const [participant, rows] of byParticipant) {
    const before = stored.get(participant);
    let summary: ParticipantSummary | undefined = before;
    // The baseline first, then the rest by date (file order on the same day), so a follow-up dated
    // before its baseline is reported as that, not as a follow-up without a baseline.
    const sorted = rows.toSorted(
      (a, b) =>
        Number(b.check.kind === 'baseline') - Number(a.check.kind === 'baseline') ||
        a.check.date.localeCompare(b.check.date) ||
        a.line - b.line,
    );
    for (const { line, ref, check } of sorted) {
      try {
        summary = applyCheck(
          summary,
          check,
          today,
          summary?.reference ?? deps.participantRefs.seal(site, ref),
          disclose,
        ).summary;
      } catch (error) {
        if (!disclose && error instanceof ConflictError) undisclosed++;
        else if (error instanceof ValidationError)
          problems.push(...error.errors.map((p) => atRow(line, p, dotted)));
        else if (error instanceof ConflictError)
          problems.push({ pointer: `/body/csv/${line}/kind`, detail: error.message });
        else throw error;
      }
    }
    if (summary) {
      participants.push({
        site,
        participant,
        checks: sorted.map((r) => r.check),
        summary,
        expectedVersion: before?.version,
        replaces: before,
        idempotencyRecords: [],
      });
    }
  }
  if (undisclosed > 0 && problems.length === 0) {
    problems.push({ pointer: '/body/csv', detail: CHECK_DOES_NOT_FIT });
  }
  const replaced = participants.flatMap((p) => stored.get(p.participant) ?? []);
  return { write: { stream: 'capital-checks', participants, replaced }, problems, redacted: {} };
}

// ── Engagement returns ──

const ENGAGEMENT_COLUMNS: Column[] = [
  { name: 'month', type: 'string', required: true },
  ...columnsOf(engagementFiguresSchema),
];

async function planEngagementReturns(
  deps: ImportDeps,
  site: SiteId,
  table: CsvTable,
  now: Date,
): Promise<Planned> {
  const problems = checkHeader(table, ENGAGEMENT_COLUMNS);
  if (problems.length > 0) return refused('engagement-returns', problems);
  const returns: StoredEngagementReturn[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const { month, ...figures } = rowToObject(cells, ENGAGEMENT_COLUMNS);
    const monthText = typeof month === 'string' ? month : '';
    const prepared = prepareEngagementReturn(site, monthText, figures, now, {
      month: `${ROW}/month`,
      figures: ROW,
    });
    if (!prepared.ok) {
      problems.push(...prepared.problems.map((p) => atRow(line, p, dotted)));
      continue;
    }
    const earlier = firstLine.get(monthText);
    if (earlier !== undefined) {
      problems.push({
        pointer: `/body/csv/${line}/month`,
        detail: `${monthText} is already on line ${earlier}`,
      });
      continue;
    }
    firstLine.set(monthText, line);
    returns.push(prepared.record);
  }
  if (problems.length > 0) return refused('engagement-returns', problems);
  const months = returns.map((r) => r.month).sort();
  const existing = await deps.engagementReturns.listEngagementReturns(
    site,
    months[0] ?? '',
    months.at(-1) ?? '',
  );
  const importing = new Set(months);
  return {
    write: {
      stream: 'engagement-returns',
      returns,
      replaced: existing.filter((r) => importing.has(r.month)),
    },
    problems,
    redacted: {},
  };
}

// ── Interview findings: one finding (and at most one quote) per row ──

const interviewRowSchema = z
  .object({
    respondentGroup: z.string(),
    method: z.string(),
    participants: z.int(),
    date: z.string(),
    contactAttempts: z.int(),
    consentRecorded: z.boolean(),
    consentDate: z.string().optional(),
    names: z.array(z.string()).optional(),
    area: z.string(),
    theme: z.string(),
    outcomes: z.array(z.string()).optional(),
    stance: z.string(),
    summary: z.string(),
    quote: z.string().optional(),
    quotePublishable: z.boolean().optional(),
  })
  .strict();

const INTERVIEW_COLUMNS = columnsOf(interviewRowSchema);

/** Which column a field of the interview body came from. */
function interviewColumn(path: string[]): string {
  const [first, , field, , quoteField] = path;
  if (first === 'consent') return path[1] === 'date' ? 'consentDate' : 'consentRecorded';
  if (first === 'names') return 'names';
  if (first !== 'findings') return dotted(path);
  if (field === undefined) return 'summary'; // the limit on all free text together
  if (field === 'quotes') return quoteField === 'publishable' ? 'quotePublishable' : 'quote';
  return field;
}

async function planInterviewFindings(
  deps: ImportDeps,
  site: SiteId,
  table: CsvTable,
  now: Date,
): Promise<Planned> {
  const problems = checkHeader(table, INTERVIEW_COLUMNS);
  if (problems.length > 0) return refused('interview-findings', problems);
  const bodies: { line: number; body: z.infer<typeof interviewBodySchema> }[] = [];
  for (const { line, cells } of table.rows) {
    const row = interviewRowSchema.safeParse(rowToObject(cells, INTERVIEW_COLUMNS), MISSING_IS_REQUIRED);
    if (!row.success) {
      problems.push(...zodProblems(row.error.issues).map((p) => atRow(line, p, dotted)));
      continue;
    }
    const r = row.data;
    const body = interviewBodySchema.safeParse(
      {
        respondentGroup: r.respondentGroup,
        method: r.method,
        participants: r.participants,
        date: r.date,
        contactAttempts: r.contactAttempts,
        consent: { recorded: r.consentRecorded, ...(r.consentDate ? { date: r.consentDate } : {}) },
        ...(r.names ? { names: r.names } : {}),
        findings: [
          {
            area: r.area,
            theme: r.theme,
            ...(r.outcomes ? { outcomes: r.outcomes } : {}),
            stance: r.stance,
            summary: r.summary,
            quotes: r.quote ? [{ text: r.quote, publishable: r.quotePublishable ?? false }] : [],
          },
        ],
      },
      MISSING_IS_REQUIRED,
    );
    if (!body.success)
      problems.push(...zodProblems(body.error.issues).map((p) => atRow(line, p, interviewColumn)));
    else bodies.push({ line, body: body.data });
  }
  const themes = await deps.codebook.findThemes([
    ...new Set(bodies.flatMap(({ body }) => body.findings.map((f) => f.theme))),
  ]);
  const interviews: StoredInterview[] = [];
  const redacted: Record<string, number> = {};
  for (const { line, body } of bodies) {
    try {
      const { interview, receipt } = prepareInterview(body, {
        site,
        id: deps.newId(),
        now,
        themes,
        pointer: ROW,
      });
      interviews.push(interview);
      for (const [kind, count] of Object.entries(receipt.redacted))
        redacted[kind] = (redacted[kind] ?? 0) + count;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.errors.map((p) => atRow(line, p, interviewColumn)));
    }
  }
  return { write: { stream: 'interview-findings', interviews }, problems, redacted };
}

// ── Refusal ──

/** A refused file's row report: the problems in file order (at most `MAX_LISTED_PROBLEMS`) and a summary. */
export function refusalOf(
  problems: readonly FieldProblem[],
  rows: number,
): { errors: FieldProblem[]; detail: string } {
  const line = (p: FieldProblem) => Number(p.pointer.split('/')[3] ?? 0);
  const badRows = new Set(problems.map(line)).size;
  // In file order, whichever check found them: a person fixes a file from the top.
  const listed = problems.toSorted((a, b) => line(a) - line(b)).slice(0, MAX_LISTED_PROBLEMS);
  return {
    errors: listed,
    detail:
      `Nothing was imported: ${badRows} of ${rows} rows have problems` +
      (listed.length < problems.length
        ? ` (the first ${listed.length} of ${problems.length} problems are listed; fix them and send the file again).`
        : '.'),
  };
}

const escape = pointerSegment;
const unescape = (segment: string) => segment.replaceAll('~1', '/').replaceAll('~0', '~');
