import { describe, expect, it } from 'vitest';
import { buildLists } from '../../shared/domain/redaction/build-data';
import { REDACTION_LISTS } from '../../shared/domain/redaction/data.generated';
import { lists } from '../../shared/domain/redaction/lists';

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
});
