import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { ABANDONED_DETAIL, failedImportsReader } from '../../functions/import-worker/worker';
import { DynamoCapitalStore } from '../../functions/participants/participant-store';
import { CommittedRows } from '../../shared/adapters/import-visibility';
import { services } from '../../local/services';
import { capitalBody, uniqueRef } from '../support/capital';
import { client } from '../support/client';
import { csvOf } from '../support/csv';
import { engagementFigures } from '../support/engagement';
import { startTestApi } from '../support/environment';
import { createTheme, EVALUATOR } from '../support/findings';
import { contextWithDeadline, freshClient, importAndWait, siteItems, workerOver } from '../support/imports';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const PROVIDER = { role: 'provider' as const, site: 'london' as const, user: 'importer' };

/** A capital check row: the route's body without the questionnaire version, which the import sets. */
const checkRow = (...args: Parameters<typeof capitalBody>) => {
  const { questionnaireVersion: _version, ...row } = capitalBody(...args);
  return row;
};

/** Starts an import job and waits for it to finish: the last `GET /imports/{id}`, or the refused POST. */
const importFile = (
  stream: 'capital-checks' | 'engagement-returns' | 'interview-findings',
  csv: string,
  as: typeof PROVIDER | typeof EVALUATOR = PROVIDER,
  site: 'london' | 'north-east' | 'yorkshire-humber' = 'london',
) => importAndWait(http, { stream, site, csv }, as);

/** Every item of a site's partition of the records table (every shard of it), in key order. */
const records = (pk: string) => siteItems(api.db, api.env.RECORDS_TABLE ?? '', pk);

describe('import jobs: capital checks', () => {
  it('imports baselines and follow-ups together, deriving the distance travelled', async () => {
    const [a, b] = [uniqueRef('IMP'), uniqueRef('IMP')];
    const csv = csvOf([
      checkRow(a, { kind: 'follow-up', date: '2025-04-07', score: 4, ageBand: null }),
      checkRow(a, { date: '2025-01-06', score: 2 }),
      checkRow(b, { date: '2025-01-08', score: 3 }),
    ]);

    const answer = await importFile('capital-checks', csv);
    const followUps = await http.request('GET', '/sites/london/follow-ups', { as: PROVIDER });

    expect(answer.body.state).toBe('committed');
    expect(answer.body).toMatchObject({ stream: 'capital-checks', site: 'london', rows: 3 });
    const summaries = (await records('CAPITAL#london')).filter((i) => i.recordType === 'capital-summary');
    const followedUp = summaries.find((s) => (s.lastCheck as { kind: string }).kind === 'follow-up');
    expect(followedUp?.distanceTravelled).toMatchObject({ strengths: { housingStability: 2 } });
    expect(followUps.status).toBe(200);
  });

  it('refuses the whole file when one row is bad, naming the line and column, and writes nothing', async () => {
    const records = () =>
      api.scan('RECORDS_TABLE').then((items) => items.filter((i) => i.recordType !== 'import-job'));
    const before = await records();
    const csv = csvOf([
      checkRow(uniqueRef('IMP')),
      { ...checkRow(uniqueRef('IMP')), strengths: { ...checkRow('x').strengths, finance: 9 } },
      checkRow(uniqueRef('IMP')),
    ]);

    const answer = await importFile('capital-checks', csv);

    expect(answer.body.state).toBe('refused');
    expect(answer.body.errors).toEqual([
      { pointer: '/body/csv/3/strengths.finance', detail: expect.any(String) as string },
    ]);
    expect(await records()).toHaveLength(before.length);
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

    expect(answer.body.state).toBe('refused');
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
    expect(answer.body.state).toBe('refused');
    expect(answer.body.errors).toEqual([
      { pointer: '/body/csv/1/favouriteColour', detail: 'is not a column of this stream' },
      { pointer: '/body/csv/1', detail: 'needs the column date' },
    ]);
  });

  it('refuses a file that is not valid CSV at the line where it breaks', async () => {
    const answer = await importFile('capital-checks', 'participantRef,kind\nA,"baseline\nB,baseline');
    expect(answer.body.state).toBe('refused');
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

    expect(onKnown.body.state).toBe('refused');
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

  it('imports a 2,500-row file in one job', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) =>
      checkRow(`BULK-${String(i).padStart(5, '0')}`, { score: (i % 5) + 1 }),
    );
    const answer = await importFile('capital-checks', csvOf(rows));
    expect(answer.body).toMatchObject({ rows: 2_500 });
    expect(answer.body.state).toBe('committed');
    const checks = (await records('CAPITAL#london')).filter((i) => String(i.sk).startsWith('CHECK#'));
    expect(checks.length).toBeGreaterThanOrEqual(2_500);
  }, 120_000);
});

