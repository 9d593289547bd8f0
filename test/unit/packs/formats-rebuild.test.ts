import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderPackCsvZip } from '../../../functions/packs/formats/csv';
import { renderPackHtml } from '../../../functions/packs/formats/html';
import { renderPackJson } from '../../../functions/packs/formats/json';
import { renderPackOds } from '../../../functions/packs/formats/ods';
import type { Pack } from '../../../functions/packs/pack-model';
import { samplePack } from '../../fixtures/sample-pack';

const run = promisify(execFile);

function hashes(pack: Pack): Record<string, string> {
  const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
  return {
    json: sha256(renderPackJson(pack)),
    csv: sha256(renderPackCsvZip(pack)),
    ods: sha256(renderPackOds(pack)),
    html: sha256(renderPackHtml(pack)),
  };
}

/** Renders the fixture in a fresh Node process with the given TZ and returns each format's hash. */
async function hashesUnderTimeZone(timeZone: string): Promise<Record<string, string>> {
  const module = (path: string): string => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `
    import { createHash } from 'node:crypto';
    import { samplePack } from ${module('../../fixtures/sample-pack.ts')};
    import { renderPackCsvZip } from ${module('../../../functions/packs/formats/csv.ts')};
    import { renderPackHtml } from ${module('../../../functions/packs/formats/html.ts')};
    import { renderPackJson } from ${module('../../../functions/packs/formats/json.ts')};
    import { renderPackOds } from ${module('../../../functions/packs/formats/ods.ts')};
    const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
    process.stdout.write(JSON.stringify({
      json: sha256(renderPackJson(samplePack)),
      csv: sha256(renderPackCsvZip(samplePack)),
      ods: sha256(renderPackOds(samplePack)),
      html: sha256(renderPackHtml(samplePack)),
    }));`;
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    {
      env: { ...process.env, TZ: timeZone },
    },
  );
  return JSON.parse(stdout) as Record<string, string>;
}

/** The same value with every object's keys in reverse order, as another build might assemble it. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, inner]) => [key, reversedKeys(inner)]),
  );
}

describe('rebuilding a pack', () => {
  it('gives byte-identical files in every format, whatever order the pack was assembled in', () => {
    const again = reversedKeys(structuredClone(samplePack)) as Pack;

    expect(hashes(again)).toEqual(hashes(samplePack));
  });

  it('gives byte-identical files on machines in different time zones', async () => {
    const here = hashes(samplePack);

    const [kiritimati, losAngeles] = await Promise.all([
      hashesUnderTimeZone('Pacific/Kiritimati'),
      hashesUnderTimeZone('America/Los_Angeles'),
    ]);

    expect(kiritimati).toEqual(here);
    expect(losAngeles).toEqual(here);
  });

  it('gives different files when a single figure changes', () => {
    const changed: Pack = { ...structuredClone(samplePack), version: 3 };

    const before = hashes(samplePack);
    const after = hashes(changed);

    for (const format of ['json', 'csv', 'ods', 'html']) expect(after[format]).not.toBe(before[format]);
  });
});
