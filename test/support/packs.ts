import { packBuilder } from '../../functions/pack-builder/builder';
import { packPipeline } from '../../functions/pack-builder/pipeline';
import { DEFAULT_PACK_DISCLOSURE_POLICY } from '../../functions/packs/disclosure-policy';
import { packsHandler } from '../../functions/packs/packs-api';
import type { BuildPackFiles, PackBuildInput } from '../../functions/packs/lifecycle';
import type { Pack } from '../../functions/packs/pack-model';
import { packServices } from '../../functions/packs/pack-services';
import { LOCAL_PACK_BUILDER } from '../../local/stack';
import type { client } from './client';
import { startTestApi } from './environment';

type Http = ReturnType<typeof client>;

/**
 * TEST DOUBLE of the pack pipeline (composition, disclosure control and the four renderers are
 * separate modules, not part of the lifecycle under test). It renders a trivial pack from its
 * input alone: one table of person counts per site, the same every time for the same input, and
 * remembers what it was given. The "csv" file holds bytes that are not UTF-8, as a zip does.
 */
export function stubPackPipeline(
  options: { auditPassed?: boolean; delayMs?: number; failWith?: Error } = {},
) {
  const calls: PackBuildInput[] = [];
  const build: BuildPackFiles = async (input) => {
    calls.push(input);
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (options.failWith) throw options.failWith;
    const pack = stubPack(input, options.auditPassed ?? true);
    const json = JSON.stringify(pack);
    return {
      pack,
      ledger: {
        pack: input.id,
        period: { from: input.period.from, to: input.period.to },
        figures: input.sites.map((site) => ({
          ref: `engagement.referrals.${site}`,
          unit: 'people' as const,
          value: 15,
          rounded: true,
          exact: 14,
        })),
      },
      files: {
        json,
        html: `<!doctype html><html lang="en"><title>${pack.title}</title><h1>${pack.title}</h1></html>`,
        csv: new Uint8Array([
          0x50,
          0x4b,
          0x03,
          0x04,
          0xff,
          0xfe,
          ...new TextEncoder().encode(json.slice(0, 64)),
        ]),
        ods: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x80, 0xff]),
      },
    };
  };
  return { build, calls };
}

/** The trivial pack the double renders: referrals per site (person counts with a `ref` each) and their total. */
export function stubPack(input: PackBuildInput, auditPassed: boolean): Pack {
  const rows = input.sites.map((site) => ({ id: site, label: site }));
  return {
    title: input.title,
    period: { from: input.period.from, to: input.period.to },
    sites: [...input.sites],
    version: input.version,
    ...(input.changes === undefined ? {} : { changes: input.changes }),
    sections: [
      {
        id: '4.6',
        title: 'Engagement',
        outcomes: [],
        paragraphs: ['Referrals received in the period.'],
        tables: [
          {
            id: 'referrals',
            title: 'Referrals by site',
            rowHeader: 'Site',
            rows: [...rows, { id: 'total', label: 'All sites', totalOf: rows.map((r) => r.id) }],
            columns: [{ id: 'referrals', label: 'Referrals' }],
            cells: [
              ...input.sites.map((site) => [
                { value: 15, unit: 'people' as const, ref: `engagement.referrals.${site}`, rounded: true },
              ]),
              [
                {
                  value: 15 * input.sites.length,
                  unit: 'people' as const,
                  ref: 'engagement.referrals.total',
                  rounded: true,
                },
              ],
            ],
          },
        ],
        quotes: [],
      },
    ],
    disclosure: {
      policyVersion: input.policy.version,
      threshold: input.policy.minPeople,
      rules: ['counts of 1 to 9 people shown as [c]'],
      suppressed: [],
      audit: {
        passed: auditPassed,
        solver: 'none (test double)',
        cellsChecked: 0,
        failures: auditPassed
          ? []
          : [
              {
                table: 'referrals',
                row: 'london',
                column: 'referrals',
                rule: 'primary',
                detail: 'range too narrow',
              },
            ],
      },
    },
  };
}

/**
 * The real pipeline (evidence read from DynamoDB Local, composition, disclosure control and its
 * audit, the four renderers) with what each build was handed remembered, for tests that check the
 * lifecycle hands it the right policy and ledger.
 */
export function recordingPipeline() {
  const calls: PackBuildInput[] = [];
  const wrap =
    (inner: BuildPackFiles): BuildPackFiles =>
    (input) => {
      calls.push(input);
      return inner(input);
    };
  return { wrap, calls };
}

/** A clock a test moves by hand; the packs function and builder read it on every request. */
export function testClock(start = new Date()) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advanceMinutes: (minutes: number) => {
      at += minutes * 60_000;
    },
  };
}

/**
 * The local API with the packs function and the builder on `clock`; the builder runs the real
 * pipeline unless a test gives its own (a stand-in that injects a fault).
 */
export async function startPacksApi(
  options: {
    clock?: ReturnType<typeof testClock>;
    pipeline?: (real: BuildPackFiles) => BuildPackFiles;
  } = {},
) {
  return startTestApi(async () => {
    const base = await packServices();
    const deps = options.clock ? { ...base, now: options.clock.now } : base;
    const real = packPipeline(base);
    const build = packBuilder(deps, options.pipeline ? options.pipeline(real) : real);
    return { handlers: { packs: packsHandler(deps) }, background: { [LOCAL_PACK_BUILDER]: build } };
  });
}

export const EVALUATOR_A = { role: 'evaluator' as const, user: 'pack-builder-a' };
export const EVALUATOR_B = { role: 'evaluator' as const, user: 'pack-approver-b' };

/** A whole disclosure policy as an admin sends it (the defaults), with `minPeople` and the audit's range set. */
export const policyBody = (minPeople: number = DEFAULT_PACK_DISCLOSURE_POLICY.minPeople) => {
  const { version: _version, ...body } = DEFAULT_PACK_DISCLOSURE_POLICY;
  return { ...body, minPeople, auditMinRange: minPeople };
};

export const buildBody = (overrides: Record<string, unknown> = {}) => ({
  from: '2025-01-01',
  to: '2025-03-31',
  sites: ['london', 'north-east'],
  title: 'Early learning, first quarter',
  ...overrides,
});

/** Polls a pack until its build has finished (draft or failed), for at most `timeoutMs`. */
export async function waitForBuild(
  http: Http,
  id: string,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await http.request('GET', `/packs/${id}`, { as: EVALUATOR_A });
    if (answer.body.status !== 'building') return answer.body;
    if (Date.now() > until) throw new Error(`Pack ${id} is still building after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Builds a pack as evaluator A and waits for its draft; answers its id. */
export async function buildDraft(http: Http, body: Record<string, unknown> = buildBody()): Promise<string> {
  const answer = await http.request('POST', '/packs', { as: EVALUATOR_A, body });
  if (answer.status !== 202)
    throw new Error(`Could not start a build: ${answer.status} ${JSON.stringify(answer.body)}`);
  const id = answer.body.id as string;
  const built = await waitForBuild(http, id);
  if (built.status !== 'draft')
    throw new Error(`The build ended ${String(built.status)}: ${String(built.failure)}`);
  return id;
}
