import { DOMParser, type Element, onWarningStopParsing } from '@xmldom/xmldom';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { renderPackOds } from '../../../functions/packs/formats/ods';
import { samplePack } from '../../fixtures/sample-pack';

const MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';
const TABLE_NS = 'urn:oasis:names:tc:opendocument:xmlns:table:1.0';
const OFFICE_NS = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0';

function odsParts(ods: Uint8Array): Record<string, string> {
  return Object.fromEntries(
    Object.entries(unzipSync(ods)).map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]),
  );
}

/** Parses XML, throwing at anything that is not well formed (a warning included). */
function parseXml(xml: string): ReturnType<DOMParser['parseFromString']> {
  return new DOMParser({ onError: onWarningStopParsing }).parseFromString(xml, 'text/xml');
}

interface Sheet {
  name: string;
  rows: Element[][];
}

function sheets(contentXml: string): Sheet[] {
  return Array.from(parseXml(contentXml).getElementsByTagNameNS(TABLE_NS, 'table'), (table) => ({
    name: table.getAttributeNS(TABLE_NS, 'name') ?? '',
    rows: Array.from(table.getElementsByTagNameNS(TABLE_NS, 'table-row'), (row) =>
      Array.from(row.getElementsByTagNameNS(TABLE_NS, 'table-cell')),
    ),
  }));
}

const textOf = (cell: Element | undefined): string => cell?.textContent ?? '';
const texts = (sheet: Sheet | undefined): string[][] => sheet?.rows.map((row) => row.map(textOf)) ?? [];

describe('the pack as an OpenDocument spreadsheet', () => {
  it('starts with the mimetype entry, stored uncompressed, so readers recognise it from its first bytes', () => {
    const ods = renderPackOds(samplePack);
    const view = new DataView(ods.buffer, ods.byteOffset, ods.byteLength);

    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(0); // stored
    expect(view.getUint16(28, true)).toBe(0); // no extra field before the content
    expect(new TextDecoder().decode(ods.subarray(30, 38 + MIMETYPE.length))).toBe(`mimetype${MIMETYPE}`);
  });

  it('holds a manifest naming every part, and every XML part is well formed', () => {
    const parts = odsParts(renderPackOds(samplePack));

    expect(Object.keys(parts)).toEqual([
      'mimetype',
      'META-INF/manifest.xml',
      'content.xml',
      'meta.xml',
      'styles.xml',
    ]);
    for (const name of ['META-INF/manifest.xml', 'content.xml', 'meta.xml', 'styles.xml']) {
      expect(() => parseXml(parts[name] ?? ''), name).not.toThrow();
    }
    for (const name of ['/', 'content.xml', 'meta.xml', 'styles.xml']) {
      expect(parts['META-INF/manifest.xml']).toContain(`manifest:full-path="${name}"`);
    }
  });

  it('has a cover, contents and notes sheet, then one sheet per table with its title in A1', () => {
    const found = sheets(odsParts(renderPackOds(samplePack))['content.xml'] ?? '');
    const tables = samplePack.sections.flatMap((section) => section.tables);

    expect(found.map((sheet) => sheet.name)).toEqual([
      'Cover',
      'Contents',
      'Notes',
      ...tables.map((_, i) => `Table_${i + 1}`),
    ]);
    expect(texts(found[0])[0]).toEqual([samplePack.title]);
    tables.forEach((table, i) => {
      expect(texts(found[i + 3])[0]).toEqual([`Table ${i + 1}: ${table.title}`]);
    });
    expect(texts(found[1])).toContainEqual([
      'Table_3',
      tables[2]?.title,
      'Capital checks and distance travelled',
    ]);
    expect(texts(found[2])).toContainEqual([
      '[c]',
      'confidential: not shown so that nobody can be identified',
    ]);
  });

  it('writes figures as numeric cells and symbols as text, with no merged cells', () => {
    const content = odsParts(renderPackOds(samplePack))['content.xml'] ?? '';
    const distance = sheets(content)[5];
    const rows = distance?.rows ?? [];
    const header = rows.findIndex((row) => textOf(row[0]) === 'Domain');
    const finances = rows[header + 2] ?? [];

    expect(content).not.toMatch(/number-(columns|rows)-spanned/);
    expect(
      finances.map((cell) => [
        cell.getAttributeNS(OFFICE_NS, 'value-type'),
        cell.getAttributeNS(OFFICE_NS, 'value'),
        textOf(cell),
      ]),
    ).toEqual([
      ['string', null, 'Finances'],
      ['string', null, '[c]'],
      ['string', null, '[c]'],
      ['float', '10', '10'],
      ['float', '20', '20'],
      ['float', '-1', '-1'],
    ]);
  });

  it('escapes text so that a label cannot break the XML', () => {
    const [first, ...rest] = samplePack.sections;
    if (first === undefined) throw new Error('fixture changed');
    const pack = {
      ...samplePack,
      sections: [{ ...first, title: 'Tom & Jerry <b>"quoted"</b>\u0001' }, ...rest],
    };

    const cover = odsParts(renderPackOds(pack))['content.xml'] ?? '';

    expect(() => parseXml(cover)).not.toThrow();
    expect(cover).toContain('Tom &amp; Jerry &lt;b&gt;&quot;quoted&quot;&lt;/b&gt;</text:p>');
  });

  it('writes the same bytes again for the same pack', () => {
    expect(renderPackOds(structuredClone(samplePack))).toEqual(renderPackOds(samplePack));
  });
});
