import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { documentClient, queryAll } from '../../shared/adapters/dynamo';
import { DynamoImportWriter } from '../../functions/imports/import-writer';
import { DynamoCapitalStore } from '../../functions/participants/participant-store';
import { importCsv } from '../../functions/imports/imports';
import { RetryLaterError } from '../../shared/domain/errors';
import { services } from '../../local/services';
import { capitalBody, uniqueRef } from '../support/capital';
import { client } from '../support/client';
import { csvOf } from '../support/csv';
import { engagementFigures } from '../support/engagement';
import { startTestApi } from '../support/environment';
import { createTheme, EVALUATOR } from '../support/findings';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const PROVIDER = { role: 'provider' as const, site: 'london' as const, user: 'importer' };

/** A capital check row: the route's body without the questionnaire version, which the import sets. */
const checkRow = (...args: Parameters<typeof capitalBody>) => {
  const { questionnaireVersion: _version, ...row } = capitalBody(...args);
  return row;
};

const importFile = (
  stream: string,
  csv: string,
  as: typeof PROVIDER | typeof EVALUATOR = PROVIDER,
  site = 'london',
) => http.request('POST', '/imports', { as, body: { stream, site, csv } });

/** Every item of one partition of the records table, in key order. */
const records = (pk: string) =>
  queryAll(api.db, {
    TableName: api.env.RECORDS_TABLE,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
  });

