import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { readPackEvidence } from '../../functions/packs/evidence-store';
import { canonicalParticipantRef } from '../../functions/participants/participants';
import { addDays, ukDate } from '../../shared/domain/iso-week';
import type { SiteId } from '../../shared/domain/sites';
import { services } from '../../local/services';
import { capitalBody, uniqueRef } from '../support/capital';
import { client } from '../support/client';
import { csvOf } from '../support/csv';
import { startTestApi } from '../support/environment';
import { importAndWait } from '../support/imports';

const api = await startTestApi();
const http = client(api);
const deps = await services(api.env);
afterAll(() => api.stop());

const SITE: SiteId = 'london';
const PROVIDER = { role: 'provider' as const, site: SITE, user: 'worker' };
const today = () => ukDate(new Date());
const pseudonymOf = (ref: string) => deps.pseudonymiseParticipant(SITE, canonicalParticipantRef(ref));

const assess = (body: unknown) =>
  http.request('POST', `/sites/${SITE}/capital-assessments`, { as: PROVIDER, body });

/** Every item of the records table that is about one participant. */
const itemsOf = async (pseudonym: string) =>
  (await api.scan('RECORDS_TABLE')).filter(
    (i) => String(i.sk).includes(pseudonym) && /^(CAPITAL|FOLLOWUP)#/.test(String(i.pk)),
  );

/**
 * Moves a participant's items from its shard to the site's one key, as the store wrote them before
 * a site's records were spread over shards.
 */
async function recordedBeforeSharding(pseudonym: string): Promise<void> {
  for (const item of await itemsOf(pseudonym)) {
    const table = api.env.RECORDS_TABLE;
    await api.db.send(
      new PutCommand({ TableName: table, Item: { ...item, pk: String(item.pk).replace(/#\d+$/, '') } }),
    );
    await api.db.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } }));
  }
}

/** A participant with a baseline 80 days ago (due a follow-up), moved under the key from before sharding. */
async function oldParticipant(): Promise<{ ref: string; pseudonym: string }> {
  const ref = uniqueRef('OLD');
  expect((await assess(capitalBody(ref, { date: addDays(today(), -80), score: 2 }))).status).toBe(201);
  const pseudonym = pseudonymOf(ref);
  await recordedBeforeSharding(pseudonym);
  expect((await itemsOf(pseudonym)).map((i) => i.pk).sort()).toEqual([
    `CAPITAL#${SITE}`,
    `CAPITAL#${SITE}`,
    `FOLLOWUP#${SITE}`,
  ]);
  return { ref, pseudonym };
}

describe("a site's capital records spread over shards", () => {
  it("puts a new participant's items under one shard of the site", async () => {
    const ref = uniqueRef('NEW');
    expect((await assess(capitalBody(ref, { date: addDays(today(), -80) }))).status).toBe(201);

    const keys = new Set((await itemsOf(pseudonymOf(ref))).map((i) => String(i.pk).replace(/^\w+#/, '')));

    expect([...keys]).toHaveLength(1);
    expect([...keys][0]).toMatch(new RegExp(`^${SITE}#[0-3]$`));
  });

  it('lists, updates and follows up a participant recorded before sharding where it is, never copying it to a shard', async () => {
    const { ref, pseudonym } = await oldParticipant();

    const due = await http.request('GET', `/sites/${SITE}/follow-ups?limit=500`, { as: PROVIDER });
    const followUp = await assess(capitalBody(ref, { kind: 'follow-up', date: today(), score: 4 }));

    const listed = (due.body.participants as { reference?: string; status: string }[]).find(
      (p) => p.reference === ref,
    );
    expect(listed?.status).toBe('due');
    expect(followUp.status).toBe(201);
    const items = await itemsOf(pseudonym);
    expect(items.every((i) => !/#\d+$/.test(String(i.pk)))).toBe(true);
    const summary = items.find((i) => i.recordType === 'capital-summary');
    expect(summary).toMatchObject({ pk: `CAPITAL#${SITE}`, version: 2, lastCheck: { kind: 'follow-up' } });
    expect(summary?.distanceTravelled).toBeDefined();
    expect(items.filter((i) => i.recordType === 'capital-check')).toHaveLength(2);
    // The follow-up entry moved to the new deadline under the same old key, the old one removed.
    const entries = items.filter((i) => i.recordType === 'follow-up');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ pk: `FOLLOWUP#${SITE}`, dueFrom: expect.any(String) as string });
  });

  it('applies an imported follow-up to a participant recorded before sharding, in place', async () => {
    const { ref, pseudonym } = await oldParticipant();
    const { questionnaireVersion: _version, ...row } = capitalBody(ref, {
      kind: 'follow-up',
      date: today(),
      score: 5,
      ageBand: null,
    });

    const answer = await importAndWait(
      http,
      { stream: 'capital-checks', site: SITE, csv: csvOf([row]) },
      PROVIDER,
    );

    expect(answer.body.state).toBe('committed');
    const items = await itemsOf(pseudonym);
    expect(items.every((i) => !/#\d+$/.test(String(i.pk)))).toBe(true);
    expect(items.find((i) => i.recordType === 'capital-summary')).toMatchObject({
      version: 2,
      lastCheck: { kind: 'follow-up' },
    });
  });

  it('counts the checks of old and new participants alike in a learning pack', async () => {
    const { pseudonym: old } = await oldParticipant();
    const fresh = uniqueRef('NEW');
    expect((await assess(capitalBody(fresh, { date: addDays(today(), -80) }))).status).toBe(201);

    const evidence = await readPackEvidence(api.db, deps.tables, {
      sites: [SITE],
      from: addDays(today(), -81),
      to: today(),
    });

    const participants = new Set(evidence.checks.map((c) => c.participant));
    expect(participants.has(old)).toBe(true);
    expect(participants.has(pseudonymOf(fresh))).toBe(true);
  });

  it('erases a participant recorded before sharding, leaving nothing under either key', async () => {
    const { ref, pseudonym } = await oldParticipant();

    const answer = await http.request('DELETE', `/sites/${SITE}/participants/${ref}`, { as: PROVIDER });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ erased: { checks: 1, summaries: 1 } });
    expect(await itemsOf(pseudonym)).toEqual([]);
    expect(JSON.stringify(await api.scan('RECORDS_TABLE'))).not.toContain(pseudonym);
  });
});
