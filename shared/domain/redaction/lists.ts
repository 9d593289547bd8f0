/**
 * The word lists name detection reads, decoded on first use (Brotli and a Set of some 40,000
 * entries take tens of milliseconds, which functions that never redact should not pay at cold start).
 *
 * - `names`: parts of people's names that are not English words ("tolulope", "okafor", "dani");
 * - `nameWords`: parts of names that are also everyday English words ("grace", "will", "rose", "bury");
 * - `givenWords`: those of `nameWords` that are given names, not only surnames ("grace", not "most");
 * - `places`: UK places from GeoNames, lower-case, one or more words ("bury", "seven sisters").
 *
 * Sources and how they are built: build-data.ts.
 */
import { brotliDecompressSync } from 'node:zlib';
import { REDACTION_LISTS, REDACTION_LISTS_BYTES } from './data.generated';
import { z85Decode } from './z85';

export interface Lists {
  readonly names: ReadonlySet<string>;
  readonly nameWords: ReadonlySet<string>;
  readonly givenWords: ReadonlySet<string>;
  readonly places: ReadonlySet<string>;
  /** The longest place, in words: how far a multi-word place match looks ahead. */
  readonly longestPlace: number;
}

let loaded: Lists | undefined;

export function lists(): Lists {
  if (!loaded) {
    const json = JSON.parse(
      brotliDecompressSync(z85Decode(REDACTION_LISTS).subarray(0, REDACTION_LISTS_BYTES)).toString('utf8'),
    ) as {
      names: string;
      nameWords: string;
      givenWords: string;
      places: string;
    };
    const places = new Set(json.places.split('\n'));
    loaded = {
      names: new Set(json.names.split('\n')),
      nameWords: new Set(json.nameWords.split('\n')),
      givenWords: new Set(json.givenWords.split('\n')),
      places,
      longestPlace: Math.max(...[...places].map((p) => p.split(/[\s-]+/u).length)),
    };
  }
  return loaded;
}