describe('POST /imports: capital checks', () => {
  it('imports baselines and follow-ups together, deriving the distance travelled', async () => {
    const [a, b] = [uniqueRef('IMP'), uniqueRef('IMP')];
    const csv = csvOf([
      checkRow(a, { kind: 'follow-up', date: '2025-04-07', score: 4, ageBand: null }),
      checkRow(a, { date: '2025-01-06', score: 2 }),
      checkRow(b, { date: '2025-01-08', score: 3 }),
    ]);

    const answer = await importFile('capital-checks', csv);
    const followUps = await http.request('GET', '/sites/london/follow-ups', { as: PROVIDER });

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ stream: 'capital-checks', site: 'london', rows: 3 });
    const summaries = (await records('CAPITAL#london')).filter((i) => i.recordType === 'capital-summary');
    const followedUp = summaries.find((s) => (s.lastCheck as { kind: string }).kind === 'follow-up');
    expect(followedUp?.distanceTravelled).toMatchObject({ strengths: { housingStability: 2 } });
    expect(followUps.status).toBe(200);
  });

  it('refuses the whole file when one row is bad, naming the line and column, and writes nothing', async () => {
    const before = await api.scan('RECORDS_TABLE');
    const csv = csvOf([
      checkRow(uniqueRef('IMP')),
      { ...checkRow(uniqueRef('IMP')), strengths: { ...checkRow('x').strengths, finance: 9 } },
      checkRow(uniqueRef('IMP')),
    ]);

    const answer = await importFile('capital-checks', csv);

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { pointer: '/body/csv/3/strengths.finance', detail: expect.any(String) as string },
    ]);
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before.length);
  });

  it('lists every bad row, including rule breaks found across rows', async () => {
    const ref = uniqueRef('IMP');
    const csv = csvOf([
      checkRow(ref, { date: '2025-02-03' }),
      checkRow(ref, { kind: 'follow-up', date: '2025-01-06', ageBand: null }),
      checkRow(uniqueRef('IMP'), { date: '2099-01-01' }),
      checkRow(uniqueRef('IMP'), { ageBand: '36-49' }),
    ]);

    const answer = await importFile('capital-checks', csv);

    expect(answer.status).toBe(400);
    expect((answer.body.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual([
      '/body/csv/3/date',
      '/body/csv/4/date',
      '/body/csv/5/ageBand',
    ]);
    expect((answer.body.errors as { detail: string }[])[0]?.detail).toMatch(/^follow-up before baseline/);
    expect(answer.body.detail).toMatch(/^Nothing was imported: 3 of 4 rows have problems/);
  });

  it('refuses a column the stream does not have, and a missing one, at the header', async () => {
    const csv = csvOf([{ ...checkRow(uniqueRef('IMP')), favouriteColour: 'green', date: undefined }]);
    const answer = await importFile('capital-checks', csv);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { pointer: '/body/csv/1/favouriteColour', detail: 'is not a column of this stream' },
      { pointer: '/body/csv/1', detail: 'needs the column date' },
    ]);
  });

  it('refuses a file that is not valid CSV at the line where it breaks', async () => {
    const answer = await importFile('capital-checks', 'participantRef,kind\nA,"baseline\nB,baseline');
    expect(answer.status).toBe(400);
    expect((answer.body.errors as { pointer: string }[])[0]?.pointer).toMatch(/^\/body\/csv/);
  });

  it('tells an evaluator nothing of which references exist, even in a file refused for another row', async () => {
    const known = uniqueRef('ORACLE');
    await importFile('capital-checks', csvOf([checkRow(known, { date: '2025-03-01' })]));
    const probe = (ref: string) =>
      importFile(
        'capital-checks',
        csvOf([
          checkRow(ref, { kind: 'follow-up', date: '2025-04-01', ageBand: null }),
          checkRow(uniqueRef('ORACLE'), { date: '2999-01-01' }),
        ]),
        EVALUATOR,
      );
    const unknownRef = uniqueRef('ORACLE');

    const [onKnown, onUnknown] = [await probe(known), await probe(unknownRef)];

    expect(onKnown.status).toBe(400);
    expect(onKnown.body.errors).toEqual(onUnknown.body.errors);
    expect(JSON.stringify(onKnown.body.errors)).not.toContain('/body/csv/2/');
  });

  it("answers one problem for the file when an evaluator's otherwise valid rows do not fit what is stored", async () => {
    const known = uniqueRef('ORACLE');
    await importFile('capital-checks', csvOf([checkRow(known, { date: '2025-03-01' })]));
    const early = (ref: string) =>
      importFile(
        'capital-checks',
        csvOf([checkRow(ref, { kind: 'follow-up', date: '2025-02-01', ageBand: null })]),
        EVALUATOR,
      );

    const [onKnown, onUnknown] = [await early(known), await early(uniqueRef('ORACLE'))];

    expect(onKnown.body.errors).toEqual([{ pointer: '/body/csv', detail: expect.any(String) as unknown }]);
    expect(onKnown.body.errors).toEqual(onUnknown.body.errors);
  });

  it('never stores the provider reference, and erasure removes imported checks', async () => {
    const ref = uniqueRef('ERASEIMP');
    await importFile('capital-checks', csvOf([checkRow(ref)]));
    const everything = JSON.stringify(await api.scan('RECORDS_TABLE'));
    const erased = await http.request('DELETE', `/sites/london/participants/${ref}`, { as: PROVIDER });

    expect(everything).not.toContain(ref);
    expect(erased.body).toMatchObject({ erased: { checks: 1, summaries: 1 } });
  });

  it('imports a 2,500-row file in one request', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) =>
      checkRow(`BULK-${String(i).padStart(5, '0')}`, { score: (i % 5) + 1 }),
    );
    const answer = await importFile('capital-checks', csvOf(rows));
    expect(answer.body).toMatchObject({ rows: 2_500 });
    expect(answer.status).toBe(201);
    const checks = await queryAll(api.db, {
      TableName: api.env.RECORDS_TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :checks)',
      ExpressionAttributeValues: { ':pk': 'CAPITAL#london', ':checks': 'CHECK#' },
      ProjectionExpression: 'sk',
    });
    expect(checks.length).toBeGreaterThanOrEqual(2_500);
  }, 120_000);
});

describe('POST /imports: engagement returns', () => {
  it('imports several months, replacing a month already returned', async () => {
    await http.request('PUT', '/sites/london/engagement/2024-03', {
      as: PROVIDER,
      body: engagementFigures(),
    });
    const csv = csvOf(
      ['2024-02', '2024-03', '2024-04'].map((month) => ({
        month,
        ...engagementFigures({ referralsReceived: 8 }),
      })),
    );

    const answer = await importFile('engagement-returns', csv);

    expect(answer.status).toBe(201);
    const months = (await records('ENGAGEMENT#london')).filter((r) =>
      ['2024-02', '2024-03', '2024-04'].includes(String(r.sk)),
    );
    expect(months.map((r) => r.referralsReceived)).toEqual([8, 8, 8]);
  });

  it('refuses a month that appears twice, and figures that do not add up, naming each', async () => {
    const csv = csvOf([
      { month: '2024-05', ...engagementFigures() },
      { month: '2024-05', ...engagementFigures() },
      {
        month: '2024-06',
        ...engagementFigures(),
        sessions: { booked: 1, attended: 2, notAttended: 0, cancelled: 0 },
      },
    ]);
    const answer = await importFile('engagement-returns', csv);
    expect(answer.status).toBe(400);
    const pointers = (answer.body.errors as { pointer: string }[]).map((e) => e.pointer);
    expect(pointers).toContain('/body/csv/3/month');
    expect(pointers.some((p) => p.startsWith('/body/csv/4/sessions.'))).toBe(true);
  });
});

