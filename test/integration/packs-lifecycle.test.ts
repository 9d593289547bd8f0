import { createHash, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { packBuilder } from '../../functions/pack-builder/builder';
import { packPipeline } from '../../functions/pack-builder/pipeline';
import type { LedgerEntry } from '../../functions/packs/ledger';
import { PackBuildRefusedError } from '../../functions/packs/lifecycle';
import type { Pack } from '../../functions/packs/pack-model';
import { packServices } from '../../functions/packs/pack-services';
import { client } from '../support/client';
import {
  buildBody,
  buildDraft,
  EVALUATOR_A,
  EVALUATOR_B,
  policyBody,
  recordingPipeline,
  startPacksApi,
  stubPackPipeline,
  testClock,
  waitForBuild,
} from '../support/packs';

const clock = testClock(new Date('2026-03-02T08:00:00Z'));
const pipeline = recordingPipeline();
const api = await startPacksApi({ clock, pipeline: pipeline.wrap });
const http = client(api);
const deps = await packServices();
const realPipeline = packPipeline(deps);
afterAll(() => api.stop());

const WITHDRAWAL_REASON = 'A table double counted the London referrals.';
const MARKET = { role: 'market' as const, user: 'bidder-1' };
const ADMIN = { role: 'admin' as const, user: 'admin-1' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const minutesFromNow = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();
const auditOf = async (subjectId: string) =>
  (await api.scan('AUDIT_TABLE')).filter((event) => event.subjectId === subjectId);

async function approved(body = buildBody()): Promise<string> {
  const id = await buildDraft(http, body);
  const answer = await http.request('POST', `/packs/${id}/approve`, { as: EVALUATOR_B });
  if (answer.status !== 200) throw new Error(`Could not approve: ${answer.status}`);
  return id;
}

describe('a learning pack from build to withdrawal', () => {
  it('builds in the background, is approved by a second evaluator, released at its time, downloaded and withdrawn', async () => {
    // Build: 202 at once, then the builder function moves it to draft.
    const key = { 'idempotency-key': `build-${randomUUID()}` };
    const builds = pipeline.calls.length;
    const started = await http.request('POST', '/packs', {
      as: EVALUATOR_A,
      body: buildBody(),
      headers: key,
    });
    expect(started).toMatchObject({ status: 202, body: { status: 'building' } });
    const id = started.body.id as string;
    const draft = await waitForBuild(http, id);
    // A replay with the same Idempotency-Key answers the same pack and starts no second build.
    const replay = await http.request('POST', '/packs', { as: EVALUATOR_A, body: buildBody(), headers: key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(id);
    expect(pipeline.calls.length).toBe(builds + 1);
    expect(draft).toMatchObject({
      status: 'draft',
      version: 1,
      policyVersion: 1,
      disclosure: { passed: true },
    });
    expect(draft.builder).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(draft.builder).not.toContain('pack-builder-a');
    expect(draft.report).toMatchObject({ policyVersion: 1, audit: { passed: true } });

    // Preview: the draft files themselves; the JSON's SHA-256 is the pack's content hash.
    const json = await http.request('GET', `/packs/${id}/preview?format=json`, { as: EVALUATOR_B });
    expect(json.status).toBe(200);
    expect(sha256(json.bytes)).toBe(draft.sha256);
    const csv = await http.request('GET', `/packs/${id}/preview?format=csv`, { as: EVALUATOR_B });
    expect(csv.headers.get('content-type')).toBe('application/zip');
    expect(sha256(csv.bytes)).toBe((draft.files as { csv: { sha256: string } }).csv.sha256);
    const html = await http.request('GET', `/packs/${id}/preview?format=html`, { as: EVALUATOR_B });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('cache-control')).toBe('no-store');

    // Four eyes: the builder cannot approve; another evaluator can.
    const byBuilder = await http.request('POST', `/packs/${id}/approve`, { as: EVALUATOR_A });
    expect(byBuilder.status).toBe(403);
    expect(byBuilder.body.detail).toMatch(/Four eyes/);
    const approval = await http.request('POST', `/packs/${id}/approve`, { as: EVALUATOR_B });
    expect(approval).toMatchObject({ status: 200, body: { status: 'approved' } });
    expect(approval.body.approver).not.toBe(draft.builder);

    // Publish: the release is announced at least 15 minutes ahead.
    const tooSoon = await http.request('POST', `/packs/${id}/publish`, {
      as: EVALUATOR_B,
      body: { releaseAt: minutesFromNow(5) },
    });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.errors).toEqual([expect.objectContaining({ pointer: '/body/releaseAt' })]);
    const releaseAt = minutesFromNow(90);
    const published = await http.request('POST', `/packs/${id}/publish`, {
      as: EVALUATOR_B,
      body: { releaseAt },
    });
    expect(published).toMatchObject({ status: 200, body: { status: 'published', releaseAt } });

    // Before the release time no market user sees it; evaluators do.
    const before = await http.request('GET', '/published-packs', { as: MARKET });
    expect((before.body.packs as { id: string }[]).map((p) => p.id)).not.toContain(id);
    const hidden = await http.request('GET', `/published-packs/${id}/download?format=json`, { as: MARKET });
    expect(hidden.status).toBe(404);
    const evaluatorList = await http.request('GET', '/published-packs', { as: EVALUATOR_A });
    expect((evaluatorList.body.packs as { id: string }[]).map((p) => p.id)).toContain(id);

    // From the release time every market user sees it, with its hash.
    clock.advanceMinutes(90);
    const after = await http.request('GET', '/published-packs', { as: { ...MARKET, user: 'bidder-2' } });
    expect(after.body.packs).toContainEqual(
      expect.objectContaining({ id, version: 1, publishedAt: releaseAt, sha256: draft.sha256 }),
    );

    // Download: a 302 to a presigned URL that expires within 5 minutes, and the file is the published one.
    const download = await http.request('GET', `/published-packs/${id}/download?format=json`, { as: MARKET });
    expect(download.status).toBe(302);
    const location = new URL(download.headers.get('location') ?? '');
    expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(location.pathname).toContain(`/published/${id}/v1/pack.json`);
    const file = new Uint8Array(await (await fetch(location)).arrayBuffer());
    expect(sha256(file)).toBe(draft.sha256);
    const downloads = (await auditOf(id)).filter((e) => e.action === 'learning-pack.download.json');
    expect(downloads).toHaveLength(1);
    expect(downloads[0]?.actor).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(downloads[0]?.actor).not.toContain('bidder');

    // Withdraw: kept on record and listed as withdrawn; no longer downloadable.
    const withdrawn = await http.request('POST', `/packs/${id}/withdraw`, {
      as: EVALUATOR_A,
      body: { reason: WITHDRAWAL_REASON },
    });
    expect(withdrawn).toMatchObject({ status: 200, body: { status: 'withdrawn' } });
    const listed = await http.request('GET', '/published-packs', { as: MARKET });
    const entry = (listed.body.packs as { id: string; withdrawn?: { reason: string } }[]).find(
      (p) => p.id === id,
    );
    expect(entry?.withdrawn?.reason).toBe(WITHDRAWAL_REASON);
    expect(
      (await http.request('GET', `/published-packs/${id}/download?format=html`, { as: MARKET })).status,
    ).toBe(409);

    // Each step has its audit event.
    const actions = (await auditOf(id)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'learning-pack.build',
        'learning-pack.built',
        'learning-pack.approve',
        'learning-pack.publish',
        'learning-pack.withdraw',
      ]),
    );
  });

  it('counts a pack in the ledger once it is published, with the exact figures kept out of its record and files, and hands the ledger to later builds', async () => {
    const id = await approved(buildBody({ sites: ['yorkshire-humber'] }));
    const ledgerItem = async () =>
      (await api.scan('RECORDS_TABLE')).find((item) => item.pk === 'PACK-LEDGER' && item.sk === id);
    // The build stored its entry privately; it does not count until the pack is published.
    expect(await ledgerItem()).toMatchObject({ entry: { pack: id } });
    expect((await ledgerItem())?.publishedAt).toBeUndefined();
    const unpublished = await buildDraft(http);
    expect(pipeline.calls.at(-1)?.ledger.map((e) => e.pack)).not.toContain(id);

    await http.request('POST', `/packs/${id}/publish`, {
      as: EVALUATOR_B,
      body: { releaseAt: minutesFromNow(30) },
    });
    const item = await ledgerItem();
    expect(item?.publishedAt).toEqual(expect.any(String));
    const entry = item?.entry as LedgerEntry;
    // Every figure is what the published JSON shows for that ref; the exact figure is only here.
    const json = await http.request('GET', `/packs/${id}/preview?format=json`, { as: EVALUATOR_B });
    const shown = new Map<string, unknown>();
    for (const section of (json.body as Pack).sections)
      for (const table of section.tables)
        for (const row of table.cells) for (const cell of row) if (cell.ref) shown.set(cell.ref, cell.value);
    expect(entry.figures.length).toBe(shown.size);
    for (const figure of entry.figures) expect(figure.value).toBe(shown.get(figure.ref));
    expect(entry.figures.some((figure) => figure.exact !== undefined)).toBe(true);
    expect(new TextDecoder().decode(json.bytes)).not.toContain('"exact"');
    const record = await http.request('GET', `/packs/${id}`, { as: EVALUATOR_A });
    expect(JSON.stringify(record.body)).not.toContain('"exact"');

    await buildDraft(http);
    const handed = pipeline.calls.at(-1)?.ledger ?? [];
    expect(handed.find((e) => e.pack === id)).toEqual(entry);
    expect(handed.map((e) => e.pack)).not.toContain(unpublished);
  });

  it('publishes a corrected pack as the next version of its series, saying what changed', async () => {
    const series = `series-${randomUUID().slice(0, 8)}`;
    const first = await approved(buildBody({ series }));
    await http.request('POST', `/packs/${first}/publish`, {
      as: EVALUATOR_B,
      body: { releaseAt: minutesFromNow(20) },
    });

    const silent = await http.request('POST', '/packs', { as: EVALUATOR_A, body: buildBody({ series }) });
    expect(silent.status).toBe(400);
    expect(silent.body.errors).toEqual([expect.objectContaining({ pointer: '/body/changes' })]);

    const second = await approved(buildBody({ series, changes: 'London referrals corrected.' }));
    const answer = await http.request('POST', `/packs/${second}/publish`, {
      as: EVALUATOR_B,
      body: { releaseAt: minutesFromNow(20) },
    });
    expect(answer).toMatchObject({
      status: 200,
      body: { version: 2, changes: 'London referrals corrected.' },
    });
    clock.advanceMinutes(20);
    const listed = await http.request('GET', '/published-packs', { as: MARKET });
    const versions = (listed.body.packs as { series: string; version: number }[])
      .filter((p) => p.series === series)
      .map((p) => p.version);
    expect(versions.sort()).toEqual([1, 2]);
  });

  it('refuses to publish a pack twice or before approval', async () => {
    const draft = await buildDraft(http);
    const early = await http.request('POST', `/packs/${draft}/publish`, {
      as: EVALUATOR_B,
      body: { releaseAt: minutesFromNow(30) },
    });
    expect(early.status).toBe(409);
    const id = await approved();
    const once = await http.request('POST', `/packs/${id}/publish`, {
      as: EVALUATOR_B,
      body: { releaseAt: minutesFromNow(30) },
    });
    expect(once.status).toBe(200);
    const twice = await http.request('POST', `/packs/${id}/publish`, {
      as: EVALUATOR_B,
      body: { releaseAt: minutesFromNow(30) },
    });
    expect(twice.status).toBe(409);
  });

  it('answers 404 for a pack that does not exist and 400 for an id that is not one', async () => {
    expect((await http.request('GET', `/packs/${randomUUID()}`, { as: EVALUATOR_A })).status).toBe(404);
    expect((await http.request('GET', '/packs/not-an-id', { as: EVALUATOR_A })).status).toBe(400);
  });

  it('refuses a period in the future or ending before it starts', async () => {
    const future = await http.request('POST', '/packs', {
      as: EVALUATOR_A,
      body: buildBody({ to: '2027-01-01' }),
    });
    expect(future.status).toBe(400);
    const backwards = await http.request('POST', '/packs', {
      as: EVALUATOR_A,
      body: buildBody({ from: '2025-04-01', to: '2025-03-01' }),
    });
    expect(backwards.body.errors).toEqual([expect.objectContaining({ pointer: '/body/to' })]);
  });
});

