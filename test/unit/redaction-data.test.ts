import { describe, expect, it } from 'vitest';
import { buildLists } from '../../shared/domain/redaction/build-data';
import { REDACTION_LISTS } from '../../shared/domain/redaction/data.generated';
import { lists } from '../../shared/domain/redaction/lists';
import { z85Decode, z85Encode } from '../../shared/domain/redaction/z85';

describe('the word lists redaction bundles', () => {
  it('are what build-data.ts makes from the packages today (rerun it after upgrading them)', () => {
    const built = buildLists();
    const bundled = lists();

    expect([...bundled.names].sort()).toEqual(built.names);
    expect([...bundled.nameWords].sort()).toEqual(built.nameWords);
    expect([...bundled.givenWords].sort()).toEqual(built.givenWords);
    expect([...bundled.places].sort()).toEqual(built.places);
  });

  it('cover names of many backgrounds, tell names that are words, and know the places findings name', () => {
    const { names, nameWords, places } = lists();

    for (const name of ['oluwaseun', 'agnieszka', 'priya', 'kwame', 'nguyen', 'siobhan'])
      expect(names).toContain(name);
    for (const word of ['grace', 'will', 'rose']) expect(nameWords).toContain(word);
    // a name that is only a rare word is a name: it is not among the common words
    for (const name of ['lewis', 'danny', 'kat']) {
      expect(names).toContain(name);
      expect(nameWords).not.toContain(name);
    }
    for (const place of ['bury', 'sale', 'jarrow', 'seven sisters']) expect(places).toContain(place);
  });

  it('tell given names that are words from surnames that are words', () => {
    const { givenWords } = lists();

    for (const word of ['grace', 'honor', 'patience']) expect(givenWords).toContain(word);
    for (const word of ['most', 'staff']) expect(givenWords).not.toContain(word);
  });

  it('stay small enough to bundle into every function that redacts', () => {
    expect(REDACTION_LISTS.length).toBeLessThan(250 * 1024);
  });

  it('are stored as Z85 text that decodes to the same bytes', () => {
    // The example from the Z85 specification (ZeroMQ RFC 32).
    const hello = Uint8Array.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
    expect(z85Encode(hello)).toBe('HelloWorld');
    expect([...z85Decode('HelloWorld')]).toEqual([...hello]);
    // Any bytes, of any length (padded with zeros to a multiple of four).
    const bytes = Uint8Array.from({ length: 1001 }, (_, i) => (i * 7919 + 13) % 256);
    expect([...z85Decode(z85Encode(bytes)).subarray(0, bytes.length)]).toEqual([...bytes]);
    expect(REDACTION_LISTS).not.toMatch(/['\\`]/u);
  });
});