describe('POST /imports: interview findings', () => {
  it('imports findings row by row, redacting free text and listed names', async () => {
    const theme = await createTheme(http, '4.5');
    const row = {
      respondentGroup: 'probation-practitioner',
      method: 'interview',
      participants: 1,
      date: '2025-01-15',
      contactAttempts: 3,
      consentRecorded: true,
      names: ['Dorothy Quayle'],
      area: '4.5',
      theme,
      stance: 'barrier',
      summary: 'Dorothy was unsure how to refer; call 07700 900123 to follow up.',
      quote: 'I did not know what the offer was.',
      quotePublishable: true,
    };
    const answer = await importFile(
      'interview-findings',
      csvOf([row, { ...row, stance: 'enabler' }]),
      EVALUATOR,
    );

    expect(answer.status).toBe(201);
    expect(answer.body.redacted).toMatchObject({ phone: 2 });
    const stored = JSON.stringify(await records('INTERVIEW#london'));
    expect(stored).not.toContain('Dorothy');
    expect(stored).not.toContain('07700 900123');
  });

  it('refuses a finding without recorded consent, and a theme that is not in the codebook', async () => {
    const theme = await createTheme(http, '4.5');
    const row = {
      respondentGroup: 'provider-staff',
      method: 'focus-group',
      participants: 3,
      date: '2025-01-15',
      contactAttempts: 0,
      consentRecorded: false,
      area: '4.5',
      theme,
      stance: 'neutral',
      summary: 'Mixed views.',
    };
    const answer = await importFile(
      'interview-findings',
      csvOf([row, { ...row, consentRecorded: true, theme: '00000000-0000-4000-8000-000000000000' }]),
      EVALUATOR,
    );
    expect(answer.status).toBe(400);
    expect((answer.body.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual([
      '/body/csv/2/consentRecorded',
      '/body/csv/3/theme',
    ]);
  });

  it('takes at most 500 findings in one file, so redacting them fits in one request', async () => {
    const header =
      'respondentGroup,method,participants,date,contactAttempts,consentRecorded,area,theme,stance,summary';
    const row = 'provider-staff,interview,1,2025-01-15,1,yes,4.5,x,neutral,Fine.';
    const answer = await importFile(
      'interview-findings',
      [header, ...Array.from({ length: 501 }, () => row)].join('\n'),
      EVALUATOR,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { pointer: '/body/csv', detail: 'has 501 rows; one import of interview findings takes at most 500' },
    ]);
  });

  it('is for evaluators only: a provider cannot import interview findings', async () => {
    const answer = await importFile('interview-findings', 'area\n4.5');
    expect(answer.status).toBe(403);
  });
});

describe('when a write fails part-way through an import', () => {
  it('undoes every transaction that landed, putting replaced summaries back', async () => {
    const deps = await services(api.env);
    const earlier = Array.from({ length: 40 }, () => uniqueRef('UNDO'));
    // north-east: a partition of its own, so the comparison below is of this test's items only.
    await importFile(
      'capital-checks',
      csvOf(earlier.map((ref) => checkRow(ref, { date: '2025-01-06' }))),
      EVALUATOR,
      'north-east',
    );
    const before = await records('CAPITAL#north-east');
    const followUpsBefore = await records('FOLLOWUP#north-east');
    const db = documentClient({ region: 'eu-west-2', endpoint: api.env.DYNAMODB_ENDPOINT });
    let transactions = 0;
    db.middlewareStack.add(
      (next, context) => async (args) => {
        // The third transaction fails, as DynamoDB does when throttled beyond the SDK's retries.
        if (context.commandName === 'TransactWriteItemsCommand' && ++transactions === 3) {
          throw new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failThirdTransaction' },
    );
    const tables = { records: api.env.RECORDS_TABLE ?? '', audit: api.env.AUDIT_TABLE ?? '' };
    const failing = {
      ...deps,
      imports: new DynamoImportWriter(db, tables, new DynamoCapitalStore(db, tables)),
    };
    // Follow-ups for the 40 (their summaries are replaced) and 300 new baselines: 720 items, 8 transactions.
    const rows = [
      ...earlier.map((ref) => checkRow(ref, { kind: 'follow-up', date: '2025-04-07', ageBand: null })),
      ...Array.from({ length: 300 }, () => checkRow(uniqueRef('UNDO'))),
    ];

    await expect(
      importCsv(
        failing,
        { actor: 'someone', roles: ['evaluator'], site: undefined },
        { stream: 'capital-checks', site: 'north-east', csv: csvOf(rows) },
      ),
    ).rejects.toThrow(RetryLaterError);

    expect(transactions).toBeGreaterThan(3);
    expect(await records('CAPITAL#north-east')).toEqual(before);
    // The follow-up entries the follow-ups moved are back where they were.
    expect(followUpsBefore).toHaveLength(40);
    expect(await records('FOLLOWUP#north-east')).toEqual(followUpsBefore);
  });
});

describe('reading what is stored before an import', () => {
  /** Deps whose DynamoDB client notes, for each command sent, its name and how many keys it asked for. */
  async function observedDeps() {
    const deps = await services(api.env);
    const db = documentClient({ region: 'eu-west-2', endpoint: api.env.DYNAMODB_ENDPOINT });
    const sent: { command: string; keys: number; input: string }[] = [];
    db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, { Keys?: unknown[] }> };
        sent.push({
          command: context.commandName ?? '',
          keys: Object.values(input.RequestItems ?? {}).reduce((n, r) => n + (r.Keys?.length ?? 0), 0),
          input: JSON.stringify(input),
        });
        return next(args);
      },
      { step: 'initialize', name: 'observeReads' },
    );
    const tables = { records: api.env.RECORDS_TABLE ?? '', audit: api.env.AUDIT_TABLE ?? '' };
    const capital = new DynamoCapitalStore(db, tables);
    return {
      deps: { ...deps, capital, imports: new DynamoImportWriter(db, tables, capital) },
      sent,
      capital,
    };
  }

  it('reads only the summaries of the participants the file names, by key, never the whole site', async () => {
    const existing = Array.from({ length: 150 }, () => uniqueRef('NAMED'));
    const seeded = await importFile(
      'capital-checks',
      csvOf(existing.map((ref) => checkRow(ref, { date: '2025-01-06', score: 2 }))),
      EVALUATOR,
      'yorkshire-humber',
    );
    expect(seeded.status).toBe(201);
    const { deps, sent } = await observedDeps();
    const [first, second] = existing as [string, string];
    const rows = [
      checkRow(first, { kind: 'follow-up', date: '2025-04-07', score: 4, ageBand: null }),
      checkRow(second, { kind: 'follow-up', date: '2025-04-07', score: 3, ageBand: null }),
      checkRow(uniqueRef('NAMED'), { date: '2025-02-03' }),
    ];

    const receipt = await importCsv(
      deps,
      { actor: 'someone', roles: ['evaluator'], site: undefined },
      { stream: 'capital-checks', site: 'yorkshire-humber', csv: csvOf(rows) },
    );

    expect(receipt).toMatchObject({ rows: 3 });
    const queries = sent.filter((s) => s.command === 'QueryCommand');
    expect(queries.filter((s) => s.input.includes('CAPITAL#yorkshire-humber'))).toEqual([]);
    expect(sent.filter((s) => s.command === 'BatchGetItemCommand').map((s) => s.keys)).toEqual([3]);
    // The follow-ups were applied to the stored baselines: they were found.
    const summaries = (await records('CAPITAL#yorkshire-humber')).filter(
      (i) => i.recordType === 'capital-summary' && (i.lastCheck as { kind: string }).kind === 'follow-up',
    );
    expect(summaries.map((s) => s.distanceTravelled)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ strengths: expect.objectContaining({ housingStability: 2 }) as object }),
      ]),
    );
  });

  it('reads more than 100 participants in batches of 100, and leaves out those never seen', async () => {
    const known = Array.from({ length: 230 }, () => uniqueRef('BATCH'));
    await importFile(
      'capital-checks',
      csvOf(known.map((ref) => checkRow(ref, { date: '2025-01-06' }))),
      EVALUATOR,
      'yorkshire-humber',
    );
    const { sent, capital } = await observedDeps();
    const deps = await services(api.env);
    const pseudonyms = [...known, uniqueRef('NEVER')].map((ref) =>
      deps.pseudonymiseParticipant('yorkshire-humber', ref.toUpperCase()),
    );

    const summaries = await capital.getSummaries('yorkshire-humber', pseudonyms);

    expect(summaries.map((s) => s.participant).sort()).toEqual(pseudonyms.slice(0, 230).sort());
    expect(sent.map((s) => s.keys)).toEqual([100, 100, 31]);
  });
});