describe('import jobs: engagement returns', () => {
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

    expect(answer.body.state).toBe('committed');
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
    expect(answer.body.state).toBe('refused');
    const pointers = (answer.body.errors as { pointer: string }[]).map((e) => e.pointer);
    expect(pointers).toContain('/body/csv/3/month');
    expect(pointers.some((p) => p.startsWith('/body/csv/4/sessions.'))).toBe(true);
  });
});

describe('import jobs: interview findings', () => {
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

    expect(answer.body.state).toBe('committed');
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
    expect(answer.body.state).toBe('refused');
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
    expect(answer.body.state).toBe('refused');
    expect(answer.body.errors).toEqual([
      { pointer: '/body/csv', detail: 'has 501 rows; one import of interview findings takes at most 500' },
    ]);
  });

  it('is for evaluators only: a provider cannot import interview findings', async () => {
    const answer = await importFile('interview-findings', 'area\n4.5');
    expect(answer.status).toBe(403);
  });
});

const ANYONE = { actor: 'someone', roles: ['evaluator' as const], site: undefined };
const wideRange = { dueByFrom: '2000-01-01', dueByTo: '2999-12-31', limit: 1000 };
const byParticipant = (a: { participant: string }, b: { participant: string }) =>
  a.participant.localeCompare(b.participant);
/** A client whose worker run is aborted once `count` batches of writes have landed. */
function killedAfterBatches(count: number) {
  const db = freshClient(api.env);
  const kill = new AbortController();
  let batches = 0;
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'BatchWriteItemCommand' && ++batches === count) kill.abort();
      return result;
    },
    { step: 'initialize', name: 'killAfterBatches' },
  );
  return { db, kill };
}
const stagedBy = (id: string) =>
  api
    .scan('RECORDS_TABLE')
    .then((items) => items.filter((i) => i.importJob === id || i.supersededByImport === id));

