/**
 * Free-text redaction, applied before any note or comment is stored. Each identifying span is
 * replaced by a placeholder that names its kind, never by anything derived from the removed text,
 * and callers are told kinds and counts only.
 *
 * How it works: the rules run in a fixed priority order over the original text. Each rule finds
 * spans; a span overlapping one already taken is cut back to the parts outside it, and taken spans
 * are blanked (spaces, same length) in a working copy so later rules cannot see or half-match them.
 * The rules run again until a pass finds nothing new, and placeholders already in the input are
 * blanked first and never counted: so redacting the output again changes nothing more. The output
 * is the original text with every span replaced by its placeholder.
 *
 * Dates: only a date introduced by a birth word ("DOB", "d.o.b.", "date of birth", "born",
 * "birthday") is removed; meeting dates, deadlines and years stay, because findings are made of them.
 * Names: listed names, titled names, then names from given-name and surname lists and cues (in any
 * case: "my worker dani", "Honor kept ringing"; see redaction/context.ts), then the `compromise`
 * tagger, which reads the text in bounded pieces so time stays linear. The last two keep places
 * (a UK gazetteer), organisations (a hand-kept list and Title Case names ending in Trust, House...)
 * and headings ("Summary Of Findings", "Tier 2").
 *
 * Measured against a labelled corpus by `npm run bench:redaction` (recall and precision per kind).
 */
import { createRequire as requireFrom } from 'node:module';
import type NlpType from 'compromise/two';
import { contextNames, keptRanges, ORGANISATION_WORDS, useLexicon, wordByEnding } from './redaction/context';

export type RedactionKind =
  | 'email'
  | 'pnc-id'
  | 'nhs-number'
  | 'national-insurance-number'
  | 'prison-number'
  | 'case-reference'
  | 'postcode'
  | 'phone'
  | 'date-of-birth'
  | 'name';

export interface RedactionOptions {
  /** Names to remove wherever they appear, e.g. the people an evaluator lists for one interview. */
  readonly names?: readonly string[];
}

export interface Redacted {
  readonly text: string;
  /** How many of each kind were removed (kinds with none are left out). */
  readonly removed: Partial<Record<RedactionKind, number>>;
}

/** One removed span of the input: `input.slice(start, end)` was replaced by the kind's placeholder. */
export interface RedactionSpan {
  readonly kind: RedactionKind;
  readonly start: number;
  readonly end: number;
}

export const PLACEHOLDER: Readonly<Record<RedactionKind, string>> = {
  email: '[email removed]',
  'pnc-id': '[PNC ID removed]',
  'nhs-number': '[NHS number removed]',
  'national-insurance-number': '[NI number removed]',
  'prison-number': '[prison number removed]',
  'case-reference': '[case reference removed]',
  postcode: '[postcode removed]',
  phone: '[phone number removed]',
  'date-of-birth': '[date of birth removed]',
  name: '[name removed]',
};

type Range = readonly [start: number, end: number];
type Finder = (text: string, options: RedactionOptions) => Iterable<Range>;

// ── identifiers with a fixed shape ──

function* matches(pattern: RegExp, text: string, accept: (m: RegExpExecArray) => boolean = () => true) {
  for (const m of text.matchAll(pattern)) {
    if (accept(m)) yield [m.index, m.index + m[0].length] as const;
  }
}

// Starts only where a run of local-part characters starts, so a long word is scanned once, not once
// per letter.
const EMAIL = /(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/giu;

// PNC ID: 2- or 4-digit year, slash, serial of up to 7 digits, check letter. The slash may be left
// out only in the full 4+7 form, where the digits cannot be mistaken for anything shorter.
const PNC = /(?<![\p{L}\p{N}/])(?:(\d{2}|\d{4})\/(\d{1,7})|(\d{4})(\d{7}))([A-Z])(?![\p{L}\p{N}])/giu;
// I, O and S are never check letters; Z stands for remainder 0.
const PNC_CHECK_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY';

/** Whether a PNC ID's check letter is right: (2-digit year then 7-digit serial) mod 23. */
export function isValidPncId(year: string, serial: string, check: string): boolean {
  const operand = Number(year.slice(-2) + serial.padStart(7, '0'));
  return PNC_CHECK_LETTERS[operand % 23] === check.toUpperCase();
}

// NHS number: 10 digits, unbroken or 3-3-4 with the same separator twice.
const NHS = /(?<![\p{L}\p{N}+]|\d[ -])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\p{L}\p{N}])(?![ -]\d)/gu;

