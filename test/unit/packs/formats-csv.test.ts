import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cellText } from '../../../functions/packs/formats/common';
import { csvText, renderPackCsvZip } from '../../../functions/packs/formats/csv';
import type { Pack, PackTable } from '../../../functions/packs/pack-model';
import { samplePack } from '../../fixtures/sample-pack';

/** Each local file header of a zip, in file order: name, compression method and DOS date and time. */
function zipEntries(zip: Uint8Array): { name: string; method: number; date: number; time: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries = [];
  let offset = 0;
  while (view.getUint32(offset, true) === 0x04034b50) {
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    const compressedSize = view.getUint32(offset + 18, true);
    entries.push({
      name: new TextDecoder().decode(zip.subarray(offset + 30, offset + 30 + nameLength)),
      method: view.getUint16(offset + 8, true),
      time: view.getUint16(offset + 10, true),
      date: view.getUint16(offset + 12, true),
    });
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return entries;
}

function withTable(table: PackTable): Pack {
  const [first, ...rest] = samplePack.sections;
  if (first === undefined) throw new Error('fixture changed');
  return { ...samplePack, sections: [{ ...first, tables: [table] }, ...rest] };
}

const files = (zip: Uint8Array): Record<string, string> =>
  Object.fromEntries(
    Object.entries(unzipSync(zip)).map(([name, bytes]) => [
      name,
      new TextDecoder('utf-8', { fatal: true }).decode(bytes),
    ]),
  );

describe('the pack as a zip of CSV files', () => {
  it('holds one file per table and a notes file, sorted by name, all with the same fixed time', () => {
    const entries = zipEntries(renderPackCsvZip(samplePack));

    expect(entries.map((entry) => entry.name)).toEqual([
      'notes.csv',
      'table-01-evidence-map-themes.csv',
      'table-02-capital-checks-by-site.csv',
      'table-03-capital-distance-travelled.csv',
      'table-04-wellbeing-scores.csv',
      'table-05-engagement-initial-appointments.csv',
      'table-06-engagement-initial-rates.csv',
      'table-07-resources-by-type.csv',
    ]);
    // 30 June 2026 at 12:00:00 in DOS form: ((2026 - 1980) << 9) | (6 << 5) | 30, and 12 << 11.
    for (const entry of entries)
      expect({ date: entry.date, time: entry.time }).toEqual({ date: 23774, time: 24576 });
  });

  it('writes each table so that an RFC 4180 reader gets back its headers, labels and figures', () => {
    const csv = files(renderPackCsvZip(samplePack));

    for (const [index, table] of samplePack.sections.flatMap((section) => section.tables).entries()) {
      const name = `table-${String(index + 1).padStart(2, '0')}-${table.id}.csv`;
      const text = csv[name] ?? '';
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
      expect(parse(text, { record_delimiter: '\r\n' })).toEqual([
        [table.rowHeader, ...table.columns.map((column) => column.label)],
        ...table.rows.map((row, r) => [row.label, ...(table.cells[r] ?? []).map(cellText)]),
      ]);
    }
    expect(csv['table-01-evidence-map-themes.csv']).toContain(
      '"Housing, benefits and ""debt"" advice",6,5,0,11,2\r\n',
    );
  });

  it('says in the notes file what the symbols mean, the period, the rules and what each file holds', () => {
    const notes: string[][] = parse(files(renderPackCsvZip(samplePack))['notes.csv'] ?? '');

    expect(notes).toContainEqual(['period', '1 January 2026 to 30 June 2026']);
    expect(notes).toContainEqual(['sites', 'Yorkshire and the Humber; North East; London']);
    expect(notes).toContainEqual(['symbol [c]', 'confidential: not shown so that nobody can be identified']);
    expect(notes).toContainEqual(['symbol [z]', 'not applicable']);
    for (const rule of samplePack.disclosure.rules) expect(notes).toContainEqual(['disclosure rule', rule]);
    expect(notes).toContainEqual([
      'table-02-capital-checks-by-site.csv',
      'Table 2: Baseline and follow-up capital checks by site',
    ]);
  });

  it('keeps text that a spreadsheet would run as a formula from running, and negative figures as numbers', () => {
    const table: PackTable = {
      id: 'injection',
      title: 'Labels a spreadsheet would run',
      rowHeader: '@Theme',
      rows: ['=HYPERLINK("http://x")', '+1', '-1+2', '@SUM(A1)', '\tTabbed', '\rReturn', 'Plain'].map(
        (label, r) => ({ id: `row-${r}`, label }),
      ),
      columns: [{ id: 'change', label: 'Median change' }],
      cells: [-1, -0.5, 0, 3, -12, 1, 2].map((value) => [{ value, unit: 'median' as const }]),
    };

    const text = files(renderPackCsvZip(withTable(table)))['table-01-injection.csv'];

    expect(text).toBe(
      [
        "'@Theme,Median change",
        `"'=HYPERLINK(""http://x"")",-1`,
        "'+1,-0.5",
        "'-1+2,0",
        "'@SUM(A1),3",
        "'\tTabbed,-12",
        `"'\rReturn",1`,
        'Plain,2',
        '',
      ].join('\r\n'),
    );
  });

  it('escapes text fields and leaves ordinary text alone', () => {
    expect(csvText('Booked')).toBe('Booked');
    expect(csvText('[c]')).toBe('[c]');
    expect(csvText('a, b')).toBe('"a, b"');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText('-5 to -1')).toBe("'-5 to -1");
  });

  it('writes the same bytes again for the same pack', () => {
    expect(renderPackCsvZip(structuredClone(samplePack))).toEqual(renderPackCsvZip(samplePack));
  });
});