describe('a job staged, then committed with one item', () => {
  it('shows nothing of a file while a worker killed mid-write left it staged; a second run commits it once', async () => {
    const earlier = Array.from({ length: 30 }, () => uniqueRef('KILL'));
    await importFile(
      'capital-checks',
      csvOf(earlier.map((ref) => checkRow(ref, { date: '2025-01-06' }))),
      EVALUATOR,
      'north-east',
    );
    const reader = new DynamoCapitalStore(api.db, {
      records: api.env.RECORDS_TABLE ?? '',
      audit: api.env.AUDIT_TABLE ?? '',
    });
    const summariesBefore = (await reader.listSummaries('north-east')).sort(byParticipant);
    const followUpsBefore = await reader.listFollowUpEntries('north-east', wideRange);
    // Killed after the third batch landed, as a Lambda timeout or crash would stop it.
    const { db, kill } = killedAfterBatches(3);
    const worker = await workerOver(api.env, db);
    const csv = csvOf([
      ...earlier.map((ref) => checkRow(ref, { kind: 'follow-up', date: '2025-04-07', ageBand: null })),
      ...Array.from({ length: 200 }, () => checkRow(uniqueRef('KILL'))),
    ]);
    const id = await worker.start(ANYONE, { stream: 'capital-checks', site: 'north-east', csv });

    await expect(worker.run({ importId: id }, contextWithDeadline(60_000), kill.signal)).rejects.toThrow();

    expect((await worker.deps.jobs.get(id))?.state).toBe('writing');
    expect((await stagedBy(id)).length).toBeGreaterThanOrEqual(75);
    expect((await reader.listSummaries('north-east')).sort(byParticipant)).toEqual(summariesBefore);
    expect(await reader.listFollowUpEntries('north-east', wideRange)).toEqual(followUpsBefore);

    const second = await worker.run({ importId: id }, contextWithDeadline(60_000));
    const afterSecond = await api.scan('RECORDS_TABLE');
    const third = await worker.run({ importId: id }, contextWithDeadline(60_000));

    expect(second).toEqual({ importId: id, state: 'committed' });
    expect(third).toEqual({ importId: id, state: 'committed' });
    const summaries = await reader.listSummaries('north-east');
    expect(summaries).toHaveLength(230);
    expect(summaries.filter((s) => s.lastCheck.kind === 'follow-up')).toHaveLength(30);
    // The moved follow-up entries are gone, not merely hidden, and nothing was written twice.
    expect(afterSecond.filter((i) => i.supersededByImport === id)).toEqual([]);
    expect(await api.scan('RECORDS_TABLE')).toEqual(afterSecond);
    const events = (await api.scan('AUDIT_TABLE')).filter((e) => e.subjectId === id);
    expect(events).toEqual([
      expect.objectContaining({ action: 'import.capital-checks', subjectType: 'import' }),
    ]);
  }, 120_000);

  it('fails a job whose write breaks part-way, and puts back every record it replaced', async () => {
    const earlier = Array.from({ length: 40 }, () => uniqueRef('UNDO'));
    await importFile(
      'capital-checks',
      csvOf(earlier.map((ref) => checkRow(ref, { date: '2025-01-06' }))),
      EVALUATOR,
      'yorkshire-humber',
    );
    const before = await records('CAPITAL#yorkshire-humber');
    const followUpsBefore = await records('FOLLOWUP#yorkshire-humber');
    const db = freshClient(api.env);
    let batches = 0;
    db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand' && ++batches === 5) {
          throw Object.assign(new Error('The service is unavailable.'), { name: 'ServiceUnavailable' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failFifthBatch' },
    );
    const worker = await workerOver(api.env, db);
    const csv = csvOf([
      ...earlier.map((ref) => checkRow(ref, { kind: 'follow-up', date: '2025-04-07', ageBand: null })),
      ...Array.from({ length: 300 }, () => checkRow(uniqueRef('UNDO'))),
    ]);
    const id = await worker.start(ANYONE, { stream: 'capital-checks', site: 'yorkshire-humber', csv });

    await expect(worker.run({ importId: id }, contextWithDeadline(60_000))).rejects.toThrow('unavailable');

    expect(await worker.deps.jobs.get(id)).toMatchObject({ state: 'failed', staged: false });
    // As they were, but for the id of the (committed) job that first wrote them, which a rollback drops.
    const withoutJob = (items: Record<string, unknown>[]) =>
      items.map(({ importJob: _job, ...item }) => item);
    expect(withoutJob(await records('CAPITAL#yorkshire-humber'))).toEqual(withoutJob(before));
    expect(withoutJob(await records('FOLLOWUP#yorkshire-humber'))).toEqual(withoutJob(followUpsBefore));
  }, 120_000);

  it('cancels a job while it writes: the worker stops and deletes what it staged', async () => {
    // 100 write units a second: the 150 rows take several seconds, time to cancel.
    const worker = await workerOver(api.env, freshClient(api.env), 100);
    const csv = csvOf(Array.from({ length: 150 }, () => checkRow(uniqueRef('CANCEL'))));
    const id = await worker.start(ANYONE, { stream: 'capital-checks', site: 'london', csv });
    const running = worker.run({ importId: id }, contextWithDeadline(60_000));
    while ((await worker.deps.jobs.get(id))?.state !== 'writing') await new Promise((r) => setTimeout(r, 20));

    const cancelled = await http.request('POST', `/imports/${id}/cancel`, { as: EVALUATOR });
    const outcome = await running;

    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, state: 'cancelled' });
    expect(outcome).toEqual({ importId: id, state: 'cancelled' });
    expect(await stagedBy(id)).toEqual([]);
    const again = await http.request('POST', `/imports/${id}/cancel`, { as: EVALUATOR });
    expect(again.status).toBe(409);
  }, 120_000);
});

