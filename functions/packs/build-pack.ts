import { composePack, type ComposeOptions } from './compose';
import { applyDisclosureControl, disclosureReportOf } from './disclosure-control';
import type { PackDisclosurePolicy } from './disclosure-policy';
import type { PackEvidence } from './evidence';
import { renderPackCsvZip } from './formats/csv';
import { renderPackHtml } from './formats/html';
import { renderPackJson } from './formats/json';
import { renderPackOds } from './formats/ods';
import { type Ledger, type LedgerEntry, ledgerEntryFor } from './ledger';
import type { PackFormat } from './lifecycle';
import { type Pack, packSchema, type RawTable } from './pack-model';

export interface PackIdentity {
  readonly id: string;
  readonly title: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly sites: ComposeOptions['sites'];
  readonly version: number;
  readonly changes?: string;
}

export interface BuiltPack {
  readonly pack: Pack;
  readonly files: Readonly<Record<PackFormat, Uint8Array>>;
  /** PRIVATE: the exact figures behind what the pack shows, for the ledger item only. */
  readonly ledger: LedgerEntry;
}

/**
 * Evidence to a published pack and its four files: composition (exact figures), disclosure control
 * under `policy` against the `ledger` of packs already published, with its attacker's audit, then
 * the renderers. Pure and deterministic: the same evidence, policy and ledger give byte-identical
 * files (no clock, no random id, nothing but the inputs goes into them).
 *
 * A pack whose audit fails is still built, with the failures in its disclosure report: the
 * lifecycle keeps it as a draft that cannot be approved, so an evaluator can see why.
 *
 * `checkpoint` is called between stages, so a caller can stop a build that has run out of time.
 */
export function buildPack(
  evidence: PackEvidence,
  identity: PackIdentity,
  options: {
    readonly policy: PackDisclosurePolicy;
    readonly ledger: Ledger;
    readonly codebook: ComposeOptions['codebook'];
    readonly checkpoint?: () => void;
  },
): BuiltPack {
  const checkpoint = options.checkpoint ?? (() => undefined);
  const period = { from: identity.period.from, to: identity.period.to };
  const sections = composePack(evidence, { period, sites: identity.sites, codebook: options.codebook });
  checkpoint();
  const rawTables: RawTable[] = sections.flatMap((section) => [...section.tables]);
  const controlled = applyDisclosureControl(rawTables, options.policy, options.ledger, { period });
  checkpoint();
  const published = sections.map((section, s) => {
    const first = sections.slice(0, s).reduce((n, earlier) => n + earlier.tables.length, 0);
    return controlled.tables.slice(first, first + section.tables.length);
  });
  const pack = packSchema.parse({
    title: identity.title,
    period,
    sites: [...identity.sites],
    version: identity.version,
    ...(identity.changes === undefined ? {} : { changes: identity.changes }),
    sections: sections.map((section, s) => ({
      id: section.id,
      title: section.title,
      outcomes: [...section.outcomes],
      paragraphs: [...section.paragraphs],
      tables: published[s] ?? [],
      quotes: section.quotes,
    })),
    disclosure: disclosureReportOf(options.policy, controlled),
  });
  const ledger = ledgerEntryFor(identity.id, period, rawTables, controlled.tables, controlled.suppressed);
  const files = {
    json: renderPackJson(pack),
    csv: renderPackCsvZip(pack),
    ods: renderPackOds(pack),
    html: renderPackHtml(pack),
  };
  return { pack, files, ledger };
}
