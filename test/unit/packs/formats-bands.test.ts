import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { renderPackCsvZip } from '../../../functions/packs/formats/csv';
import { renderPackHtml } from '../../../functions/packs/formats/html';
import { renderPackJson } from '../../../functions/packs/formats/json';
import { renderPackOds } from '../../../functions/packs/formats/ods';
import type { Pack, PackCell, PackTable } from '../../../functions/packs/pack-model';
import { samplePack } from '../../fixtures/sample-pack';

const worded = (label: 'a few' | 'some' | 'most', min: number, max: number, ref: string): PackCell => ({
  value: null,
  symbol: '[c]',
  unit: 'findings',
  ref,
  band: { label, of: 'evidence.trusted.findings', share: { min, max } },
});

/** The sample pack with a table of findings by respondent group, two of them worded. */
const groups: PackTable = {
  id: 'evidence-map-groups',
  title: 'Findings by respondent group',
  rowHeader: 'Theme',
  rows: [{ id: 'theme:trusted', label: 'Trusted relationship' }],
  columns: [
    { id: 'findings', label: 'Findings' },
    { id: 'group:provider-staff', label: 'Findings from: Provider staff' },
    { id: 'group:person-using-service', label: 'Findings from: Person using the service' },
    { id: 'group:prison-staff', label: 'Findings from: Prison staff' },
  ],
  cells: [
    [
      { value: 40, unit: 'findings', ref: 'evidence.trusted.findings' },
      { value: 31, unit: 'findings', ref: 'evidence.trusted.group:provider-staff' },
      worded('a few', 0, 0.25, 'evidence.trusted.group:person-using-service'),
      worded('some', 0.25, 0.5, 'evidence.trusted.group:prison-staff'),
    ],
  ],
};
const [first, ...rest] = samplePack.sections;
const pack: Pack = {
  ...samplePack,
  sections: [...(first ? [{ ...first, tables: [...first.tables, groups] }] : []), ...rest],
};
const unzipped = (bytes: Uint8Array) =>
  Object.fromEntries(Object.entries(unzipSync(bytes)).map(([n, b]) => [n, new TextDecoder().decode(b)]));

describe('wording bands in every format', () => {
  it('shows the words in the HTML table, with what they mean beside them and in the key', () => {
    const html = new TextDecoder().decode(renderPackHtml(pack));
    expect(html).toMatch(/>\s*a few\s*</);
    expect(html).toMatch(/>\s*some\s*</);
    expect(html).toContain('under a quarter of the theme');
    expect(html).toContain('a quarter to a half of the theme');
  });

  it('keeps the band and its interval in the JSON, for an auditor', () => {
    const json = JSON.parse(new TextDecoder().decode(renderPackJson(pack))) as Pack;
    const table = json.sections[0]?.tables.find((t) => t.id === 'evidence-map-groups');
    expect(table?.cells[0]?.[2]).toEqual(
      worded('a few', 0, 0.25, 'evidence.trusted.group:person-using-service'),
    );
  });

  it('writes the words in the CSV cell and what they mean in the notes file', () => {
    const files = unzipped(renderPackCsvZip(pack));
    const csv = Object.entries(files).find(([name]) => name.endsWith('evidence-map-groups.csv'))?.[1] ?? '';
    expect(csv).toContain('Trusted relationship,40,31,a few,some');
    expect(files['notes.csv']).toContain('words a few,"a few: under a quarter of the theme\'s findings');
    expect(files['notes.csv']).toContain('words some,');
    expect(files['notes.csv']).not.toContain('words most,');
  });

  it('writes the words as text cells of the ODS sheet and what they mean on the notes sheet', () => {
    const content = unzipped(renderPackOds(pack))['content.xml'] ?? '';
    expect(content).toContain('<text:p>a few</text:p>');
    expect(content).toContain("<text:p>a few: under a quarter of the theme's findings");
  });
});