describe('following an import job', () => {
  it('shows the starter and evaluators its progress and row report, and nobody else', async () => {
    const other = { role: 'provider' as const, site: 'london' as const, user: 'someone-else' };
    const refused = await importFile(
      'capital-checks',
      csvOf([checkRow(uniqueRef('SEE'), { date: '2099-01-01' })]),
    );
    const id = String(refused.body.id);

    const own = await http.request('GET', `/imports/${id}`, { as: PROVIDER });
    const evaluator = await http.request('GET', `/imports/${id}`, { as: EVALUATOR });
    const stranger = await http.request('GET', `/imports/${id}`, { as: other });

    expect(own.body).toMatchObject({ state: 'refused', rows: 1, validated: 0, written: 0 });
    expect(own.body.errors).toEqual([{ pointer: '/body/csv/2/date', detail: expect.any(String) as string }]);
    expect(evaluator.status).toBe(200);
    expect(stranger.status).toBe(404);
  });

  it('takes a file through a presigned PUT; the first look after the upload starts the job', async () => {
    const started = await http.request('POST', '/imports', {
      as: PROVIDER,
      body: { stream: 'capital-checks', site: 'london' },
    });
    const upload = started.body.upload as { url: string; headers: Record<string, string> };
    const waiting = await http.request('GET', `/imports/${String(started.body.id)}`, { as: PROVIDER });
    const put = await fetch(upload.url, {
      method: 'PUT',
      headers: upload.headers,
      body: csvOf([checkRow(uniqueRef('PUT')), checkRow(uniqueRef('PUT'))]),
    });
    let job = await http.request('GET', `/imports/${String(started.body.id)}`, { as: PROVIDER });
    while (!['committed', 'refused', 'failed'].includes(String(job.body.state))) {
      await new Promise((r) => setTimeout(r, 50));
      job = await http.request('GET', `/imports/${String(started.body.id)}`, { as: PROVIDER });
    }

    expect(started.status).toBe(202);
    expect(started.body.state).toBe('awaiting-upload');
    expect(waiting.body.state).toBe('awaiting-upload');
    expect(put.status).toBe(200);
    expect(job.body).toMatchObject({ state: 'committed', rows: 2, validated: 2, written: job.body.toWrite });
  }, 60_000);
});

describe('reading what is stored before an import', () => {
  /** A capital store whose DynamoDB client notes, for each command sent, its name and the keys it asked for. */
  function observedStore() {
    const db = freshClient(api.env);
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
    return { db, sent };
  }
  const summaryReads = (sent: { command: string; keys: number; input: string }[]) =>
    sent
      .filter((s) => s.command === 'BatchGetItemCommand' && s.input.includes('SUMMARY#'))
      .map((s) => s.keys);

  it('reads only the summaries of the participants the file names, by key, never the whole site', async () => {
    const existing = Array.from({ length: 150 }, () => uniqueRef('NAMED'));
    const seeded = await importFile(
      'capital-checks',
      csvOf(existing.map((ref) => checkRow(ref, { date: '2025-01-06', score: 2 }))),
      EVALUATOR,
      'yorkshire-humber',
    );
    expect(seeded.body.state).toBe('committed');
    const { db, sent } = observedStore();
    const worker = await workerOver(api.env, db);
    const [first, second] = existing as [string, string];
    const rows = [
      checkRow(first, { kind: 'follow-up', date: '2025-04-07', score: 4, ageBand: null }),
      checkRow(second, { kind: 'follow-up', date: '2025-04-07', score: 3, ageBand: null }),
      checkRow(uniqueRef('NAMED'), { date: '2025-02-03' }),
    ];
    const id = await worker.start(ANYONE, {
      stream: 'capital-checks',
      site: 'yorkshire-humber',
      csv: csvOf(rows),
    });

    const outcome = await worker.run({ importId: id }, contextWithDeadline(60_000));

    expect(outcome.state).toBe('committed');
    const queries = sent.filter((s) => s.command === 'QueryCommand');
    expect(queries.filter((s) => s.input.includes('CAPITAL#yorkshire-humber'))).toEqual([]);
    // Two keys a participant: its shard, and the key from before sharding.
    expect(summaryReads(sent)).toEqual([6]);
    // The follow-ups were applied to the stored baselines: they were found.
    const summaries = (await records('CAPITAL#yorkshire-humber')).filter(
      (i) => i.recordType === 'capital-summary' && (i.lastCheck as { kind: string }).kind === 'follow-up',
    );
    expect(summaries.map((s) => s.distanceTravelled)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ strengths: expect.objectContaining({ housingStability: 2 }) as object }),
      ]),
    );
  }, 60_000);

  it('reads more than 50 participants in batches of 100 keys (two each), and leaves out those never seen', async () => {
    const known = Array.from({ length: 230 }, () => uniqueRef('BATCH'));
    await importFile(
      'capital-checks',
      csvOf(known.map((ref) => checkRow(ref, { date: '2025-01-06' }))),
      EVALUATOR,
      'yorkshire-humber',
    );
    const { db, sent } = observedStore();
    const capital = new DynamoCapitalStore(db, {
      records: api.env.RECORDS_TABLE ?? '',
      audit: api.env.AUDIT_TABLE ?? '',
    });
    const deps = await services(api.env);
    const pseudonyms = [...known, uniqueRef('NEVER')].map((ref) =>
      deps.pseudonymiseParticipant('yorkshire-humber', ref.toUpperCase()),
    );

    const summaries = await capital.getSummaries('yorkshire-humber', pseudonyms);

    expect(summaries.map((s) => s.participant).sort()).toEqual(pseudonyms.slice(0, 230).sort());
    expect(summaryReads(sent)).toEqual([100, 100, 100, 100, 62]);
  }, 60_000);
});

