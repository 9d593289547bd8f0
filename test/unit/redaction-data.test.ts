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
    expect([...bundled.places].sort()).toEqual(built.places);
  });

  it('cover names of many backgrounds, tell names that are words, and know the places findings name', () => {
    const { names, nameWords, places } = lists();

    for (const name of ['oluwaseun', 'agnieszka', 'priya', 'kwame', 'nguyen', 'siobhan'])
      expect(names).toContain(name);
    for (const word of ['grace', 'will', 'rose']) expect(nameWords).toContain(word);
    for (const place of ['bury', 'sale', 'jarrow', 'seven sisters']) expect(places).toContain(place);
  });

  it('stay small enough to bundle into every function that redacts', () => {
    expect(REDACTION_LISTS.length).toBeLessThan(250 * 1024);
  });
});