describe('the disclosure policy', () => {
  it('starts at version 1, takes a new version from an admin with its audit event, and keeps the history', async () => {
    const initial = await http.request('GET', '/disclosure-policy', { as: EVALUATOR_A });
    expect(initial.body.current).toMatchObject({ version: 1, minPeople: 10, roundTo: 5 });

    const refused = await http.request('PUT', '/disclosure-policy', {
      as: ADMIN,
      body: { threshold: 11, roundingBase: 5, minimumRateBase: 10, minimumStaffRespondents: 5 },
    });
    expect(refused.status).toBe(400);
    const set = await http.request('PUT', '/disclosure-policy', { as: ADMIN, body: policyBody(11) });
    expect(set).toMatchObject({ status: 201, body: { version: 2, minPeople: 11 } });
    const after = await http.request('GET', '/disclosure-policy', { as: ADMIN });
    expect((after.body.history as { version: number }[]).map((p) => p.version)).toEqual([1, 2]);
    expect(await auditOf('v2')).toEqual([expect.objectContaining({ action: 'disclosure-policy.set' })]);
  });

  it('builds a new version of a published series under the policy version the series started with', async () => {
    const series = `kept-${randomUUID().slice(0, 8)}`;
    const first = await approved(buildBody({ series }));
    await http.request('POST', `/packs/${first}/publish`, {
      as: EVALUATOR_B,
      body: { releaseAt: minutesFromNow(30) },
    });
    const pack = async (id: string) => (await http.request('GET', `/packs/${id}`, { as: EVALUATOR_A })).body;
    const started = (await pack(first)).policyVersion as number;
    const changed = await http.request('PUT', '/disclosure-policy', { as: ADMIN, body: policyBody(12) });
    expect(changed.body.version).toBe(started + 1);

    const corrected = await buildDraft(http, buildBody({ series, changes: 'A figure corrected.' }));
    const fresh = await buildDraft(http, buildBody());

    expect((await pack(corrected)).policyVersion).toBe(started);
    expect(pipeline.calls.find((call) => call.id === corrected)?.policy.minPeople).not.toBe(12);
    expect((await pack(fresh)).policyVersion).toBe(started + 1);
  });
});