describe('a job Lambda gave up on, read back from the on-failure queue', () => {
  /** An SQS event as the queue delivers Lambda's on-failure records (the event under `requestPayload`). */
  const queueEvent = (...bodies: string[]): SQSEvent => ({
    Records: bodies.map((body, i) => ({
      messageId: `m${i}`,
      body,
      eventSource: 'aws:sqs',
      receiptHandle: 'r',
      attributes: {} as SQSRecord['attributes'],
      messageAttributes: {},
      md5OfBody: '',
      eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:failed-imports',
      awsRegion: 'eu-west-2',
    })),
  });
  const onFailure = (importId: string) =>
    JSON.stringify({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { importId },
      responsePayload: { errorType: 'Runtime.OutOfMemory' },
    });

  it('marks a job left writing as failed and deletes what it staged; nothing was ever visible', async () => {
    const { db, kill } = killedAfterBatches(2);
    const worker = await workerOver(api.env, db);
    const rows = Array.from({ length: 100 }, () => checkRow(uniqueRef('GAVEUP')));
    const id = await worker.start(ANYONE, { stream: 'capital-checks', site: 'london', csv: csvOf(rows) });
    await expect(worker.run({ importId: id }, contextWithDeadline(60_000), kill.signal)).rejects.toThrow();
    expect((await worker.deps.jobs.get(id))?.state).toBe('writing');
    expect((await stagedBy(id)).length).toBeGreaterThan(0);
    const read = failedImportsReader(worker.deps);

    const answer = await read(queueEvent(onFailure(id), 'not json', JSON.stringify({ requestPayload: {} })));
    const again = await read(queueEvent(onFailure(id)));

    expect(answer).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(await worker.deps.jobs.get(id)).toMatchObject({
      state: 'failed',
      detail: ABANDONED_DETAIL,
      staged: false,
    });
    expect(await stagedBy(id)).toEqual([]);
    const job = await http.request('GET', `/imports/${id}`, { as: EVALUATOR });
    expect(job.body).toMatchObject({ state: 'failed', detail: ABANDONED_DETAIL });
  }, 60_000);

  it('leaves a committed job as it is', async () => {
    const answer = await importFile('capital-checks', csvOf([checkRow(uniqueRef('GAVEUP'))]));
    const id = String(answer.body.id);
    const worker = await workerOver(api.env, freshClient(api.env));

    expect(await failedImportsReader(worker.deps)(queueEvent(onFailure(id)))).toEqual({
      batchItemFailures: [],
    });

    expect((await worker.deps.jobs.get(id))?.state).toBe('committed');
  });

  it('leaves a message it cannot handle now on the queue, to come back', async () => {
    const db = freshClient(api.env);
    db.middlewareStack.add(
      () => () => Promise.reject(Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable' })),
      { step: 'initialize', name: 'down' },
    );
    const worker = await workerOver(api.env, db);

    const answer = await failedImportsReader(worker.deps)(queueEvent(onFailure(crypto.randomUUID())));

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
  });
});

describe('a check recorded for someone in the file while the import runs', () => {
  it('fails the import and keeps that check: the import never overwrites a summary it did not read', async () => {
    const ref = uniqueRef('RACE');
    const site = 'london';
    const assess = (body: unknown) =>
      http.request('POST', `/sites/${site}/capital-assessments`, { as: PROVIDER, body });
    expect((await assess(capitalBody(ref, { date: '2025-01-06', score: 2 }))).status).toBe(201);
    const db = freshClient(api.env);
    let landed: Promise<unknown> | undefined;
    db.middlewareStack.add(
      (next, context) => async (args) => {
        // The import has read the summaries and starts to write: a provider records a check now,
        // and every write of the import waits until it has landed.
        if (['BatchWriteItemCommand', 'TransactWriteItemsCommand'].includes(context.commandName ?? '')) {
          landed ??= assess(capitalBody(ref, { kind: 'follow-up', date: '2025-03-03', score: 5 }));
          expect(((await landed) as { status: number }).status).toBe(201);
        }
        return next(args);
      },
      { step: 'initialize', name: 'checkMeanwhile' },
    );
    const worker = await workerOver(api.env, db);
    const csv = csvOf([
      checkRow(ref, { kind: 'follow-up', date: '2025-04-07', score: 4, ageBand: null }),
      ...Array.from({ length: 40 }, () => checkRow(uniqueRef('RACE'))),
    ]);
    const id = await worker.start(ANYONE, { stream: 'capital-checks', site, csv });

    const outcome = await worker.run({ importId: id }, contextWithDeadline(60_000));

    expect(outcome.state).toBe('failed');
    expect((await worker.deps.jobs.get(id))?.detail).toMatch(/A check was recorded for someone in the file/);
    expect(await stagedBy(id)).toEqual([]);
    const pseudonym = (await services(api.env)).pseudonymiseParticipant(site, ref.toUpperCase());
    const summary = await worker.deps.capital.getSummary(site, pseudonym);
    // The provider's follow-up stands, on top of the baseline; the file's follow-up is not there.
    expect(summary).toMatchObject({ version: 2, lastCheck: { kind: 'follow-up', date: '2025-03-03' } });
  }, 60_000);
});

describe('a read that overlaps a commit', () => {
  it('shows none of an import to a read that began before the import committed, all of it to one begun after', async () => {
    const refs = Array.from({ length: 5 }, () => uniqueRef('OVERLAP'));
    const answer = await importFile('capital-checks', csvOf(refs.map((ref) => checkRow(ref))));
    const id = String(answer.body.id);
    const job = (await api.scan('RECORDS_TABLE')).find((i) => i.pk === `IMPORT#${id}`);
    const committedAt = Date.parse(String(job?.committedAt));
    const rows = (await records('CAPITAL#london')).filter((i) => i.importJob === id);
    const reader = new CommittedRows(api.db, api.env.RECORDS_TABLE ?? '');

    // A Query that began before the commit may have passed keys before every row was staged there.
    const begunBefore = await reader.filter(rows, committedAt - 1);
    const begunAfter = await reader.filter(rows, Date.now());

    expect(rows).toHaveLength(10);
    expect(begunBefore).toEqual([]);
    expect(begunAfter).toHaveLength(10);
  });
});

describe('a person erased while an import that names them runs', () => {
  it('fails the import: the erased person does not come back from what the import read before', async () => {
    const ref = uniqueRef('ERASED');
    const site = 'london';
    expect(
      (
        await http.request('POST', `/sites/${site}/capital-assessments`, {
          as: PROVIDER,
          body: capitalBody(ref, { date: '2025-01-06', score: 2 }),
        })
      ).status,
    ).toBe(201);
    const db = freshClient(api.env);
    let erased: Promise<{ status: number }> | undefined;
    db.middlewareStack.add(
      (next, context) => async (args) => {
        // The import has read the summaries; the person is erased before it writes anything.
        if (['BatchWriteItemCommand', 'TransactWriteItemsCommand'].includes(context.commandName ?? '')) {
          erased ??= http.request('DELETE', `/sites/${site}/participants/${ref}`, { as: PROVIDER });
          expect((await erased).status).toBe(200);
        }
        return next(args);
      },
      { step: 'initialize', name: 'eraseMeanwhile' },
    );
    const worker = await workerOver(api.env, db);
    const csv = csvOf([checkRow(ref, { kind: 'follow-up', date: '2025-04-07', score: 4, ageBand: null })]);
    const id = await worker.start(ANYONE, { stream: 'capital-checks', site, csv });

    const outcome = await worker.run({ importId: id }, contextWithDeadline(60_000));

    expect(outcome.state).toBe('failed');
    const pseudonym = (await services(api.env)).pseudonymiseParticipant(site, ref.toUpperCase());
    expect(JSON.stringify(await api.scan('RECORDS_TABLE'))).not.toContain(pseudonym);
  }, 60_000);
});
