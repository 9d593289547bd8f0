/**
 * Name detection from word lists and context, and the spans name detection must keep.
 *
 * Kept (never taken as a name by the list or tagger rules, though a listed or titled name still is):
 * organisations from the hand-kept list (organisations.ts), Title Case runs ending in an
 * organisation word ("Cruse Bereavement Support", "Mary Seacole House"), UK places from the
 * gazetteer ("Bury", "Seven Sisters"; a place that is also a name only where it reads as a place:
 * "in Stanley", "Beverley to Hull"), headings written in Title Case ("Summary Of Findings") and
 * labels with a number or letter ("Tier 2", "Band B", "Case Example Three"), Title Case lists made
 * mostly of words ("Housing, Money and Health"), and a capitalised word between "the" and a noun
 * ("the Clayton office").
 *
 * Names: a word in the given-name and surname list that is not also an English word is a name in
 * any case ("dani", "Tolulope"); a name that is also a word ("Grace", "will") is one only with a
 * cue: a person's verb after it ("Honor kept ringing", "Grace said"), or a cue before it ("my
 * worker", "called", "spoke to", "with" for capitalised words). An unknown capitalised word at the
 * start of a sentence is a name when a person's verb, an auxiliary or a person's state follows
 * ("Oluwaseun described...", "Radoslaw did not...", "Aigerim is worried"). Also names: short forms
 * of listed names ("jonno", "mikey", "gaz"), a word beside a person's role set off by commas
 * ("Gintare, her key worker,"), unknown words in a list with a name in it, and a place that is
 * also a name before what only a person does ("Hope said"). Also kept: shops and employers
 * (organisations.ts), a capitalised word neither the lists nor the lexicon know after "in", "at",
 * "from" ("in Toxteth", "at Aldi"), and whole lines of Title Case led by a word ("Key Themes").
 * At a sentence's start a name that is also a word is a name only if it is a given name ("Grace
 * said", not "Most said"); a lower-case word unknown to the lists and lexicon is a name after a cue,
 * joined by "and" to a name, or before what a person does ("gurpreet wants", "rhys was really low").
 * Also names: a given name that is a word, first in a sentence, before a person's state ("Faith has
 * moved", "Will turned up", "Rose and her mum"); a list of name-like words before what people do
 * ("Precious and Godswill both want"); a lower-case list with a name or "me" in it; a word before an
 * age ("(Efosa, 34)"); initials ("T. Oyelaran", "J.P. said") and a surname's initial ("Precious M");
 * a possessive before a relative or worker ("Baljit’s son"). Also kept: an unknown word in a list
 * with a place ("Bramley and Armley"), Title Case words after "signposted to" or "referred to", a
 * possessive inside a street's or organisation's name ("Bennett's Lane"), benefits ("Discretionary
 * Housing Payment") and medicines by their endings ("Naltrexone").
 */
import { lists } from './lists';
import { ORGANISATIONS } from './organisations';

export type Range = readonly [start: number, end: number];

/** How the caller tells this module which words the tagger's lexicon knows, and as what. */
export type LexiconTag = (word: string) => string | undefined;

const words = (...lines: string[]) => new Set(lines.join(' ').split(' '));

/** Words that end an organisation's or place's Title Case name, whatever comes before them. */
export const ORGANISATION_WORDS = words(
  'house hub centre center court trust team service services council group project partnership',
  'foundation network surgery hospital clinic premises options road street lane avenue drive close',
  'estate park plant anonymous support aid army care lives housing recovery programme futures',
  'association society charity church chapel mosque hall station line league fields field gardens',
  'bank university college school academy club library unit ward prison hmp panel board forum',
  'committee scheme collective cafe café community united rovers athletic wanderers albion week fair',
  // Welsh and Scottish arms of national charities ("Shelter Cymru", "Mind Cymru")
  'cymru scotland',
  // benefits and payments: "Discretionary Housing Payment", "Pension Credit", "Budgeting Advance"
  'payment payments allowance credit benefit benefits grant loan advance reduction premium',
);

// A person's verbs: after a capitalised first word, they make it a name ("Tolulope told us").
const PERSON_VERBS = words(
  'said says told tells asked asks explained explains described describes felt feels thought thinks',
  'rang rings came comes went goes missed misses wanted wants needed needs found finds brought',
  'walked completed attended arrived left kept turned started stopped stayed spoke speaks agreed',
  'refused struggled mentioned admitted reported sat messaged texted emailed replied prefers',
  'preferred loves likes hates enjoyed valued knows knew helped helps sorted met joined managed',
  'tried hopes hoped finished cancelled signed received moved lives lived works worked runs',
  'lost got gets took takes gave keeps',
  'was has had',
);
// What only a person does: after a place that is also a name, they make it a name ("Hope said").
const PERSON_ONLY_VERBS = words(
  'said says told tells asked asks explained explains described describes felt feels thought thinks',
  'rang messaged texted emailed replied agreed refused admitted mentioned wanted wants prefers hopes',
);
// After an unknown capitalised first word and "is", "was" or "has": "Thandiwe is worried".
const PERSON_STATES = words(
  'worried keen happy struggling doing living staying working looking hoping waiting going being',
  'back still due pregnant homeless sober clean been now finding trying getting feeling scared',
  'anxious upset angry nervous unwell ill off recalled released moved started low down tired drunk',
  'gutted buzzing chatty quiet tearful',
);
// Between "was" and a person's state: "was really low".
const INTENSIFIERS = words('really very so quite pretty bit proper');
// A person's role beside a name, set off by commas: "Gintare, her key worker," "My sister, Roxanne,".
const ROLE =
  '(?:(?:key|link|support|case|peer|probation|new|old|youngest|eldest|older|younger|little|big)\\s+)?(?:worker|mentor|officer|manager|mum|mother|dad|father|partner|son|daughter|sister|brother|cousin|aunt|auntie|uncle|nan|gran|grandad|friend|mate|girlfriend|boyfriend|wife|husband|neighbour|landlord|landlady|sponsor)';
const AND_THEIR_ROLE = new RegExp(`^\\s+and\\s+(?:his|her|their)\\s+${ROLE}\\b`, 'u');
const APPOSITIVE_AFTER = new RegExp(`^,\\s+(?:his|her|their|my|our|the|a)\\s+${ROLE}\\b`, 'u');
const APPOSITIVE_BEFORE = new RegExp(`\\b(?:his|her|their|my|our)\\s+${ROLE},\\s+$`, 'iu');
const FROM_SERVICE =
  /^\s+(?:from|at)\s+(?:the\s+)?(?:council|probation|hostel|jobcentre|job\s+centre|housing|dwp|charity|food\s*bank|hub|team|office|shelter|church|mosque|gurdwara|temple|gym|college|surgery|gp|pharmacy|chemist|citizens\s+advice|drug\s+service|recovery\s+service)\b/iu;
