/**
 * Loads the benchmark's NDJSON evidence into DynamoDB Local as the items each stream's store
 * writes (same partition and sort keys, same attributes), with batch writes, so the pack builder
 * reads it exactly as it reads real evidence. Only for `npm run bench:packs`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EvidenceStream } from '../functions/packs/compose';
import type {
  EvidenceBarrierReport,
  EvidenceCheck,
  EvidenceEngagementReturn,
  EvidenceFinding,
  EvidencePulse,
  EvidenceResource,
  PackTheme,
} from '../functions/packs/evidence';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/resources';
import { ndjsonPath, readNdjson, STREAMS } from './packs-data';

type Item = Record<string, unknown>;

/** A made-up id shaped like the generated ones (a UUID), from a counter. */
const idOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const WEEK_ONE = Date.parse('2024-12-30T00:00:00Z');

const itemOf: { [K in Exclude<EvidenceStream, 'findings'>]: (record: never, n: number) => Item } = {
  checks: (c: EvidenceCheck, n) => {
    const id = idOf(n);
    return {
      pk: `CAPITAL#${c.site}`,
      sk: `CHECK#${c.participant}#${c.date}#${id}`,
      recordType: 'capital-check',
      id,
      ...c,
      questionnaireVersion: 1,
      recordedAt: `${c.date}T10:00:00.000Z`,
    };
  },
  pulses: (p: EvidencePulse) => ({
    pk: `PULSE#${p.site}`,
    sk: `${p.monday}#${p.respondent}`,
    ...p,
    week: `2025-W${String(1 + Math.round((Date.parse(`${p.monday}T00:00:00Z`) - WEEK_ONE) / (7 * 86_400_000))).padStart(2, '0')}`,
    questionnaireVersion: 1,
    submittedAt: `${p.monday}T12:00:00.000Z`,
  }),
  barrierReports: (r: EvidenceBarrierReport, n) => {
    const id = idOf(n);
    return { pk: `BARRIER#${r.site}`, sk: `${r.submittedAt}#${id}`, id, ...r };
  },
  engagementReturns: (r: EvidenceEngagementReturn) => ({
    pk: `ENGAGEMENT#${r.site}`,
    sk: r.month,
    ...r,
    caseload: 10,
    submittedAt: `${r.month}-28T12:00:00.000Z`,
  }),
  resources: (r: EvidenceResource, n) => {
    const id = idOf(n);
    return {
      pk: `RESOURCE#${r.site}`,
      sk: id,
      id,
      organisationName: `Organisation ${n}`,
      ...r,
      linksMade: 1,
    };
  },
};

/** An interview item holding its findings (the file has them one per line, an interview's together). */
function interviewItem(findings: readonly EvidenceFinding[]): Item {
  const [first] = findings;
  if (!first) throw new Error('an interview without findings');
  return {
    pk: `INTERVIEW#${first.site}`,
    sk: first.interview,
    id: first.interview,
    site: first.site,
    respondentGroup: first.respondentGroup,
    method: first.method,
    participants: 1,
    date: first.date,
    contactAttempts: 1,
    consent: { recorded: true },
    findings: findings.map((f) => ({
      area: f.area,
      theme: f.theme,
      outcomes: f.outcomes,
      stance: f.stance,
      summary: 'A made-up finding.',
      quotes: f.quotes.map((text) => ({ text, publishable: true })),
    })),
  };
}

/** Every item of the evidence, one at a time, and the codebook's themes. */
async function* itemsOf(dir: string, themes: readonly PackTheme[]): AsyncGenerator<Item> {
  for (const theme of themes) {
    yield {
      pk: 'CODEBOOK',
      sk: `THEME#${theme.area}#${theme.name.toLowerCase()}`,
      ...theme,
      createdAt: '2024-12-01T09:00:00.000Z',
    };
  }
  let n = 0;
  for (const stream of STREAMS) {
    if (stream === 'findings') {
      let interview: EvidenceFinding[] = [];
      for await (const f of readNdjson<EvidenceFinding>(ndjsonPath(dir, stream))) {
        if (interview.length > 0 && interview[0]?.interview !== f.interview) {
          yield interviewItem(interview);
          interview = [];
        }
        interview.push(f);
      }
      if (interview.length > 0) yield interviewItem(interview);
      continue;
    }
    const toItem = itemOf[stream] as (record: unknown, n: number) => Item;
    for await (const record of readNdjson(ndjsonPath(dir, stream))) yield toItem(record, n++);
  }
}

/**
 * Writes every item with BatchWrite (25 a request, `parallel` requests at once, unprocessed items
 * sent again). Returns the number of items written.
 */
export async function loadIntoDynamo(
  env: Readonly<Record<string, string>>,
  dir: string,
  themes: readonly PackTheme[],
  onProgress: () => void,
  parallel = 8,
): Promise<number> {
  const table = env.RECORDS_TABLE;
  if (!table) throw new Error('RECORDS_TABLE is not set');
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: env.DYNAMODB_ENDPOINT,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
  const write = async (items: Item[]) => {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const answer = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (answer.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  };
  const inFlight = new Set<Promise<void>>();
  let batch: Item[] = [];
  let written = 0;
  const send = async () => {
    const items = batch;
    batch = [];
    written += items.length;
    const p = write(items).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= parallel) await Promise.race(inFlight);
  };
  try {
    for await (const item of itemsOf(dir, themes)) {
      batch.push(item);
      if (batch.length === 25) {
        await send();
        if (written % 10_000 < 25) onProgress();
      }
    }
    if (batch.length > 0) await send();
    await Promise.all(inFlight);
  } finally {
    db.destroy();
  }
  return written;
}