describe('the pack builder', () => {
  /** A pack record still building, written straight to the store, for running the builder by hand. */
  const createBuilding = async (): Promise<string> => {
    const id = randomUUID();
    const at = new Date().toISOString();
    await deps.packs.createPack(
      {
        id,
        series: id,
        version: 1,
        title: 'A pack built by hand',
        period: { from: '2025-01-01', to: '2025-01-31' },
        sites: ['london'],
        status: 'building',
        builder: 'evaluator-pseudonym',
        requestedAt: at,
      },
      {
        id: randomUUID(),
        at,
        actor: 'evaluator-pseudonym',
        action: 'learning-pack.build',
        subjectType: 'learning-pack',
        subjectId: id,
      },
    );
    return id;
  };

  it('records a refusal of the pipeline as the failure reason', async () => {
    const failing = await startPacksApi({
      pipeline: () =>
        stubPackPipeline({ failWith: new PackBuildRefusedError('The period holds no evidence.') }).build,
    });
    try {
      const failingHttp = client(failing);
      const answer = await failingHttp.request('POST', '/packs', { as: EVALUATOR_A, body: buildBody() });
      const built = await waitForBuild(failingHttp, answer.body.id as string);
      expect(built).toMatchObject({ status: 'failed', failure: 'The period holds no evidence.' });
      const preview = await failingHttp.request(
        'GET',
        `/packs/${answer.body.id as string}/preview?format=json`,
        {
          as: EVALUATOR_B,
        },
      );
      expect(preview.status).toBe(409);
    } finally {
      await failing.stop();
    }
  });

  it('stops at its deadline without writing any file, and says so', async () => {
    const id = await createBuilding();
    const slow = stubPackPipeline({ delayMs: 3000 });

    // 5.5 s left, 3 s of it kept for writing: the 3 s pipeline overruns its 2.5 s budget.
    const outcome = await packBuilder(deps, slow.build)(
      { packId: id },
      { getRemainingTimeInMillis: () => 5500 },
    );

    expect(outcome).toEqual({ packId: id, status: 'failed' });
    const record = await deps.packs.getPack(id);
    expect(record?.status).toBe('failed');
    expect(record?.failure).toMatch(/did not finish/);
    expect(await deps.packFiles.readDraft(id, 'json')).toBeUndefined();
  });

  it('refuses to start with too little time left', async () => {
    const id = await createBuilding();
    const outcome = await packBuilder(deps, realPipeline)(
      { packId: id },
      { getRemainingTimeInMillis: () => 4000 },
    );
    expect(outcome.status).toBe('failed');
    expect((await deps.packs.getPack(id))?.failure).toMatch(/too little time/);
  });

  it('does nothing when invoked again for a pack already built (a retried invocation)', async () => {
    const id = await buildDraft(http);
    const before = await deps.packs.getPack(id);
    const outcome = await packBuilder(deps, realPipeline)(
      { packId: id },
      { getRemainingTimeInMillis: () => 60_000 },
    );
    expect(outcome.status).toBe('skipped');
    expect(await deps.packs.getPack(id)).toEqual(before);
  });

  it('keeps a draft that failed its disclosure audit from being approved', async () => {
    const unsafe = await startPacksApi({ pipeline: () => stubPackPipeline({ auditPassed: false }).build });
    try {
      const unsafeHttp = client(unsafe);
      const answer = await unsafeHttp.request('POST', '/packs', { as: EVALUATOR_A, body: buildBody() });
      const built = await waitForBuild(unsafeHttp, answer.body.id as string);
      expect(built).toMatchObject({ status: 'draft', disclosure: { passed: false, failures: 1 } });
      const approval = await unsafeHttp.request('POST', `/packs/${answer.body.id as string}/approve`, {
        as: EVALUATOR_B,
      });
      expect(approval.status).toBe(409);
    } finally {
      await unsafe.stop();
    }
  });
});