const Z_SHORT_FORM = /^(?:[bdgjkmtw]|sh|ch)[ae]z$/u;
// After an unknown capitalised first word: "Radoslaw did not want", "Babajide will start".
const AUXILIARIES = words('did does will would could can should might must');
// After a list of people: "all asked", "both want", "came", "were there".
const PEOPLE_DO = new RegExp(
  `^\\s+(?:(?:all|both)\\s+)?(?:${[...PERSON_VERBS, ...AUXILIARIES, 'were', 'are', 'have', 'want', 'came', 'come'].join('|')})\\b`,
  'u',
);
// For a name that is also a word, only verbs a person does: "Hope was the word" is not a name.
const NARROW_EXCLUDED = words('was has had runs works lives lived moved turned found finds kept');

// Cues before a word: "my worker dani", "someone called Bilal", "spoke to Femi".
const STRONG_CUE =
  /(?:\bmy\s+(?:key\s+|link\s+|support\s+|case\s+|new\s+)?(?:worker|mate|friend|partner|sister|brother|cousin|son|daughter|mum|dad|po|officer)|\b(?:me\s+and|called|named|aka|spoke\s+(?:to|with|w)|talked\s+to|sat\s+(?:down\s+)?with|met(?:\s+(?:up\s+)?with)?|rang|txt\s+from|text\s+from|message\s+from|chat\s+with|check(?:ed)?\s+in\s+with|asked|told|introduced\s+to|drove|took|saw|visited|cover(?:ed|ing)?\s+for|(?:dropped|popped)\s+in\s+on|checked\s+on|(?:vm|voicemail|message|msg)\s+for|see|seen|picked\s+up|collected|phoned|texted|messaged|thanks\s+to|waiting\s+on|chased(?:\s+up)?)|\bw\/?)\s+$/iu;

const FUNCTION_WORDS = words(
  'of and the for from in to with on at by a an or as into over under about after before',
);
const HEADING_LABELS =
  /(?<![\p{L}\p{N}])(?:(?:Tier|Band|Grade|Level|Phase|Wave|Cohort|Table|Figure|Annex|Appendix|Outcome|Question|Theme|Stage|Step|Part|Section|Example|Case Example|Month|Week|Quarter|Year|Session|Site|Group|Room|Flat|Unit|Block)\s+(?:\d+(?:\.\d+)*|[A-Z](?![\p{L}])|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten))(?![\p{L}\p{N}])/gu;

// Endings of English words that are almost never a name: "Housing", "Accommodation", "Relationships".
const WORD_ENDING =
  /(?:ings|tion|tions|sion|sions|ment|ments|ness|ity|ities|ety|ance|ances|ence|ences|ship|ships|hood|ism|ics|ology|ary|aries|ous|ful|less|ive|ives|ional|ual|ical|ist|ists)$/u;

// Endings of the generic names of medicines ("Naltrexone", "Olanzapine", "Diazepam", "Omeprazole").
const MEDICINE_ENDING =
  /(?:xone|done|pam|lam|pine|apine|oxetine|aline|pramine|tyline|barbital|statin|cillin|mycin|prazole|olol|sartan|pril|profen|morph)$/u;

/**
 * Whether a word the name lists do not know reads as an English word by its form: its ending
 * ("Housing", "Accommodation") or two words the lexicon knows run together ("Foodbank").
 */
export const wordByEnding = (word: string): boolean => {
  const w = bare(word);
  const { names, nameWords } = lists();
  // "Check-In", "Drop-In": a hyphenated word made of words.
  if (w.includes('-') && !names.has(w))
    return w.split('-').every((part) => part !== '' && (lexiconWord(part) || WORD_ENDING.test(part)));
  if (w.length < 5 || names.has(w) || nameWords.has(w)) return false;
  if (WORD_ENDING.test(w) || MEDICINE_ENDING.test(w)) return true;
  // "-ing" only on a stem that is a word ("Funding", "Housing", "Running"), not "Xiaoling".
  const stem = /^(\p{L}{2,})ing$/u.exec(w)?.[1];
  if (stem && (lexiconWord(stem) || lexiconWord(`${stem}e`) || /(\p{L})\1$/u.test(stem))) return true;
  // Bounded, so one huge word costs no more than a short one.
  if (w.length > 20) return false;
  for (let cut = 3; cut <= w.length - 3; cut++)
    if (lexiconWord(w.slice(0, cut)) && lexiconWord(w.slice(cut))) return true;
  return false;
};

/** Whether the tagger's lexicon knows a word as a given name or surname ("wojciech", "mark"). */
const lexiconName = (word: string) => /Name|Person/u.test(currentLexicon?.(word) ?? '');

/** Whether the tagger's lexicon knows a word as something other than a name. */
const lexiconWord = (word: string) => {
  const tag = lexiconTag(word);
  return tag !== undefined && !/Name|Person/u.test(tag);
};

/** What the lexicon says of a word, or of its singular: it holds most nouns in the singular ("themes"). */
const lexiconTag = (word: string) =>
  currentLexicon?.(word) ??
  (word.length > 4 && /[^s]s$/u.test(word) ? currentLexicon?.(word.slice(0, -1)) : undefined);

// Nouns after "the <Capitalised>" that make it a place's or organisation's name, or a family's.
const AFTER_THE_PERSON = words('family families household brothers sisters twins kids children boys girls');

const PLACE_PREPOSITIONS = words(
  'in from to at near around of outside via towards into across through round between covering and',
  'covers cover covered visit visits visited left leaving reach reached',
);

interface Token {
  readonly text: string;
  readonly lower: string;
  readonly start: number;
  readonly end: number;
  readonly capitalised: boolean;
  readonly sentenceStart: boolean;
  /** No letter or digit touches it ("Sam19", "x0Ae" are not names as written). */
  readonly whole: boolean;
}

