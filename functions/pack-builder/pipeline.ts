import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCodebookStore } from '../findings/codebook-store';
import { buildPack } from '../packs/build-pack';
import { readPackEvidence } from '../packs/evidence-store';
import type { BuildPackFiles } from '../packs/lifecycle';

/**
 * The production pipeline: the period's evidence and the codebook read from the records table, then
 * {@link buildPack} (composition, disclosure control with its attacker's audit, the four renderers).
 * The build stops between stages once the builder's deadline has aborted it.
 */
export function packPipeline(deps: {
  readonly db: DynamoDBDocumentClient;
  readonly tables: { readonly records: string; readonly audit: string };
}): BuildPackFiles {
  const codebook = new DynamoCodebookStore(deps.db, deps.tables);
  return async (input) => {
    const [evidence, themes] = await Promise.all([
      readPackEvidence(deps.db, deps.tables, {
        from: input.period.from,
        to: input.period.to,
        sites: input.sites,
      }),
      codebook.listThemes(),
    ]);
    input.signal.throwIfAborted();
    const built = buildPack(evidence, input, {
      policy: input.policy,
      ledger: input.ledger,
      // Sorted, so the order the store answers in never changes the pack's bytes.
      codebook: {
        themes: themes
          .map(({ id, area, name }) => ({ id, area, name }))
          .sort(
            (a, b) =>
              a.area.localeCompare(b.area) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
          ),
      },
      checkpoint: () => {
        input.signal.throwIfAborted();
      },
    });
    return built;
  };
}
