import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { logRequest } from '../../shared/http/log';
import {
  type BuildPackFiles,
  PACK_FORMATS,
  type PackBuildOutput,
  PackBuildRefusedError,
  type PackFiles,
  type PackFormat,
  type PackRecord,
  type PackStore,
  sha256Hex,
} from '../packs/lifecycle';
import { packSchema } from '../packs/pack-model';
import { currentPolicy, type PolicyStore, policyVersion } from '../packs/policy';

/** The builder's time budget in AWS (the CDK sets the function's timeout from it). */
export const PACK_BUILDER_LIMITS = { memoryMb: 1024, timeoutSeconds: 120 } as const;
/** Kept back from the deadline to write four files and the record; measured under 1 s locally. */
export const WRITE_RESERVE_MS = 3000;
/** Below this much time to build, the build is refused rather than started. */
export const MIN_BUILD_MS = 2000;

const builderEventSchema = z.object({ packId: z.uuid() }).strict();

export interface BuilderDeps {
  readonly packs: PackStore;
  readonly packFiles: PackFiles;
  readonly policyStore: PolicyStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

export type BuildOutcome = { readonly packId: string; readonly status: 'draft' | 'failed' | 'skipped' };

class OutOfTimeError extends Error {
  override readonly name = 'OutOfTimeError';
}

const ACTOR = 'pack-builder';

/**
 * The pack builder, invoked asynchronously with `{ packId }`: reads the policy the pack's series
 * keeps and the ledger, runs the pipeline, writes the four files to `drafts/<id>/` and moves the
 * record from building to draft (with the content hash and the disclosure summary) or to failed
 * with the reason. It stops before its deadline and then writes no file: a pack is either wholly
 * built or failed. A retried invocation finds the pack no longer building and does nothing.
 */
export function packBuilder(deps: BuilderDeps, buildPackFiles: BuildPackFiles) {
  const audit = (action: string, packId: string): AuditEvent => ({
    id: deps.newId(),
    at: deps.now().toISOString(),
    actor: ACTOR,
    action,
    subjectType: 'learning-pack',
    subjectId: packId,
  });
  const fail = async (packId: string, failure: string): Promise<BuildOutcome> => {
    await deps.packs.finishBuild(
      packId,
      { status: 'failed', failure },
      audit('learning-pack.build-failed', packId),
    );
    return { packId, status: 'failed' };
  };

  return async (
    event: unknown,
    context: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<BuildOutcome> => {
    const { packId } = builderEventSchema.parse(event);
    const pack = await deps.packs.getPack(packId);
    if (pack?.status !== 'building') return { packId, status: 'skipped' };
    const budget = context.getRemainingTimeInMillis() - WRITE_RESERVE_MS;
    if (budget < MIN_BUILD_MS)
      return fail(packId, 'The builder had too little time left to build; ask again.');
    const deadline = Date.now() + budget;

    let output: PackBuildOutput;
    try {
      output = await withDeadline(deadline, (signal) =>
        runPipeline(deps, buildPackFiles, pack, deadline, signal),
      );
    } catch (error) {
      return fail(packId, failureReason(error, budget));
    }
    const checked = packSchema.safeParse(output.pack);
    if (!checked.success) return fail(packId, 'The built pack does not match the published pack schema.');
    // Nothing is written once the deadline has passed, so a slow build never leaves half its files.
    if (Date.now() > deadline) return fail(packId, failureReason(new OutOfTimeError(), budget));

    const bytes = Object.fromEntries(
      PACK_FORMATS.map((format) => [format, toBytes(output.files[format])]),
    ) as Record<PackFormat, Uint8Array>;
    await Promise.all(PACK_FORMATS.map((format) => deps.packFiles.putDraft(packId, format, bytes[format])));
    const files = Object.fromEntries(
      PACK_FORMATS.map((format) => [
        format,
        { sha256: sha256Hex(bytes[format]), bytes: bytes[format].byteLength },
      ]),
    ) as NonNullable<PackRecord['files']>;
    const report = checked.data.disclosure;
    const finished = await deps.packs.finishBuild(
      packId,
      {
        status: 'draft',
        builtAt: deps.now().toISOString(),
        policyVersion: report.policyVersion,
        sha256: files.json.sha256,
        files,
        disclosure: {
          policyVersion: report.policyVersion,
          threshold: report.threshold,
          passed: report.audit.passed,
          suppressedCells: report.suppressed.length,
          failures: report.audit.failures.length,
        },
      },
      audit('learning-pack.built', packId),
      output.ledger,
    );
    return { packId, status: finished ? 'draft' : 'skipped' };
  };
}

async function runPipeline(
  deps: BuilderDeps,
  buildPackFiles: BuildPackFiles,
  pack: PackRecord,
  deadline: number,
  signal: AbortSignal,
): Promise<PackBuildOutput> {
  const series = await deps.packs.getSeries(pack.series);
  const policy = series
    ? await policyVersion({ policies: deps.policyStore }, series.policyVersion)
    : await currentPolicy({ policies: deps.policyStore });
  if (!policy)
    throw new PackBuildRefusedError(
      `The series' disclosure policy version ${series?.policyVersion ?? '?'} is missing.`,
    );
  const ledger = await deps.packs.readLedger();
  return buildPackFiles({
    id: pack.id,
    title: pack.title,
    period: pack.period,
    sites: pack.sites,
    series: pack.series,
    version: pack.version,
    ...(pack.changes === undefined ? {} : { changes: pack.changes }),
    policy,
    ledger,
    deadline,
    signal,
  });
}

/** Runs `work` with a signal that aborts at `deadline`, and gives up waiting for it then. */
async function withDeadline<T>(deadline: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        controller.abort();
        reject(new OutOfTimeError());
      },
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function failureReason(error: unknown, budgetMs: number): string {
  if (error instanceof PackBuildRefusedError) return error.message.slice(0, 500);
  if (error instanceof OutOfTimeError) {
    return `The build did not finish within ${Math.round(budgetMs / 1000)} s, so nothing was written; narrow the period or the sites.`;
  }
  logRequest('error', 'failed', {
    operationId: 'buildPack',
    errorName: error instanceof Error ? error.name : 'Error',
  });
  return 'The build failed unexpectedly; it has been logged.';
}

function toBytes(file: Uint8Array | string): Uint8Array {
  return typeof file === 'string' ? new TextEncoder().encode(file) : file;
}