const bare = (word: string) => word.toLowerCase().replace(/['’]s$/u, '');

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/\p{L}[\p{L}'’-]*\p{L}|\p{L}|\p{N}+/gu)) {
    const before = text.slice(Math.max(0, m.index - 4), m.index);
    tokens.push({
      text: m[0],
      lower: bare(m[0]),
      start: m.index,
      end: m.index + m[0].length - (/['’]s$/u.test(m[0]) ? 2 : 0),
      capitalised: /^\p{Lu}/u.test(m[0]),
      sentenceStart: m.index === 0 || /(?:[.!?:;"“(\n•*-]\s*|^\s+)$/u.test(before),
      whole:
        !/[\p{L}\p{N}]/u.test(text[m.index - 1] ?? '') &&
        !/[\p{L}\p{N}]/u.test(text[m.index + m[0].length] ?? ''),
    });
  }
  return tokens;
}

/** Spans of organisations, places, headings and labels, which the list and tagger rules keep. */
/** The most words of a Title Case name or heading looked at together ("Thomas Pocklington Trust for the Blind"). */
const MAX_TITLE_RUN = 8;

export function keptRanges(text: string): Range[] {
  const kept: Range[] = [];
  for (const m of text.matchAll(organisations())) kept.push([m.index, m.index + m[0].length]);
  for (const m of text.matchAll(HEADING_LABELS)) kept.push([m.index, m.index + m[0].length]);
  const { places, names, nameWords, givenWords, longestPlace } = lists();
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t?.capitalised) continue;
    // A possessive inside a name that ends in an organisation's or street's word: "Bennett's
    // Lane", "St Luke's Hospital".
    let k = i;
    let possessive = false;
    // Bounded, so a long run of capitalised words costs no more than a short one per word.
    while (k - i < 5) {
      const a = tokens[k];
      const b = tokens[k + 1];
      if (!a || !b?.capitalised) break;
      const between = text.slice(a.end, b.start);
      if (/^['’]s[^\S\n]+$/u.test(between)) possessive = true;
      else if (!joinedTokens(text, a, b)) break;
      k++;
    }
    if (possessive && ORGANISATION_WORDS.has(tokens[k]?.lower ?? '')) {
      kept.push([t.start, tokens[k]?.end ?? t.end]);
      i = k;
      continue;
    }
    // Title Case runs: "Mary Seacole House", "Cruse Bereavement Support". Bounded like the
    // possessive above: a run not kept is looked at again from its next word, so an unbounded run
    // made a long text of capitalised words cost the square of its length.
    let j = i;
    while (
      j - i < MAX_TITLE_RUN &&
      joinedTokens(text, tokens[j], tokens[j + 1]) &&
      tokens[j + 1]?.capitalised
    )
      j++;
    const run = tokens.slice(i, j + 1);
    const ordinaryWords =
      run.every((x) => (lexiconWord(x.lower) || wordByEnding(x.lower)) && !names.has(x.lower)) &&
      // "Asked Dawn whether...": a sentence led by a verb is not a heading.
      !(t.sentenceStart && /Verb|Tense|Infinitive/u.test(currentLexicon?.(t.lower) ?? ''));
    if (j > i && (ORGANISATION_WORDS.has(tokens[j]?.lower ?? '') || ordinaryWords)) {
      kept.push([t.start, tokens[j]?.end ?? t.end]);
      i = j;
      continue;
    }
    // Places, longest first: "Seven Sisters", "Chester-le-Street", "Bury".
    for (let n = Math.min(longestPlace, tokens.length - i); n >= 1; n--) {
      const last = tokens[i + n - 1];
      if (!last) continue;
      const phrase = text.slice(t.start, last.end).toLowerCase().replace(/\s+/gu, ' ');
      if (!places.has(phrase)) continue;
      const alsoName = n === 1 && (names.has(t.lower) || nameWords.has(t.lower));
      const previous = tokens[i - 1];
      const next = tokens[i + n];
      const afterName =
        previous !== undefined &&
        previous.capitalised &&
        joinedTokens(text, previous, t) &&
        (names.has(previous.lower) || /Name|Person/u.test(currentLexicon?.(previous.lower) ?? ''));
      const after = tokens[i + n + 1];
      const readsAsPlace =
        (!alsoName && !afterName) ||
        // "Kimberley is a long way from...", "Shirley has a good food bank": a place's predicate.
        (next !== undefined &&
          /^(?:is|has)$/u.test(next.lower) &&
          after !== undefined &&
          /^(?:a|an|no|good|lots|plenty|miles)$/u.test(after.lower)) ||
        (next !== undefined && !next.capitalised && PLACE_NOUNS.has(next.lower)) ||
        (previous !== undefined && PLACE_PREPOSITIONS.has(previous.lower) && !previous.capitalised) ||
        (next !== undefined && (next.lower === 'to' || ORGANISATION_WORDS.has(next.lower))) ||
        (next?.lower === 'and' && places.has(tokens[i + n + 1]?.lower ?? '')) ||
        // "Hyde, Denton or Stalybridge": an item of a list of places.
        (previous !== undefined &&
          places.has(previous.lower) &&
          /^[^\S\n]*(?:,|or|and|,\s*or|,\s*and)[^\S\n]*$/u.test(text.slice(previous.end, t.start))) ||
        (next !== undefined &&
          places.has(next.lower) &&
          /^[^\S\n]*,[^\S\n]*$/u.test(text.slice(last.end, next.start)));
      if (readsAsPlace) kept.push([t.start, last.end]);
      break;
    }
  }
  // "Bramley and Armley", "Wigan, Leigh": a word the lists and lexicon do not know, in a list with a
  // place, is a place too.
  tokens.forEach((t, i) => {
    if (!t.capitalised || names.has(t.lower) || nameWords.has(t.lower) || lexiconTag(t.lower) !== undefined)
      return;
    const besidePlace = (other: Token | undefined, a: Token, b: Token) =>
      other !== undefined &&
      other.capitalised &&
      places.has(other.lower) &&
      !givenWords.has(other.lower) &&
      /^[^\S\n]*(?:,|or|and|,\s*or|,\s*and)[^\S\n]*$/u.test(text.slice(a.end, b.start));
    const conjunction = (x: Token | undefined) => x?.lower === 'and' || x?.lower === 'or';
    const previous = conjunction(tokens[i - 1]) ? tokens[i - 2] : tokens[i - 1];
    const next = conjunction(tokens[i + 1]) ? tokens[i + 2] : tokens[i + 1];
    if (
      (previous !== undefined && besidePlace(previous, previous, t)) ||
      (next !== undefined && besidePlace(next, t, next))
    )
      kept.push([t.start, t.end]);
  });
  kept.push(
    ...headings(text),
    ...titleCaseLists(text, tokens),
    ...beforeNouns(text, tokens),
    ...afterPlacePrepositions(text, tokens),
    ...afterReferrals(text, tokens),
  );
  return kept;
}

// Before a place or a shop: "in Toxteth", "at Aldi", "from Kirkstall" (not "to" or "with", which
// come before people as often).
const AT_PLACE = words('in at from near around outside via into across towards');

/**
 * "lives in Toxteth", "a job at Aldi": a capitalised word neither the lists nor the lexicon know,
 * straight after a lower-case "in", "at", "from"..., names a place or a business, with the
 * capitalised words that run on from it. A name the lists know still counts as a name there, and so
 * does a possessive ("at Tendai's").
 */
function afterPlacePrepositions(text: string, tokens: readonly Token[]): Range[] {
  const { names, nameWords } = lists();
  const found: Range[] = [];
  const unknown = (t: Token | undefined) =>
    t !== undefined &&
    t.capitalised &&
    !names.has(t.lower) &&
    !nameWords.has(t.lower) &&
    lexiconTag(t.lower) === undefined;
  tokens.forEach((t, i) => {
    const before = tokens[i - 1];
    if (!unknown(t) || before?.capitalised !== false || !AT_PLACE.has(before.lower)) return;
    // "at Tendai's", "in Kasia's flat": a possessive is a person's.
    if (/['’]s$/u.test(t.text)) return;
    if (!joinedTokens(text, before, t)) return;
    let j = i;
    while (joinedTokens(text, tokens[j], tokens[j + 1]) && tokens[j + 1]?.capitalised) j++;
    found.push([t.start, tokens[j]?.end ?? t.end]);
    // "in Kirkstall and Seacroft", "at Aldi, Lidl or Asda": the places of a list go together.
    for (let k = j + 1; tokens[k + 1] !== undefined; k += 2) {
      const separator = tokens[k];
      const item = tokens[k + 1];
      const between = text.slice(tokens[k - 1]?.end ?? 0, item?.start ?? 0);
      if (!(separator?.lower === 'and' || separator?.lower === 'or') || !unknown(item)) break;
      if (!/^[^\S\n]*(?:,[^\S\n]*)?(?:and|or)[^\S\n]+$/u.test(between) || !item) break;
      found.push([item.start, item.end]);
    }
  });
  return found;
}

const REFERRAL_WORDS = words('signposted signposting referred referral referrals refer funded commissioned');

/**
 * "signposted to Beam", "referred him to Framework", "funded by Lankelly Chase": the Title Case
 * words after a referral or funding word name a service, unless the first is a name the lists know
 * or a given name (a person can be referred to too: "referred to Kofi").
 */
function afterReferrals(text: string, tokens: readonly Token[]): Range[] {
  const { names, givenWords } = lists();
  const found: Range[] = [];
  tokens.forEach((t, i) => {
    if (t.capitalised || !(t.lower === 'to' || t.lower === 'by')) return;
    const verb = /^(?:him|her|them|me|us)$/u.test(tokens[i - 1]?.lower ?? '') ? tokens[i - 2] : tokens[i - 1];
    if (!verb || !REFERRAL_WORDS.has(verb.lower)) return;
    const first = tokens[i + 1];
    if (!first?.capitalised || !joinedTokens(text, t, first)) return;
    if (names.has(first.lower) || givenWords.has(first.lower)) return;
    let j = i + 1;
    while (joinedTokens(text, tokens[j], tokens[j + 1]) && tokens[j + 1]?.capitalised) j++;
    found.push([first.start, tokens[j]?.end ?? first.end]);
  });
  return found;
}

// Lower-case nouns after a place's name: "the Clayton office", "Ashton area".
const PLACE_NOUNS = words('office offices area branch site side end estate town village ward patch');

/**
 * "the Clayton office", "the Ashton group", "the Mental Health Liaison nurse": up to four
 * capitalised words between "the" and a lower-case noun name a place, an office or a service, not a
 * person (but "the Jones family" is a family, and a name the lists know stays a name).
 */
function beforeNouns(text: string, tokens: readonly Token[]): Range[] {
  const { names } = lists();
  const found: Range[] = [];
  tokens.forEach((t, i) => {
    const the = tokens[i - 1];
    if (!t.capitalised || the?.lower !== 'the' || !joinedTokens(text, the, t)) return;
    let j = i;
    while (j - i < 3 && tokens[j + 1]?.capitalised && joinedTokens(text, tokens[j], tokens[j + 1])) j++;
    const next = tokens[j + 1];
    const run = tokens.slice(i, j + 1);
    if (!next || next.capitalised || !joinedTokens(text, tokens[j], next)) return;
    if (AFTER_THE_PERSON.has(next.lower) || run.some((x) => /['’]s$/u.test(x.text) || names.has(x.lower)))
      return;
    if (!lexiconWord(next.lower) && !wordByEnding(next.lower) && !PLACE_NOUNS.has(next.lower)) return;
    found.push([t.start, tokens[j]?.end ?? t.end]);
  });
  return found;
}

// Between two items of a list: a comma, semicolon or ampersand, "and" or "or", or both.
const LIST_SEPARATOR = /^[^\S\n]*(?:[,;&][^\S\n]*)?(?:(?:and|or)[^\S\n]+)?$/u;

/** Title Case runs separated by commas, semicolons, "and", "or" or "&": the items of a list. */
function listsOfItems(text: string, tokens: readonly Token[]): Token[][][] {
  const found: Token[][][] = [];
  let list: Token[][] = [];
  let item: Token[] = [];
  const flush = () => {
    if (item.length > 0) list.push(item);
    item = [];
  };
  const finish = () => {
    flush();
    if (list.length >= 2) found.push(list);
    list = [];
  };
  let last: Token | undefined;
  for (const t of tokens) {
    if (!t.capitalised) {
      if (t.lower === 'and' || t.lower === 'or') continue;
      finish();
      last = undefined;
      continue;
    }
    const between = last ? text.slice(last.end, t.start) : '';
    if (last && /^[^\S\n]+$/u.test(between)) item.push(t);
    else if (last && LIST_SEPARATOR.test(between)) {
      flush();
      item.push(t);
    } else {
      finish();
      item.push(t);
    }
    last = t;
  }
  finish();
  return found;
}

/**
 * Items of a Title Case list made mostly of words ("Housing, Money, Health and Relationships",
 * "Education, Training and Employment"): kept, when no item is a name the lists know and at least
 * half of them read as words (the lexicon knows them, or their ending is an English word's).
 */
function titleCaseLists(text: string, tokens: readonly Token[]): Range[] {
  const { names } = lists();
  const found: Range[] = [];
  for (const list of listsOfItems(text, tokens)) {
    const isNameItem = (item: readonly Token[]) =>
      item.some((x) => names.has(x.lower) || (lexiconName(x.lower) && !lexiconWord(x.lower)));
    const isWordItem = (item: readonly Token[]) =>
      item.every((x) => FUNCTION_WORDS.has(x.lower) || lexiconWord(x.lower) || wordByEnding(x.lower));
    // "Me and Daz": a pronoun is a person, so the list is of people.
    const pronoun = (item: readonly Token[]) => /Pronoun/u.test(currentLexicon?.(item[0]?.lower ?? '') ?? '');
    if (list.some(isNameItem) || list.some(pronoun) || isPeopleList(text, list)) continue;
    if (list.filter(isWordItem).length * 2 < list.length) continue;
    for (const item of list) {
      const first = item[0];
      const last = item.at(-1);
      if (first && last) found.push([first.start, last.end]);
    }
  }
  return found;
}

// After a person's possessive: a relative or their worker ("Baljit’s son", "kemi's key worker").
const RELATIVE_AFTER =
  /^\s+(?:(?:little|baby|eldest|youngest|older|younger|new|key|support|link|probation)\s+)?(?:son|sons|daughter|daughters|mum|mother|dad|father|partner|wife|husband|girlfriend|boyfriend|sister|brother|kids|children|baby|nan|gran|cousin|aunt|auntie|uncle|worker|officer)\b/u;

// An age after a word: ", 34)", " (29)", ", 41,", ", aged 19".
const AGE_AFTER = /^(?:\s*\(\s*|,\s*)(?:aged\s+)?(?:1[6-9]|[2-8]\d)(?:\s*\)|,|\s+(?:yrs?|years?)\b)/u;

/** Runs of lower-case single words separated by commas, "and" or "&" (at least three words). */
function lowerCaseLists(text: string, tokens: readonly Token[]): Token[][] {
  const found: Token[][] = [];
  let run: Token[] = [];
  const finish = () => {
    if (run.length >= 3) found.push(run);
    run = [];
  };
  for (const t of tokens) {
    if (t.capitalised || t.lower === 'and') {
      if (t.capitalised) finish();
      continue;
    }
    const previous = run.at(-1);
    if (previous && !/^[^\S\n]*(?:,|&|and|,\s*and)[^\S\n]*$/u.test(text.slice(previous.end, t.start)))
      finish();
    run.push(t);
  }
  finish();
  return found;
}

// "T. Oyelaran", "J. P. Okoro": initials then a surname the lexicon does not know as a word; "J.P.
// said": initials alone before what a person does.
const INITIALLED = /(?<![\p{L}\p{N}.])(?:\p{Lu}\.\s?){1,2}\p{Lu}[\p{Ll}'’-]+(?![\p{L}\p{N}])/gu;
const INITIALS_ALONE = /(?<![\p{L}\p{N}.])\p{Lu}\.\s?\p{Lu}\.(?=\s+(\p{Ll}+))/gu;

function initialledNames(text: string): Range[] {
  const { places } = lists();
  const found: Range[] = [];
  for (const m of text.matchAll(INITIALLED)) {
    const surname = /\p{Lu}[\p{Ll}'’-]+$/u.exec(m[0])?.[0] ?? '';
    const w = bare(surname);
    if (lexiconWord(w) || places.has(w) || ORGANISATION_WORDS.has(w) || FUNCTION_WORDS.has(w)) continue;
    found.push([m.index, m.index + m[0].length - (/['’]s$/u.test(m[0]) ? 2 : 0)]);
  }
  for (const m of text.matchAll(INITIALS_ALONE))
    if (PERSON_VERBS.has(m[1] ?? '') || AUXILIARIES.has(m[1] ?? ''))
      found.push([m.index, m.index + m[0].length]);
  return found;
}

/**
 * "Thandiwe, Precious and Rumbi all asked", "Precious and Godswill both want": one-word items that
 * could each be a name (a word the lexicon does not know, even one made of words, such as
 * "Godswill", or a given name), none a place, before what people do, are a list of people.
 */
function isPeopleList(text: string, list: readonly (readonly Token[])[]): boolean {
  const { names, givenWords, places } = lists();
  const last = list.at(-1)?.[0];
  return (
    last !== undefined &&
    list.every(
      (item) =>
        item.length === 1 &&
        item[0] !== undefined &&
        nameShaped(item[0]) &&
        (lexiconTag(item[0].lower) === undefined ||
          names.has(item[0].lower) ||
          givenWords.has(item[0].lower)) &&
        !/ly$/u.test(item[0].lower) &&
        !ORGANISATION_WORDS.has(item[0].lower) &&
        // a place only if it is also a given name ("Hope"), and not every item a place
        (!places.has(item[0].lower) || givenWords.has(item[0].lower)),
    ) &&
    !list.every((item) => places.has(item[0]?.lower ?? '')) &&
    !/['’]s$/u.test(last.text) &&
    PEOPLE_DO.test(text.slice(last.end, last.end + 30))
  );
}

let organisationPattern: RegExp | undefined;
/** The organisation list as one pattern, built on first use. */
function organisations(): RegExp {
  organisationPattern ??= new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${[...ORGANISATIONS]
      .sort((a, b) => b.length - a.length)
      .map((o) => o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/’/g, "['’]?"))
      .join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
  return organisationPattern;
}

const joinedTokens = (text: string, a: Token | undefined, b: Token | undefined) =>
  a !== undefined && b !== undefined && /^(?:[^\S\n]+|-)$/u.test(text.slice(a.end, b.start));

/**
 * Headings: a line, or the part of one before a full stop or colon, of two to eight words, every
 * one capitalised, with a capitalised function word in it ("Summary Of Findings"), made only of
 * words the lexicon knows and no name ("Key Findings", "Next Steps"), or a whole line led by a word
 * ("Key Themes").
 */
function headings(text: string): Range[] {
  const found: Range[] = [];
  for (const m of text.matchAll(/[^.:!?\n]+/gu)) {
    const segment = m[0];
    const ws = [...segment.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)];
    if (ws.length < 2 || ws.length > 8) continue;
    if (!ws.every((w) => /^[\p{Lu}\p{N}]/u.test(w[0]))) continue;
    const hasFunctionWord = ws.slice(1).some((w) => FUNCTION_WORDS.has(w[0].toLowerCase()));
    const known = ws.every((w) => {
      const tag = currentLexicon?.(w[0].toLowerCase());
      return tag !== undefined && !/Name|Person/u.test(tag);
    });
    // A line of its own, led by a word that is not a given name, with no name the lists know:
    // "Key Themes", "Housing Outcomes".
    const { names, givenWords } = lists();
    const ownLine =
      (m.index === 0 || text[m.index - 1] === '\n') &&
      (m.index + segment.length === text.length || text[m.index + segment.length] === '\n') &&
      lexiconWord(ws[0]?.[0].toLowerCase() ?? '') &&
      !givenWords.has(ws[0]?.[0].toLowerCase() ?? '') &&
      !ws.some((w) => names.has(w[0].toLowerCase()));
    if (!hasFunctionWord && !known && !ownLine) continue;
    const first = ws[0];
    const last = ws.at(-1);
    if (first && last) found.push([m.index + first.index, m.index + last.index + last[0].length]);
  }
  return found;
}

let currentLexicon: LexiconTag | undefined;

/** Gives this module the tagger's lexicon (word → tag), used to tell words from names. */
export function useLexicon(lexicon: LexiconTag): void {
  currentLexicon = lexicon;
}

// Lexicon tags of words that are never a name, even capitalised before a verb ("Both said").
const NEVER_NAME_TAGS =
  /Determiner|Pronoun|Preposition|Conjunction|QuestionWord|Value|Month|WeekDay|Date|Place|Adverb|Copula|Auxiliary|Negative/u;

/** A capitalised word that could be a given name or surname by its spelling and the lists. */
const nameShaped = (t: Token) => /^\p{Lu}(?:\p{Ll}|['’]\p{Lu}|\p{Lu}\p{Ll})[\p{L}'’-]*$/u.test(t.text);

const SEASONS = words('spring summer autumn winter');
const ABBREVIATIONS = words(
  'tmrw tmw pls plz txt fyi asap etc appt thurs tues weds wk wks hrs mins uni brum probs',
  // contractions typed without the apostrophe, and family words, which the name lists also hold
  'ive im id ill dont cant wont didnt doesnt isnt wasnt hes shes thats theyre youre weve theyve',
  'couldnt wouldnt shouldnt aint whats nan nana nanna gran granny grandad grandma grandpa mum mam dad',
);
// Lower-case parts of surnames: "van der Berg", "de Souza", "da Silva".
const PARTICLES = words('van der den de da di du le la von bin ibn');
// "Honor kept ringing": after "kept", what a person keeps doing.
const KEPT_DOING = words('ringing calling phoning texting messaging asking saying telling coming crying');
// "Patience is the one who...": a person singled out.
const ONE_WHO = /^\s+(?:is|was)\s+the\s+(?:one|person|woman|man|lad|girl|worker)\s+(?:who|that)\b/u;
// Lower-case words that could be names the lists do not hold ("gurpreet", "tunde"): unknown to the
// lexicon, not shaped like an English word, and not a service's or a typed shorthand.
const unknownLower = (w: string) =>
  w.length > 2 && !ABBREVIATIONS.has(w) && lexiconTag(w) === undefined && !wordByEnding(w);

/** Names found from the lists and cues (see the module comment). */
export function contextNames(text: string, isNotName: (word: string) => boolean = () => false): Range[] {
  const { names, nameWords, givenWords, places } = lists();
  const lexicon = currentLexicon;
  const tokens = tokenize(text);
  const isName = tokens.map(() => false);
  const position = new Map(tokens.map((t, i) => [t, i]));
  const knownWord = (w: string) => {
    const tag = lexicon?.(w);
    return tag !== undefined && !/Name|Person/u.test(tag);
  };
  const neverName = (w: string) => NEVER_NAME_TAGS.test(lexicon?.(w) ?? '') || isNotName(w);
  const nextWord = (i: number) => {
    const next = tokens[i + 1];
    const t = tokens[i];
    return next && t && !next.capitalised && /^\s+$/u.test(text.slice(t.end, next.start)) ? next : undefined;
  };
  /** "is worried", "was struggling", "has been": a person's state after "is", "was" or "has". */
  const stateAfter = (i: number) => {
    const verb = nextWord(i);
    const intensified = INTENSIFIERS.has(nextWord(i + 1)?.lower ?? '');
    const state = nextWord(intensified ? i + 2 : i + 1);
    const t = tokens[i];
    return (
      verb !== undefined &&
      /^(?:is|was|has|had|isn['’]?t|wasn['’]?t)$/u.test(verb.lower) &&
      ((state !== undefined && PERSON_STATES.has(state.lower)) ||
        // "was in a bad way", "is in tears"
        (t !== undefined &&
          /^\s+(?:is|was)\s+in\s+(?:a\s+(?:bad|good|right)\s+(?:way|state)|tears)\b/u.test(
            text.slice(t.end, t.end + 30),
          )))
    );
  };
  /** "jade from the council", "Sarah from housing": a person from a service. */
  const fromService = (i: number) => {
    const t = tokens[i];
    return t !== undefined && FROM_SERVICE.test(text.slice(t.end, t.end + 40));
  };
  const personOnlyAfter = (i: number) => PERSON_ONLY_VERBS.has(nextWord(i)?.lower ?? '');
  /** "Honor kept ringing", "Patience is the one who...": what only a person does or is. */
  const personAfter = (i: number) => {
    const t = tokens[i];
    const kept = nextWord(i);
    return (
      (kept?.lower === 'kept' && KEPT_DOING.has(nextWord(i + 1)?.lower ?? '')) ||
      (t !== undefined && ONE_WHO.test(text.slice(t.end, t.end + 40)))
    );
  };
  /** "Will turned up": only a person turns up. */
  const turnedUp = (i: number) => nextWord(i)?.lower === 'turned' && nextWord(i + 1)?.lower === 'up';
  /** "Faith and her worker", "nav and his brother": a person and someone of theirs. */
  const withTheirRole = (i: number) => {
    const t = tokens[i];
    return t !== undefined && AND_THEIR_ROLE.test(text.slice(t.end, t.end + 40));
  };
  const auxiliaryAfter = (i: number) => AUXILIARIES.has(nextWord(i)?.lower ?? '');
  /**
   * Whether a lower-case word is a short form of a name: a doubled consonant then -o or -a from any
   * name ("jonno", "tommo", "robbo", "macca"), or -y, -ie or -o on a name that is not a word
   * ("mikey", "deano"). Plain English endings ("bakery", "mostly") do not count.
   */
  const nicknameOf = (w: string) => {
    const doubled = /^(\p{L}{2,}?)(\p{L})\2[oa]$/u.exec(w);
    if (doubled) {
      const stem = `${doubled[1] ?? ''}${doubled[2] ?? ''}`;
      return stem.length >= 3 && (names.has(stem) || nameWords.has(stem) || lexiconName(stem));
    }
    const stem = /^(\p{L}{3,}?)(?:y|ie|o)$/u.exec(w)?.[1];
    return stem !== undefined && (names.has(stem) || (lexiconName(stem) && !knownWord(stem)));
  };
  const verbAfter = (i: number, narrow: boolean) => {
    const next = tokens[i + 1];
    const t = tokens[i];
    if (!next || !t || next.capitalised || !/^\s+$/u.test(text.slice(t.end, next.start))) return false;
    return PERSON_VERBS.has(next.lower) && !(narrow && NARROW_EXCLUDED.has(next.lower));
  };
  tokens.forEach((t, i) => {
    const w = t.lower;
    if (!t.whole || w.length < 2 || /\d/u.test(w) || ABBREVIATIONS.has(w) || FUNCTION_WORDS.has(w)) return;
    // Tested only where it decides, so the pattern does not run for every word.
    const strongCue = () => STRONG_CUE.test(text.slice(Math.max(0, t.start - 40), t.start));
    const onlyName = (names.has(w) || (lexiconName(w) && !nameWords.has(w))) && !knownWord(w);
    // Seasons are names only before a person's verb ("Autumn said"), never in a date.
    if (SEASONS.has(w) && t.capitalised && verbAfter(i, true)) {
      isName[i] = true;
      return;
    }
    if (neverName(w)) return;
    const previous = tokens[i - 1];
    const inRun = previous?.capitalised === true && joinedTokens(text, previous, t) && !t.sentenceStart;
    // "St Vincent", "Saint Paul", "HMP Wayland": a church, a charity, a place or a prison.
    if (
      previous !== undefined &&
      /^(?:st|saint|hmp|hmyoi)$/u.test(previous.lower) &&
      joinedTokens(text, previous, t)
    )
      return;
    if (t.capitalised) {
      if (!nameShaped(t)) return;
      if (places.has(w)) {
        // A place that is also a name, before what only a person does: "Hope said", "Ashton rang".
        if ((names.has(w) || nameWords.has(w)) && !inRun && personOnlyAfter(i)) isName[i] = true;
        return;
      }
      if (onlyName && (t.text.length > 2 || !t.sentenceStart)) isName[i] = true;
      else if (nameWords.has(w) || knownWord(w)) {
        // At a sentence's start only a given name ("Grace said"), not a surname that is a word
        // ("Most said", "Staff felt").
        // "Honour" is the British spelling of a given name the lists hold as "honor".
        const nameWord = t.sentenceStart
          ? givenWords.has(w) || givenWords.has(w.replace(/our$/u, 'or'))
          : nameWords.has(w);
        if (
          !inRun &&
          (verbAfter(i, true) ||
            personAfter(i) ||
            fromService(i) ||
            (!t.sentenceStart && strongCue()) ||
            // "Faith has moved", "Honor was tearful", "Will turned up", "Faith and her worker met"
            (t.sentenceStart && givenWords.has(w) && (stateAfter(i) || turnedUp(i) || withTheirRole(i))))
        )
          isName[i] = nameWord || names.has(w);
      } else if (
        !t.sentenceStart &&
        !inRun &&
        lexiconTag(w) === undefined &&
        !wordByEnding(w) &&
        !/ly$/u.test(w) &&
        !ORGANISATION_WORDS.has(w) &&
        strongCue()
      ) {
        // An unknown capitalised word after a cue: "me and Daz", "spoke to Fiifi".
        isName[i] = true;
      } else if (
        t.sentenceStart &&
        /^\p{Lu}\p{Ll}+$/u.test(t.text) &&
        (verbAfter(i, false) || auxiliaryAfter(i) || stateAfter(i) || withTheirRole(i)) &&
        lexiconTag(w) === undefined &&
        !wordByEnding(w)
      ) {
        // An unknown capitalised first word, then a person's verb: "Oluwaseun described...",
        // "Radoslaw did not want...".
        isName[i] = true;
      }
    } else if (/^\p{Ll}+(?:-\p{Ll}+)+$/u.test(w)) {
      // "kerry-ann", "mary-jane": a double name typed in lower case, each part a given name.
      const parts = w.split('-');
      if (parts.every((p) => names.has(p) || givenWords.has(p)) && parts.some((p) => names.has(p)))
        isName[i] = true;
    } else if (/^\p{Ll}{2}$/u.test(w)) {
      // A two-letter name the lists hold, first in a sentence and before a person's verb: "mo says".
      if (names.has(w) && t.sentenceStart && verbAfter(i, true)) isName[i] = true;
    } else if (/^\p{Ll}+$/u.test(w) && w.length > 2) {
      // A place typed in lower case after "in", "to", "from"... is a place ("moved to bristol").
      if (onlyName) isName[i] = !(places.has(w) && PLACE_PREPOSITIONS.has(previous?.lower ?? ''));
      // An unknown lower-case first word before what a person does or is: "gurpreet wants a job",
      // "gurpreet is worried"; not before "was" or "has", which things do too ("script was late").
      else if (
        t.sentenceStart &&
        !nameWords.has(w) &&
        unknownLower(w) &&
        (verbAfter(i, true) || stateAfter(i) || withTheirRole(i))
      )
        isName[i] = true;
      // A lower-case name the lists know, before a person's verb: "kofi came in early".
      else if (
        nameWords.has(w) &&
        !knownWord(w) &&
        verbAfter(i, true) &&
        (t.sentenceStart || previous?.lower === 'and')
      )
        isName[i] = true;
      else if (
        ((!knownWord(w) && !wordByEnding(w)) ||
          (nameWords.has(w) && (lexiconName(w) || givenWords.has(w)))) &&
        strongCue()
      )
        isName[i] = true;
      else if (nameWords.has(w) && lexiconName(w) && fromService(i)) isName[i] = true;
      // A short form of a name the lists know: "jonno", "tommo", "mikey", "deano"; or a British
      // short form in -az or -ez (Gary, Sharon, Kerry: "gaz", "shaz", "kez").
      else if (lexicon?.(w) === undefined && !nameWords.has(w) && (nicknameOf(w) || Z_SHORT_FORM.test(w)))
        isName[i] = true;
    }
  });
  // "X and Y": a name joined by "and" to a name-like word makes it one too ("kelly and sam").
  tokens.forEach((t, i) => {
    const and = tokens[i + 1];
    const other = tokens[i + 2];
    if (!other || and?.lower !== 'and') return;
    const nameLike = (x: Token) =>
      (names.has(x.lower) || nameWords.has(x.lower) || (!x.capitalised && unknownLower(x.lower))) &&
      !places.has(x.lower) &&
      !neverName(x.lower);
    if (isName[i] && !isName[i + 2] && nameLike(other) && other.capitalised === t.capitalised)
      isName[i + 2] = true;
    else if (isName[i + 2] && !isName[i] && nameLike(t) && other.capitalised === t.capitalised)
      isName[i] = true;
  });
  // "Gintare, her key worker, ...", "Her son, Kacper, ...": a capitalised word beside a person's
  // role set off by commas is a name, unless the lists or lexicon know it as a word or a place.
  const unknownWord = (x: Token) =>
    x.capitalised &&
    nameShaped(x) &&
    lexiconTag(x.lower) === undefined &&
    !places.has(x.lower) &&
    !neverName(x.lower) &&
    !wordByEnding(x.lower) &&
    !/ly$/u.test(x.lower) &&
    !ORGANISATION_WORDS.has(x.lower);
  tokens.forEach((t, i) => {
    if (isName[i] || !t.whole || !t.capitalised || !nameShaped(t) || neverName(t.lower)) return;
    if (!(unknownWord(t) || names.has(t.lower) || nameWords.has(t.lower))) return;
    const after = text.slice(t.end, t.end + 60);
    const before = text.slice(Math.max(0, t.start - 60), t.start);
    if (APPOSITIVE_AFTER.test(after) || APPOSITIVE_BEFORE.test(before)) isName[i] = !places.has(t.lower);
  });
  // A list of people: unknown words in a list with a name in it are names too ("Thandiwe,
  // Precious and Rumbi").
  for (const list of listsOfItems(text, tokens)) {
    // An item may be a name and a surname's initial: "Precious M, Zane, Mehmet".
    const single = list
      .filter((item) => item.length === 1 || (item.length === 2 && /^[B-HJ-Z]$/u.test(item[1]?.text ?? '')))
      .map((item) => item[0] as Token);
    if (single.length !== list.length) continue;
    const index = (x: Token) => position.get(x) ?? -1;
    if (isPeopleList(text, list) && single.every((x) => !neverName(x.lower))) {
      for (const x of single) isName[index(x)] = true;
      continue;
    }
    if (!single.some((x) => isName[index(x)] || names.has(x.lower))) continue;
    for (const x of single)
      if (
        unknownWord(x) ||
        (names.has(x.lower) && nameShaped(x) && !neverName(x.lower) && !places.has(x.lower))
      )
        isName[index(x)] = true;
  }
  // "Baljit’s son translated", "chidi's mum rang": a possessive before a relative or a worker is a
  // person's, when the lexicon does not know the word as a word.
  tokens.forEach((t, i) => {
    if (isName[i] || !/['’]s$/u.test(t.text) || neverName(t.lower) || places.has(t.lower)) return;
    const w = t.lower;
    const couldBeName = t.capitalised
      ? nameShaped(t) && !knownWord(w) && !wordByEnding(w) && !ORGANISATION_WORDS.has(w)
      : names.has(w) || unknownLower(w);
    if (couldBeName && RELATIVE_AFTER.test(text.slice(t.end + 2, t.end + 40))) isName[i] = true;
  });
  // "Interview 7 (Efosa, 34)", "Kelechi (29)": a word the lexicon does not know as a word, before
  // an age, is a person.
  tokens.forEach((t, i) => {
    if (isName[i] || !t.whole || !t.capitalised || !nameShaped(t) || neverName(t.lower)) return;
    if (knownWord(t.lower) || places.has(t.lower) || ORGANISATION_WORDS.has(t.lower)) return;
    if (AGE_AFTER.test(text.slice(t.end, t.end + 20))) isName[i] = true;
  });
  // "present: tola, bex, ivan, me": a lower-case list with a name or "me" in it is of people, and
  // its words that are not words are names.
  for (const list of lowerCaseLists(text, tokens)) {
    const index = (x: Token) => position.get(x) ?? -1;
    if (!list.some((x) => isName[index(x)] || names.has(x.lower) || x.lower === 'me')) continue;
    for (const x of list) if (names.has(x.lower) || unknownLower(x.lower)) isName[index(x)] = true;
  }
  // A capitalised name takes the capitalised words joined to it that could be names too
  // ("Nkechi Eze", "Olamide Bankole"), but not organisation, place or calendar words.
  const couldJoin = (x: Token | undefined) =>
    x !== undefined &&
    x.whole &&
    x.capitalised &&
    nameShaped(x) &&
    !FUNCTION_WORDS.has(x.lower) &&
    !ORGANISATION_WORDS.has(x.lower) &&
    !neverName(x.lower) &&
    (!knownWord(x.lower) || nameWords.has(x.lower));
  for (let i = tokens.length - 1; i > 0; i--) {
    const t = tokens[i];
    const previous = tokens[i - 1];
    if (
      isName[i] &&
      t?.capitalised &&
      !isName[i - 1] &&
      joinedTokens(text, previous, t) &&
      couldJoin(previous)
    )
      isName[i - 1] = true;
  }
  // "Ravi van der Berg", "Omar al-Farsi": a capitalised name runs on over the particles of a surname.
  for (let i = 0; i < tokens.length; i++) {
    if (!isName[i] || !tokens[i]?.capitalised) continue;
    let j = i + 1;
    while (PARTICLES.has(tokens[j]?.lower ?? '') && joinedTokens(text, tokens[j - 1], tokens[j])) j++;
    const surname = tokens[j];
    const attached = /^(?:al|el|bin|ibn|abu|ben)-\p{Lu}/u.test(surname?.text ?? '');
    if (surname === undefined || !joinedTokens(text, tokens[j - 1], surname)) continue;
    if ((j > i + 1 && surname.capitalised && nameShaped(surname)) || attached)
      for (let k = i + 1; k <= j; k++) isName[k] = true;
  }
  const found: Range[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isName[i]) continue;
    let j = i;
    // A capitalised name runs on over the capitalised words joined to it ("Olamide Bankole").
    while (
      (tokens[j]?.capitalised || isName[j]) &&
      joinedTokens(text, tokens[j], tokens[j + 1]) &&
      (isName[j + 1] || couldJoin(tokens[j + 1])) &&
      !/['’]s$/u.test(tokens[j]?.text ?? '')
    )
      j++;
    // "Precious M", "Sam K said": a capitalised name takes a surname's initial after it.
    const initial = tokens[j + 1];
    if (
      tokens[j]?.capitalised &&
      initial !== undefined &&
      /^[B-HJ-Z]$/u.test(initial.text) &&
      joinedTokens(text, tokens[j], initial) &&
      !/['’]s$/u.test(tokens[j]?.text ?? '') &&
      !/^\.?\p{L}/u.test(text.slice(initial.end, initial.end + 2))
    )
      j++;
    const first = tokens[i];
    const last = tokens[j];
    if (first && last) found.push([first.start, last.end]);
    i = j;
  }
  // Initials and their surname go whole: a name found inside them gives way.
  const initialled = initialledNames(text);
  return [...initialled, ...found.filter(([s, e]) => !initialled.some(([a, b]) => a < e && s < b))];
}