/** Whether 10 digits pass the NHS modulus 11 check (weights 10 to 2; 11 counts as 0; 10 is never valid). */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

// HMRC format: two prefix letters, six digits, suffix A-D; spaces optional. Any prefix letters are
// taken (not only the ones HMRC issues): a missed number costs more than an over-redacted word.
const NI = /\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi;
// Prison (NOMS) number: one letter, four digits, two letters, e.g. A1234BC.
const PRISON_NUMBER = /\b[A-Z]\d{4}[A-Z]{2}\b/gi;
// Probation case reference number: one letter and six digits.
const CASE_REFERENCE = /\b[A-Z]\d{6}\b/gi;
const POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/gi;
// UK numbers: +44 or 0, then nine or ten more digits with optional spaces, dashes or brackets
// ("(07700) 900 231" has a bracket and a space together).
const PHONE = /(?:\+44[\s-]?\(?0?\)?|\(?\b0)(?:[\s()-]{0,2}\d){9,10}\b/g;

// ── dates of birth ──
// Only a date introduced by a birth word is removed: meeting dates, deadlines and years are what
// findings are made of. The birth word itself stays, so the sentence still reads.

/**
 * `pattern` made case-insensitive letter by letter ("may" → "[mM][aA][yY]"), for patterns that also
 * use \p{Lu}: with the `i` flag that would match any letter. Escapes such as \s are kept.
 */
const anyCase = (pattern: string) =>
  pattern.replace(/\\.|\p{L}/gu, (c) =>
    c.startsWith('\\') || c.toLowerCase() === c.toUpperCase() ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`,
  );

const MONTH = anyCase(
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?',
);
const DAY = `(?:[12]\\d|3[01]|0?[1-9])${anyCase('(?:st|nd|rd|th)?')}`;
const FULL_DATE = [
  // ISO, year first ("1987-11-04"): before the bare year below, so the date is removed whole.
  '(?:19|20)\\d{2}[/.-](?:1[0-2]|0?[1-9])[/.-](?:[12]\\d|3[01]|0?[1-9])',
  '(?:[12]\\d|3[01]|0?[1-9])[/.-](?:1[0-2]|0?[1-9])[/.-](?:\\d{4}|\\d{2})',
  `${DAY}(?:\\s+${anyCase('of')})?\\s+${MONTH}(?:,?\\s+(?:\\d{4}|'?\\d{2}))?`,
  `${MONTH}\\s+${DAY}(?:,?\\s+\\d{4})?`,
  `${MONTH},?\\s+\\d{4}`,
];
const DATE = [
  ...FULL_DATE,
  '(?:19|20)\\d{2}',
  // "born '96": a year with an apostrophe for its century
  "['’](?:[4-9]\\d|0\\d|1\\d)",
].join('|');
const BIRTH_WORD = anyCase("(?:d\\.?\\s?o\\.?\\s?b|date\\s+of\\s+birth|born|birthday|b['’]?day)");
// Between the birth word and the date: spaces, punctuation, a few linking words, or capitalised words
// ("born in Leeds in 1990"); never a sentence end, so a date in the next sentence is safe.
const LINK = `(?:[^\\S\\n]|[:;,=(–—-]|\\.(?=\\s*\\d)|${anyCase('(?:is|was|on|in|of|the|as|given|recorded)')}(?!\\p{L})|\\p{Lu}[\\p{Ll}'’]+(?=[\\s,]))`;
const DOB_AFTER_WORD = new RegExp(
  `(?<![\\p{L}\\p{N}])${BIRTH_WORD}\\.?(?![\\p{L}\\p{N}])${LINK}{0,12}?(?<date>${DATE})(?![\\p{L}\\p{N}])`,
  'gud',
);
// "12/03/1998 (DOB)"
const DOB_BEFORE_WORD = new RegExp(
  `(?<![\\p{L}\\p{N}])(?<date>${DATE})\\s*\\(\\s*${anyCase('(?:d\\.?o\\.?b\\.?|date of birth)')}\\s*\\)`,
  'gud',
);

// "DOB 1990-02-28 on the form is wrong, should be 1990-03-28": a full date given as a correction in
// the same sentence as a date of birth is one too.
const DOB_CORRECTION = new RegExp(
  `^[^.!?\\n]{0,60}?${anyCase('(?:should\\s+(?:be|read)|corrected\\s+to|actually|not|or\\s+maybe|really)')}[\\s:,]+(?<date>${FULL_DATE.join('|')})(?![\\p{L}\\p{N}])`,
  'ud',
);

// Every birth word contains one of these: texts without any skip the two long patterns.
const BIRTH_HINT = /d\.?\s?o\.?\s?b|birth|born|b['’]?day/iu;

function* datesOfBirth(text: string): Iterable<Range> {
  if (!BIRTH_HINT.test(text)) return;
  for (const pattern of [DOB_AFTER_WORD, DOB_BEFORE_WORD]) {
    for (const m of text.matchAll(pattern)) {
      const range = m.indices?.groups?.date;
      if (!range) continue;
      yield range;
      const correction = DOB_CORRECTION.exec(text.slice(range[1], range[1] + 160))?.indices?.groups?.date;
      if (correction) yield [range[1] + correction[0], range[1] + correction[1]] as const;
    }
  }
}

// ── people's names ──

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The names the caller listed, whole-word and case-insensitive, and also the first or last part of a
 * listed full name on its own ("Dana Whitfield" also removes "Dana" and "Whitfield").
 */
function* listedNames(text: string, options: RedactionOptions): Iterable<Range> {
  const forms = new Set<string>();
  for (const name of options.names ?? []) {
    const parts = name
      .trim()
      .split(/\s+/u)
      .filter((p) => p.length > 1);
    const first = parts[0];
    const last = parts.at(-1);
    if (!first || !last) continue;
    forms.add(parts.join(' '));
    forms.add(first);
    forms.add(last);
  }
  if (forms.size === 0) return;
  const alternatives = [...forms]
    .sort((a, b) => b.length - a.length)
    .map((f) => escapeRegExp(f).replace(/ /g, '\\s{1,3}').replace(/['’]/g, "['’]"));
  yield* matches(
    new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu'),
    text,
  );
}

const words = (...lines: string[]) => new Set(lines.join(' ').split(' '));

// Capitalised words that are not people in this domain's notes. Calendar and service words are never
// names, even after a title ("Ms Teams"); places are not names on their own, but a place word after a
// title is a surname ("Ms Holloway", "Dr Kingston").
const CALENDAR = words(
  'monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday',
  'january february march april may june july august september october november december',
  'christmas easter ramadan eid diwali summer winter spring autumn holiday holidays',
);
const SERVICES = words(
  'probation housing options universal credit job centre center jobcentre plus council citizens advice',
  'turning point shelter mind samaritans change grow live hub wellbeing house home hostel approved',
  'premises service services team teams trust partnership project programme network foundation group',
  'surgery hospital clinic court courts magistrates crown police prison hmp hmyoi hmpps nhs gp dwp',
  'pip esa uc vcse mappa iom cas3 crc oasys first gate link worker practitioner officer manager lead',
  'peer mentor st saint food bank street road lane avenue drive close way square estate park college',
  'school university library church mosque temple gurdwara zoom whatsapp google microsoft',
  'smart recovery crisis nacro catch22 sova unlock',
  // people-on-probation shorthand: person on probation, probation officer, offender manager
  'pop pops po ppo om com pom',
  // form labels, capitalised in notes copied from forms ("Date of Birth", "Phone Number")
  'date birth dob number ref reference postcode address phone mobile tel email',
  // the everyday words of this work, which the name lists also hold as rare names or surnames
  // ("Caseload feels heavy", "staff asked for diary reminders")
  'caseload caseloads diary diaries referral referrals appointment appointments session sessions',
  'supervision training rota shift shifts handover paperwork assessment assessments review reviews',
);
const PLACES = words(
  'england britain uk london yorkshire humber humberside leeds bradford wakefield sheffield hull york',
  'doncaster rotherham barnsley huddersfield halifax kirklees calderdale harrogate scarborough',
  'grimsby scunthorpe dewsbury keighley pontefract castleford batley selby goole harehills chapeltown',
  'newcastle gateshead sunderland durham middlesbrough darlington hartlepool stockton redcar blyth',
  'ashington hexham morpeth jarrow shields tyneside teesside wearside northumberland tyne tees wear',
  'consett byker wallsend washington cleveland lambeth southwark hackney camden islington brixton',
  'croydon lewisham newham hamlets peckham stratford wandsworth haringey tottenham enfield barnet',
  'ealing brent harrow hounslow hammersmith fulham kensington chelsea westminster greenwich bromley',
  'bexley merton kingston richmond walthamstow barking dagenham havering redbridge hillingdon',
  'holloway pentonville belmarsh thameside isis wormwood scrubs bronzefield downview feltham',
  'wealstun moorland lindholme hatfield everthorpe wolds askham grange frankland deerbolt acklington',
  'kirklevington holme newton manchester liverpool birmingham bristol cardiff glasgow edinburgh',
  'north south east west northern southern eastern western midlands',
  // nationalities and languages a note may capitalise
  'english british polish romanian urdu punjabi arabic somali kurdish welsh scottish irish',
  // faiths, and the medicines notes name ("on Methadone")
  'muslim muslims sikh sikhs hindu hindus christian christians jewish buddhist catholic islam islamic',
  'methadone subutex buprenorphine espranor naloxone sertraline citalopram fluoxetine mirtazapine',
  'diazepam pregabalin gabapentin tramadol codeine zopiclone quetiapine olanzapine',
);

const bare = (word: string) => word.toLowerCase().replace(/['’]s$/u, '');
const isCalendarOrService = (word: string) => CALENDAR.has(bare(word)) || SERVICES.has(bare(word));
const isNotName = (word: string) => {
  const w = bare(word);
  return CALENDAR.has(w) || SERVICES.has(w) || PLACES.has(w);
};

// A title and a name or initials: "Mr K", "Mrs Smith", "Ms J. Patel", "Dr Okafor", whole words only
// ("Mr Okafor AA0" takes "Mr Okafor", not "AA" of "AA0"). "MS" is left out
// (MS Teams, multiple sclerosis) and "Miss" is taken only capitalised ("I miss Leeds").
const TITLE =
  /(?<![\p{L}\p{N}])(?:(?:Mrs|Mr|Ms|Mx|Miss|Dr|Prof|MRS|MR|MISS|DR)\.?\s{1,3}(?:(?:\p{Lu}\.?\s{1,3}){0,2}\p{Lu}[\p{L}'’-]*(?![\p{L}\p{N}])(?:\s{1,3}\p{Lu}[\p{L}'’-]+(?![\p{L}\p{N}]))?|\p{Lu}\.?(?![\p{L}]))|(?:mrs|mr|ms|mx)\.?\s{1,3}(?:\p{Ll}[\p{L}'’-]*(?![\p{L}\p{N}])|\p{L}\.?(?![\p{L}])))/gu;

function* titledNames(text: string): Iterable<Range> {
  for (const m of text.matchAll(TITLE)) {
    const parts = m[0].split(/\s+/u).slice(1);
    // A place word after a title is a surname ("Ms Holloway"); a day, month or service is not
    // ("Dr Okafor Tuesday", "Ms Teams").
    while (parts.length > 1 && isCalendarOrService(parts.at(-1) ?? '')) parts.pop();
    const lastPart = parts.at(-1) ?? '';
    if (isCalendarOrService(parts[0] ?? '')) continue;
    const kept = m[0].slice(0, m[0].lastIndexOf(lastPart) + lastPart.length);
    yield [m.index, m.index + kept.replace(/['’]s$/u, '').length];
  }
}

interface NlpTerm {
  readonly text: string;
  readonly pre: string;
  readonly post: string;
  readonly tags: readonly string[];
  readonly offset: { readonly start: number; readonly length: number };
}

let nlpLoaded: typeof NlpType | undefined;
let lexiconTag: ((word: string) => string | undefined) | undefined;

/**
 * The name tagger, loaded on first use rather than at import: evaluating its lexicon takes a few
 * hundred milliseconds, which would otherwise land on every cold start of every function that can
 * redact, including those that never see a name. The load is synchronous so the API stays so. In a
 * Lambda bundle `require` exists and esbuild inlines the module behind the literal
 * `require('compromise/two')`, evaluating it only when that line runs; unbundled ES modules (tsx,
 * vitest) have no `require`, so one is made for them. `compromise/two` (tagger, no named selections)
 * is used rather than the full build: `.people()` is a match on the same tags, and it is smaller.
 */
function nlp(): typeof NlpType {
  if (!nlpLoaded) {
    const bundled = typeof require === 'function';
    nlpLoaded = (
      bundled
        ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy and synchronous (see above)
          require('compromise/two')
        : requireFrom(import.meta.url)('compromise/two')
    ) as typeof NlpType;
    const lexicon = (nlpLoaded.model() as { one: { lexicon: Record<string, string | string[]> } }).one
      .lexicon;
    lexiconTag = (word) => {
      const tag = Object.hasOwn(lexicon, word) ? lexicon[word] : undefined;
      return Array.isArray(tag) ? tag.join(' ') : tag;
    };
    useLexicon(lexiconTag);
  }
  return nlpLoaded;
}

// Tags that mean a capitalised word is something other than a person.
const NOT_PERSON_TAGS = ['Place', 'Organization', 'Date', 'Acronym', 'Demonym', 'Value', 'Month', 'WeekDay'];
// Tags that mean a sentence's first word is not the start of a name ("Met Priya", "The Hub").
const NOT_LEADING_NAME_TAGS = [
  ...NOT_PERSON_TAGS,
  'Verb',
  'Adverb',
  'Determiner',
  'Preposition',
  'Conjunction',
  'Pronoun',
  'QuestionWord',
];

const isCapitalised = (word: string) => /^\p{Lu}\p{Ll}/u.test(word);

function isNameTerm(term: NlpTerm, sentenceStart: boolean): boolean {
  // Lower-case words are left to the listed names: the tagger calls "grant" or "will" a name too.
  if (!/^\p{Lu}/u.test(term.text) || isNotName(term.text)) return false;
  const tags = new Set(term.tags);
  if (tags.has('Person')) return !tags.has('Place') && !tags.has('Organization');
  // A capitalised word the tagger can only call a proper noun, mid-sentence, is most often a name it
  // does not know (Priya, Okonjo, Nkechi); places and services are filtered out above.
  return (
    !sentenceStart &&
    tags.has('ProperNoun') &&
    isCapitalised(term.text) &&
    !wordByEnding(term.text) &&
    !NOT_PERSON_TAGS.some((t) => tags.has(t))
  );
}

/** Whether a sentence's first word could begin a name, given what follows it. */
const couldLeadName = (term: NlpTerm) =>
  isCapitalised(term.text) &&
  !isNotName(term.text) &&
  !NOT_LEADING_NAME_TAGS.some((t) => term.tags.includes(t));

/**
 * Two terms written as one name: only spaces, an initial's full stop or a hyphen between them. Any
 * amount of space: a blanked span is a run of spaces whose length differs between a first and a
 * second redaction, and a decision that depended on it would not be repeatable.
 */
const joined = (a: NlpTerm | undefined, b: NlpTerm | undefined) =>
  a !== undefined && b !== undefined && /^(?:\.?\s+|-)$/u.test(a.post) && b.pre === '';

/** Longest piece of text the tagger is given at once (see `pieces`). */
const MAX_PIECE = 300;

/**
 * `text` cut into pieces of at most MAX_PIECE characters, at a sentence end if there is one in the
 * second half of the piece, else at a space, else anywhere. The tagger treats a run without
 * sentence breaks as one sentence and its time grows faster than the length; bounded pieces keep
 * the whole linear in the text, whatever the punctuation.
 */
export function pieces(text: string): Range[] {
  const found: Range[] = [];
  let at = 0;
  while (text.length - at > MAX_PIECE) {
    const window = text.slice(at, at + MAX_PIECE);
    let cut = -1;
    for (const m of window.matchAll(/[.!?\n]\s/gu)) if (m.index >= MAX_PIECE / 2) cut = m.index + 1;
    if (cut < 0) cut = window.lastIndexOf(' ') > MAX_PIECE / 2 ? window.lastIndexOf(' ') : MAX_PIECE;
    found.push([at, at + cut]);
    at += cut;
  }
  found.push([at, text.length]);
  return found;
}

/** Tagger results by piece text, for one call of `findRedactions`: unchanged pieces are not tagged again. */
let taggedPieces: Map<string, readonly Range[]> | undefined;
/** Positions of organisations, places and headings in the current call's input (see `keptRanges`). */
let keptPositions: Uint8Array | undefined;

// Lexicon tags of words the tagger never reads as a person: "The", "She", "In", "When", "Also", "Was", "Said".
const NEVER_PERSON_LEXICON =
  /^(?:Determiner|Pronoun|Preposition|Conjunction|QuestionWord|Adverb|Copula|Negative|PastTense)/u;

/**
 * Whether the tagger could find a name in `piece` (at `offset` in the input): only if some
 * capitalised word in it is neither kept (a name overlapping a kept span is dropped anyway), nor a
 * word that is never a name (isNotName), nor one the lexicon knows only as a function word. Most
 * pieces of notes hold no such word, and skipping them saves most of the tagger's time.
 */
function mayHoldName(piece: string, offset: number): boolean {
  for (const m of piece.matchAll(/\p{Lu}[\p{L}'’-]*/gu)) {
    if (keptPositions?.[offset + m.index]) continue;
    if (isNotName(m[0])) continue;
    if (NEVER_PERSON_LEXICON.test(lexiconTag?.(m[0].toLowerCase()) ?? '')) continue;
    return true;
  }
  return false;
}

/** People's names found by the `compromise` part-of-speech tagger, piece by piece (see `pieces`). */
function recognisedNames(text: string): Range[] {
  const found: Range[] = [];
  for (const [start, end] of pieces(text)) {
    const piece = text.slice(start, end);
    let ranges = taggedPieces?.get(piece);
    if (!ranges) {
      ranges = mayHoldName(piece, start) ? taggedNames(piece) : [];
      taggedPieces?.set(piece, ranges);
    }
    for (const [s, e] of ranges) found.push([start + s, start + e]);
  }
  return found;
}

/** People's names found by the `compromise` part-of-speech tagger, tuned for this domain. */
function taggedNames(text: string): Range[] {
  if (!/\p{Lu}/u.test(text)) return [];
  const sentences = nlp()(text).json({ offset: true, terms: { offset: true } }) as readonly {
    terms: readonly NlpTerm[];
  }[];
  const found: Range[] = [];
  for (const sentence of sentences) {
    // compromise splits contractions into extra terms with no text of their own.
    const terms = sentence.terms.filter((t) => t.text !== '');
    // compromise does not always split sentences after a quote or a day name: check the punctuation.
    const start = terms.map((_, i) => i === 0 || /[.!?]/u.test(terms[i - 1]?.post ?? ''));
    const name = terms.map((t, i) => isNameTerm(t, start[i] ?? false));
    terms.forEach((term, i) => {
      if (!start[i]) return;
      const next = terms[i + 1];
      if (!name[i] && couldLeadName(term) && joined(term, next)) {
        // The tagger cannot tell a capitalised first word from a name: take it when a name follows
        // ("Priya Shah said") or it is joined to one by "and" ("Marek and Ola").
        if (name[i + 1]) name[i] = true;
        else if (next?.text.toLowerCase() === 'and' && joined(next, terms[i + 2]) && name[i + 2])
          name[i] = true;
      } else if (
        name[i] &&
        !name[i + 1] &&
        joined(term, next) &&
        next?.tags.includes('Noun') &&
        !/['’]s$/u.test(term.text)
      ) {
        // A first name the tagger knows, directly before a noun, is that word's other meaning
        // ("Grace period", "Buddy system", "Bill payments").
        if (!next.tags.includes('Pronoun')) name[i] = false;
      }
    });
    for (let i = 0; i < terms.length; i++) {
      if (!name[i]) continue;
      let j = i;
      while (name[j + 1] && joined(terms[j], terms[j + 1])) j++;
      const run = terms.slice(i, j + 1);
      const before = terms[i - 1];
      const after = joined(terms[j], terms[j + 1]) ? terms[j + 1] : undefined;
      const organisation =
        [...run, after].some((t) => t !== undefined && ORGANISATION_WORDS.has(bare(t.text))) ||
        (before !== undefined && /^(?:hmp|hmyoi|st|saint)$/iu.test(before.text));
      const first = run[0];
      const last = run.at(-1);
      if (first && last && !organisation && run.some((t) => !t.tags.includes('Honorific'))) {
        // A possessive "'s" stays outside the span: "[name removed]'s".
        const end = last.offset.start + last.offset.length - (/['’]s$/u.test(last.text) ? 2 : 0);
        // Only whole words: the tokenizer can split "Sam19" or "x/Sam", which are not names as written.
        const wholeWord =
          !/[\p{L}\p{N}]/u.test(text[first.offset.start - 1] ?? '') && !/[\p{L}\p{N}]/u.test(text[end] ?? '');
        if (wholeWord) found.push([first.offset.start, end]);
      }
      i = j;
    }
  }
  return found;
}

// ── the pipeline ──

// Order matters: an email can contain digits that look like a phone number, an NHS number is a
// 10-digit number that could pass for a phone number, and a prison number contains digits a case
// reference or postcode rule could half-match. Names come last: they are the least certain.
const RULES: readonly { kind: RedactionKind; find: Finder; untilStable?: true; keep?: true }[] = [
  { kind: 'email', find: (t) => matches(EMAIL, t) },
  {
    kind: 'pnc-id',
    find: (t) => matches(PNC, t, (m) => isValidPncId(m[1] ?? m[3] ?? '', m[2] ?? m[4] ?? '', m[5] ?? '')),
  },
  {
    kind: 'nhs-number',
    find: (t) => matches(NHS, t, (m) => isValidNhsNumber(`${m[1] ?? ''}${m[3] ?? ''}${m[4] ?? ''}`)),
  },
  { kind: 'national-insurance-number', find: (t) => matches(NI, t) },
  { kind: 'prison-number', find: (t) => matches(PRISON_NUMBER, t) },
  { kind: 'case-reference', find: (t) => matches(CASE_REFERENCE, t) },
  { kind: 'postcode', find: (t) => matches(POSTCODE, t) },
  { kind: 'phone', find: (t) => matches(PHONE, t) },
  { kind: 'date-of-birth', find: datesOfBirth },
  { kind: 'name', find: listedNames },
  { kind: 'name', find: titledNames },
  // From here on, spans of organisations, places and headings are kept (see redaction/context.ts).
  {
    kind: 'name',
    find: (t) => contextNames(t, isNotName),
    keep: true,
  },
  // The tagger reads context, so blanking one name can make it see the next ("Will Grace": once
  // "Will" is gone, "Grace" reads as a name). It is run again over the blanked text until it finds
  // nothing new, so that redacting the output again would change nothing more.
  { kind: 'name', find: recognisedNames, untilStable: true, keep: true },
];

const MAX_TAGGER_RUNS = 4;
const MAX_PASSES = 4;

const PLACEHOLDERS = new RegExp(Object.values(PLACEHOLDER).map(escapeRegExp).join('|'), 'g');

/**
 * The parts of `range` outside every taken position (`taken[i]` is 1 when position i is in a span
 * already), trimmed of spaces and punctuation at the edges. Linear in the range's length.
 */
function outside([start, end]: Range, taken: Uint8Array, text: string): Range[] {
  const pieces: Range[] = [];
  for (let a = start; a < end;) {
    while (a < end && taken[a]) a++;
    let b = a;
    while (b < end && !taken[b]) b++;
    let [s, e] = [a, b];
    while (s < e && /[\s.,;:!?]/u.test(text[s] ?? '')) s++;
    while (e > s && /[\s,;:!?]/u.test(text[e - 1] ?? '')) e--;
    if (e > s) pieces.push([s, e]);
    a = b;
  }
  return pieces;
}

const marked = (mask: Uint8Array, [start, end]: Range) => mask.subarray(start, end).includes(1);

/**
 * Where the identifying spans of `input` are, in input order and never overlapping. Exported for
 * measurement (the corpus benchmark and tests compare these spans with labelled ones).
 *
 * Time is linear in the input: taken and kept positions are masks, blanking is done once per rule
 * run, and the tagger sees bounded pieces (see `pieces`).
 */
export function findRedactions(input: string, options: RedactionOptions = {}): RedactionSpan[] {
  const taken = new Uint8Array(input.length);
  // Placeholders already present (from an earlier pass) are neither redacted nor counted.
  for (const m of input.matchAll(PLACEHOLDERS)) taken.fill(1, m.index, m.index + m[0].length);
  let working = blankAll(input, taken);
  const spans: RedactionSpan[] = [];
  // Organisations, places and headings, found once in the input (with placeholders blanked).
  let kept: Uint8Array | undefined;
  taggedPieces = new Map();
  // Rules look at their neighbours ("Smith07700" has no word boundary before the 0; an NHS number
  // followed by another number looks like part of a longer one). Once a neighbour is blanked a rule
  // may match where it did not, so the rules run again until a pass adds nothing: then redacting the
  // output again changes nothing more. The tagger is only rerun if the text changed since it last ran.
  let taggerSaw: string | undefined;
  for (let pass = 0, changed = true; changed && pass < MAX_PASSES; pass++) {
    changed = false;
    for (const { kind, find, untilStable, keep } of RULES) {
      if (untilStable && working === taggerSaw) continue;
      if (keep && !kept) {
        nlp(); // its lexicon tells headings made of words from names
        kept = new Uint8Array(input.length);
        for (const [s, e] of keptRanges(working)) kept.fill(1, s, e);
        keptPositions = kept;
      }
      for (let run = 0; run < (untilStable ? MAX_TAGGER_RUNS : 1); run++) {
        const found = [...find(working, options)]
          .filter((range) => !keep || !kept || !marked(kept, range))
          .flatMap((range) => outside(range, taken, input));
        let added = 0;
        for (const range of found) {
          if (marked(taken, range)) continue;
          const [start, end] = range;
          taken.fill(1, start, end);
          spans.push({ kind, start, end });
          added++;
        }
        if (added === 0) break;
        working = blankAll(input, taken);
        changed = true;
      }
      if (untilStable) taggerSaw = working;
    }
  }
  taggedPieces = undefined;
  keptPositions = undefined;
  return spans.sort((a, b) => a.start - b.start);
}

/** `text` with every taken position blanked by a space: same length, so offsets hold. */
function blankAll(text: string, taken: Uint8Array): string {
  if (!taken.includes(1)) return text;
  let out = '';
  for (let a = 0; a < text.length;) {
    let b = a;
    while (b < text.length && !taken[b]) b++;
    out += text.slice(a, b);
    a = b;
    while (b < text.length && taken[b]) b++;
    out += ' '.repeat(b - a);
    a = b;
  }
  return out;
}

/**
 * Removes identifying details from free text: emails, PNC IDs, NHS numbers (checksum-valid), NI
 * numbers, prison numbers, case references, postcodes, phone numbers, dates of birth and people's
 * names (the ones listed in `options.names`, titled names, and names the tagger recognises).
 * @example redactFreeText('Call me on 07700 900123') // { text: 'Call me on [phone number removed]', removed: { phone: 1 } }
 */
export function redactFreeText(input: string, options: RedactionOptions = {}): Redacted {
  const removed: Partial<Record<RedactionKind, number>> = {};
  let text = '';
  let at = 0;
  for (const { kind, start, end } of findRedactions(input, options)) {
    text += input.slice(at, start) + PLACEHOLDER[kind];
    at = end;
    removed[kind] = (removed[kind] ?? 0) + 1;
  }
  return { text: text + input.slice(at), removed };
}
