import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findRedactions,
  isValidNhsNumber,
  isValidPncId,
  PLACEHOLDER,
  redactFreeText,
  type RedactionKind,
} from '../../shared/domain/redaction';
import { locateLabels, REDACTION_CORPUS, scoreCorpus } from '../fixtures/redaction-corpus';

const total = (removed: Partial<Record<RedactionKind, number>>) =>
  Object.values(removed).reduce((a, b) => a + b, 0);

const countOf = (text: string, part: string) => text.split(part).length - 1;

/** The NHS check digit for nine digits, or undefined where none exists (the check comes to 10). */
function nhsCheckDigit(nine: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 10 ? undefined : check % 11;
}

describe('redactFreeText', () => {
  it.each([
    ['Email jo.bloggs@example.org please', 'email', 'Email [email removed] please'],
    ['Ring 07700 900123 after 5', 'phone', 'Ring [phone number removed] after 5'],
    ['Office 0113 496 0000', 'phone', 'Office [phone number removed]'],
    ['Or +44 7700 900456', 'phone', 'Or [phone number removed]'],
    ['Mobile (07700) 900 231 is off', 'phone', 'Mobile [phone number removed] is off'],
    ['NI QQ 12 34 56 C on file', 'national-insurance-number', 'NI [NI number removed] on file'],
    ['Lives near LS1 4AP now', 'postcode', 'Lives near [postcode removed] now'],
    ['postcode se15 4ab', 'postcode', 'postcode [postcode removed]'],
    ['Case X123456 was moved', 'case-reference', 'Case [case reference removed] was moved'],
    ['NHS no. 999 151 4503 given', 'nhs-number', 'NHS no. [NHS number removed] given'],
    ['NHS 999-134-6899 checked', 'nhs-number', 'NHS [NHS number removed] checked'],
    ['nhs 9996928276 ok', 'nhs-number', 'nhs [NHS number removed] ok'],
    ['PNC 19/123456E on file', 'pnc-id', 'PNC [PNC ID removed] on file'],
    ['PNC ID 2019/0123456E confirmed', 'pnc-id', 'PNC ID [PNC ID removed] confirmed'],
    ['Prison number A1234BC, released', 'prison-number', 'Prison number [prison number removed], released'],
    ['NOMS no. g4821kd on the form', 'prison-number', 'NOMS no. [prison number removed] on the form'],
    ['DOB: 12/03/1998, no GP', 'date-of-birth', 'DOB: [date of birth removed], no GP'],
    ['d.o.b. 21st September 1985 noted', 'date-of-birth', 'd.o.b. [date of birth removed] noted'],
    ['born on the 4th of July 1980 in Hull', 'date-of-birth', 'born on the [date of birth removed] in Hull'],
    ['born in March 1999 apparently', 'date-of-birth', 'born in [date of birth removed] apparently'],
    ['his birthday is 9th August', 'date-of-birth', 'his birthday is [date of birth removed]'],
    ['date of birth 03-11-88 checked', 'date-of-birth', 'date of birth [date of birth removed] checked'],
    ['12/03/1998 (DOB) confirmed', 'date-of-birth', '[date of birth removed] (DOB) confirmed'],
    ['"Mr K never rang back."', 'name', '"[name removed] never rang back."'],
    ['Asked Mrs Smith about it', 'name', 'Asked [name removed] about it'],
    ['Ms J. Patel confirmed the referral', 'name', '[name removed] confirmed the referral'],
    ['Thanks to Dr Okafor for the letter', 'name', 'Thanks to [name removed] for the letter'],
    ['"Miss Bennett referred me."', 'name', '"[name removed] referred me."'],
    ['Mx Rowe ran the group', 'name', '[name removed] ran the group'],
    ['mr smith did not attend', 'name', '[name removed] did not attend'],
    ['Met with Priya Shah in Leeds on Tuesday.', 'name', 'Met with [name removed] in Leeds on Tuesday.'],
    ["Sam's partner came along.", 'name', "[name removed]'s partner came along."],
  ])('removes the identifier in %j', (input, kind, expected) => {
    // Act
    const result = redactFreeText(input);

    // Assess
    expect(result.text).toBe(expected);
    expect(result.removed).toEqual({ [kind]: 1 });
  });

  it('removes each identifier in a referral note and counts each kind', () => {
    const result = redactFreeText(
      'Referral for Amelia Clarke, DOB: 12/03/1998, postcode NE6 2XY, phone 07700 900111, NHS 999 501 0968.',
    );

    expect(result.text).toBe(
      'Referral for [name removed], DOB: [date of birth removed], postcode [postcode removed], ' +
        'phone [phone number removed], NHS [NHS number removed].',
    );
    expect(result.removed).toEqual({
      name: 1,
      'date-of-birth': 1,
      postcode: 1,
      phone: 1,
      'nhs-number': 1,
    });
  });

  it.each([
    'Caseload feels heavy since the new referrals came in.',
    'Repeat checks were missed when people moved; staff asked for diary reminders.',
    'Supervision was cancelled twice this month.',
  ])('keeps the everyday words of this work in %j', (input) => {
    expect(redactFreeText(input)).toEqual({ text: input, removed: {} });
  });

  it('says kinds and counts only, never the removed text', () => {
    const result = redactFreeText('Priya Shah on 07700 900123 and 07700 900124');

    expect(result.removed).toEqual({ name: 1, phone: 2 });
    expect(JSON.stringify(result)).not.toMatch(/Priya|Shah|900123|900124/);
  });

  describe('NHS numbers', () => {
    it.each(['9992725893', '9991514503', '9991346899', '9996928276'])(
      'accepts %s, which passes modulus 11',
      (n) => {
        expect(isValidNhsNumber(n)).toBe(true);
      },
    );

    it.each([
      ['9998773002', 'wrong check digit'],
      ['9998037160', 'wrong check digit'],
      ['9990000000', 'the check comes to 10, so no number with these nine digits is valid'],
      ['999151450', 'nine digits'],
      ['99915145031', 'eleven digits'],
    ])('rejects %s (%s)', (n) => {
      expect(isValidNhsNumber(n)).toBe(false);
    });

    it('leaves a 10-digit number that fails the check alone', () => {
      const text = 'Order number 999 803 7160 for the phones.';

      expect(redactFreeText(text)).toEqual({ text, removed: {} });
    });

    it('treats a checksum-failing number starting with 0 as a phone number, not an NHS number', () => {
      expect(redactFreeText('Rang 0113 496 0321 twice').removed).toEqual({ phone: 1 });
    });

    it('removes any valid generated NHS number, however it is spaced', () => {
      const nhs = fc
        .tuple(fc.stringMatching(/^\d{9}$/), fc.constantFrom(' ', '-', ''))
        .filter(([nine]) => nhsCheckDigit(nine) !== undefined)
        .map(([nine, sep]) => {
          const n = `${nine}${String(nhsCheckDigit(nine))}`;
          return `${n.slice(0, 3)}${sep}${n.slice(3, 6)}${sep}${n.slice(6)}`;
        });
      fc.assert(
        fc.property(nhs, (n) => {
          const result = redactFreeText(`NHS number ${n} on the letter`);
          expect(result.text).not.toContain(n);
          expect(total(result.removed)).toBe(1);
        }),
      );
    });
  });

  describe('PNC IDs', () => {
    it.each([
      ['19', '123456', 'E'],
      ['2019', '0123456', 'E'],
      ['98', '45678', 'Q'],
      ['2003', '1234567', 'Q'],
      ['21', '987', 'R'],
      ['87', '3456789', 'c'],
    ])('accepts %s/%s%s, whose check letter is right', (year, serial, check) => {
      expect(isValidPncId(year, serial, check)).toBe(true);
    });

    it.each([
      ['19', '123456', 'F'],
      ['2019', '0123456', 'Z'],
      ['98', '45678', 'I'],
    ])('rejects %s/%s%s, whose check letter is wrong', (year, serial, check) => {
      expect(isValidPncId(year, serial, check)).toBe(false);
    });

    it('leaves a PNC-shaped ID with the wrong check letter alone', () => {
      const text = 'PNC 19/123456F did not match.';

      expect(redactFreeText(text)).toEqual({ text, removed: {} });
    });
  });

  describe('listed names', () => {
    it('removes the full name and either part of it, whole-word and in any case', () => {
      // "Danaway" holds the listed name but is another word (an estate's name here).
      const result = redactFreeText(
        'Dana Whitfield came; dana and WHITFIELD both agreed on the Danaway estate.',
        {
          names: ['Dana Whitfield'],
        },
      );

      expect(result.text).toBe(
        '[name removed] came; [name removed] and [name removed] both agreed on the Danaway estate.',
      );
      expect(result.removed).toEqual({ name: 3 });
    });

    it("keeps a possessive 's outside the placeholder and matches either apostrophe", () => {
      const result = redactFreeText("Ezra's flat and O’Leary's letter", {
        names: ['Ezra Mbeki', "Shauna O'Leary"],
      });

      expect(result.text).toBe("[name removed]'s flat and [name removed]'s letter");
    });

    it('ignores blank and one-letter entries', () => {
      const text = 'A note about a day in Leeds.';

      expect(redactFreeText(text, { names: ['', '  ', 'a', 'A'] })).toEqual({ text, removed: {} });
    });
  });

  describe('titles', () => {
    it.each([
      ['Phoned Ms Teams support.', 'a service after a title'],
      ['I miss Leeds.', 'lower-case "miss" is a verb'],
      ['MS Teams call at 2pm.', '"MS" in capitals is not a title'],
      ['Dr appointment on Monday.', 'a title with no name'],
    ])('leaves %j alone (%s)', (text) => {
      expect(redactFreeText(text)).toEqual({ text, removed: {} });
    });

    it('takes a place word after a title as a surname', () => {
      expect(redactFreeText('Ms J. Holloway sorted my bus pass').text).toBe(
        '[name removed] sorted my bus pass',
      );
    });
  });

  describe('dates', () => {
    it.each([
      'Meeting with the site lead on 14/03/2024 agreed the next 3 sessions.',
      'Next review on 30 June 2025 with the regional team in Newcastle.',
      'Birthday party for the group on 3 May went well.',
      'Born and raised in Leeds, he moved away and came back last year.',
      'Funding runs until 31/03/2026, with a review in January.',
    ])('keeps a date that is not a date of birth: %j', (text) => {
      expect(redactFreeText(text)).toEqual({ text, removed: {} });
    });

    it.each([
      // a full date given as a correction in the same sentence
      [
        'DOB 02/11/1985 on the referral is wrong, should be 02/12/1985.',
        'DOB [date of birth removed] on the referral is wrong, should be [date of birth removed].',
      ],
      [
        'DOB 1990-04-02 not 1990-02-04, then review on 3 May.',
        'DOB [date of birth removed] not [date of birth removed], then review on 3 May.',
      ],
      // a year with an apostrophe for its century
      ["Born '88 in Hull.", 'Born [date of birth removed] in Hull.'],
    ])('removes a date of birth given another way: %j', (input, expected) => {
      expect(redactFreeText(input).text).toBe(expected);
    });

    it('does not carry a birth word into the next sentence', () => {
      expect(redactFreeText('He was born here. Next meeting 12/05/2025.').removed).toEqual({});
    });
  });

  it.each([
    'Two people in crisis at once this week; supervision on Thursday helped a lot.',
    'Probation, Housing Options and Universal Credit were the three most mentioned services.',
    '£250 seed funding was given to 6 community groups in 2024.',
    'Three of five sites reported delays in Q2 2024.',
    'The Wellbeing Hub in Gateshead ran 3 sessions in May.',
    'Hope House and St Mungo’s took most of the referrals in London.',
    'Job Centre staff in Bradford agreed a named contact for the project.',
    'Will the link worker role continue after March 2026? Sites want to know by Christmas.',
    'Grace period for rent arrears was 4 weeks in Southwark and 2 weeks in Croydon.',
    'Most people were released from HMP Leeds, HMP Durham or HMP Pentonville.',
    'The M62 roadworks made the Leeds to Hull journey 3 hours.',
    'Ref 2024-017 on the project tracker: transport costs.',
    'Rating 4/5 for the induction; 3/5 for the handover.',
    'The form asks for a 10 digit NHS number; 999 000 0000 is the example printed on it.',
    // Title Case list items that read as words, places by what surrounds them
    'Support plans cover Accommodation, Money, Health and Relationships.',
    'Priorities: Stigma, Waiting Lists, Trust.',
    'The Clayton office and the Shirley group both closed in August.',
    'Beverley is an hour away by bus, so few people go.',
    'Two referrals came from Ashton and one from Stockton.',
    'He rang back twice and then called on the Friday.',
    // a surname that is a word, at a sentence's start; typed contractions and family words
    'Most said Probation felt more human this year.',
    'ive asked my nan to come along',
    // a place in a list of places, a lower-case place after "to", organisations
    'Most people at this site live in Hyde, Denton or Stalybridge.',
    'We moved to bristol last year.',
    'Signposted to Hestia and the Simon Community.',
    // shops and employers that are also surnames; unknown words after "in", "at", "from"
    'Got a job at Greggs, then a better one at Costa.',
    'She lives in Toxteth now.',
    'Hostel places in Kirkstall and Seacroft are always full.',
    // English words by their ending; a Title Case run between "the" and a noun
    'The group marks each Sobriety Anniversary together.',
    'Sat with the Mental Health Liaison nurse.',
    // a hyphenated word made of words; a heading in the plural; a saint's name is a church's
    'Staff Wellbeing Check-In scores dipped in May.',
    'Key Themes\nTrust. Timing.',
    'Asked at St Oswald about a food parcel.',
    // faiths and medicines; a football club; a week of events
    'Muslim and Sikh participants asked for halal food.',
    'He is on Methadone and wants to come down to Subutex.',
    'Watching Leeds United with his son keeps him going.',
    'Mental Health Awareness Week events were well attended.',
    'Bank Holiday Monday meant the office was shut.',
    // benefits and Welsh arms of charities end a Title Case name; medicines by their endings
    'Applied for a Discretionary Housing Payment and a Budgeting Advance.',
    'Mind Cymru ran the group.',
    'Olanzapine was changed to Aripiprazole after the review.',
    'Will the group carry on?',
    // a word the lists do not know, in a list with a place, is a place
    'Bradford and Hindsford both lost their drop-ins.',
    'Rooms in Wigan, Hindsford and Bolton.',
    // a possessive inside a street's or organisation's name; a service after "signposted to"
    "The Traveller site on Bennett's Lane has no bus.",
    'Signposted to Beam and Tempus Novo.',
    'Housing, Money and Health were the main themes.',
    'Hope was the word people used most.',
    // an unknown lower-case first word before "was" is not a name by that alone
    'script was late again from the chemist',
    'saw the worker in town',
  ])('leaves a text with no identifiers intact: %j', (text) => {
    expect(redactFreeText(text)).toEqual({ text, removed: {} });
  });

  it.each([
    ['gave jonno a lift to the jobcentre', 'gave [name removed] a lift to the jobcentre'],
    ['shaz says the kids are settled', '[name removed] says the kids are settled'],
    [
      'Gintare, her support worker, rang the council.',
      '[name removed], her support worker, rang the council.',
    ],
    ['Her partner, Thandiwe, came too.', 'Her partner, [name removed], came too.'],
    ['Radoslaw did not turn up on Monday.', '[name removed] did not turn up on Monday.'],
    ['Aigerim is worried about the move.', '[name removed] is worried about the move.'],
    ['Hope said the group helped.', '[name removed] said the group helped.'],
    ['Wojciech brought the forms back.', '[name removed] brought the forms back.'],
    // a name that is only a rare English word counts as a name ("lewis" is a rare noun)
    [
      'dropped the forms round to lewis at the hostel',
      'dropped the forms round to [name removed] at the hostel',
    ],
    ['Honor kept ringing till I answered.', '[name removed] kept ringing till I answered.'],
    [
      'Patience is the one who got me into the group.',
      '[name removed] is the one who got me into the group.',
    ],
    ['covering for jas this week', 'covering for [name removed] this week'],
    ['took femi to the housing appointment', 'took [name removed] to the housing appointment'],
    ['gurpreet wants a new job at the warehouse', '[name removed] wants a new job at the warehouse'],
    ['ayo and tunde asked about the football', '[name removed] and [name removed] asked about the football'],
    ['spoke with krystal’s worker', 'spoke with [name removed]’s worker'],
    ['"Me and Daz used to sleep in the car park."', '"Me and [name removed] used to sleep in the car park."'],
    ['"Honestly, Nathan rang back," she said.', '"Honestly, [name removed] rang back," she said.'],
    // a possessive after "at" or "in" is a person's, not a place
    ['Stayed at Tendai’s for a week.', 'Stayed at [name removed]’s for a week.'],
    // surnames with particles; a double name in lower case
    ['Ravi van der Berg sent the returns.', '[name removed] sent the returns.'],
    ['Omar al-Farsi told us about the interpreter.', '[name removed] told us about the interpreter.'],
    ['kerry-ann wants to move nearer her kids', '[name removed] wants to move nearer her kids'],
    ['Gintaras lost his job when the factory shut.', '[name removed] lost his job when the factory shut.'],
    ['rhys was really low today', '[name removed] was really low today'],
    ['oisin was in a bad way, took him to a&e', '[name removed] was in a bad way, took him to a&e'],
    ['rang jay back re the gym', 'rang [name removed] back re the gym'],
    ['saw precious in town, she looked well', 'saw [name removed] in town, she looked well'],
    [
      'Honour asked whether the group was women only.',
      '[name removed] asked whether the group was women only.',
    ],
    // a given name that is a word, first in a sentence, before a person's state or "turned up"
    ['Faith has been sober since May.', '[name removed] has been sober since May.'],
    ['Honor was tearful at the review.', '[name removed] was tearful at the review.'],
    ['Will turned up with his brother.', '[name removed] turned up with his brother.'],
    ['Rose and her mum came to the group.', '[name removed] and her mum came to the group.'],
    ['dele and his cousin both signed up', '[name removed] and his cousin both signed up'],
    // an unknown word ending in -ing whose stem is not a word is not taken for a gerund
    ['Xiaoling wants to work in a kitchen.', '[name removed] wants to work in a kitchen.'],
    // more cues before a lower-case name
    ['picked up femi from the hostel', 'picked up [name removed] from the hostel'],
    ['went to see jade at the flat', 'went to see [name removed] at the flat'],
    ['thanks to yemi for the lift', 'thanks to [name removed] for the lift'],
    // a two-letter name the lists hold, before a person's verb
    ['mo wants to stay local', '[name removed] wants to stay local'],
    // a list of name-like words before what people do
    [
      'Ebele, Hope and Kudzai all came to the review.',
      '[name removed], [name removed] and [name removed] all came to the review.',
    ],
    ['Goodluck and Precious both signed up.', '[name removed] and [name removed] both signed up.'],
    // a word before an age
    ['Oghenekaro (27) found the group hard.', '[name removed] (27) found the group hard.'],
    // a lower-case list with a name in it
    ['present: dele, yemi, sam, me', 'present: [name removed], [name removed], [name removed], me'],
    // initials: before a surname, or alone before what a person does
    ['Notes by K. Adebowale, evaluator.', 'Notes by [name removed], evaluator.'],
    ['A.J. said he would rather text.', '[name removed] said he would rather text.'],
    // a surname's initial after a name
    ['Attendees: Oghenekaro T, Zane, Mehmet.', 'Attendees: [name removed], [name removed], [name removed].'],
    ['chased up yemi’s housing form', 'chased up [name removed]’s housing form'],
    // a possessive before a relative or a worker
    ['Baljit’s son translated for him.', '[name removed]’s son translated for him.'],
  ])('finds a name by its form or what surrounds it: %j', (input, expected) => {
    expect(redactFreeText(input).text).toBe(expected);
  });

  it('never lets a generated phone number or email through, whatever surrounds it', () => {
    const phone = fc.integer({ min: 0, max: 999 }).map((n) => `07700 900${String(n).padStart(3, '0')}`);
    const email = fc
      .tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}$/))
      .map(([u, d]) => `${u}@${d}.org`);
    const words = fc.array(fc.constantFrom('the', 'week', 'was', 'hard', 'ok', '.', ','), { maxLength: 6 });
    fc.assert(
      fc.property(words, fc.oneof(phone, email), words, (before, secret, after) => {
        const result = redactFreeText([...before, secret, ...after].join(' '));
        expect(result.text).not.toContain(secret);
        expect(total(result.removed)).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  describe('invariants', () => {
    // Pieces of the texts staff write, identifiers and placeholders included, joined in any order.
    const FRAGMENTS = [
      'Sam',
      'Priya Shah',
      "Sam's",
      'said',
      'the',
      'hostel',
      'Probation',
      'Universal Credit',
      'Leeds',
      'on',
      'March',
      'Will',
      'Grace',
      'period',
      'and',
      'Mr',
      'K',
      'Mrs Smith',
      'Dr',
      'Okafor',
      'J.',
      'DOB',
      'born',
      '12/03/2024',
      '14 July 1991',
      '07700 900123',
      'sam@example.org',
      'LS1 4AP',
      'X123456',
      'A1234BC',
      '19/123456E',
      '999 151 4503',
      '999 877 3002',
      'QQ 12 34 56 C',
      '3 sessions',
      '£250',
      '"',
      '.',
      ',',
      ...Object.values(PLACEHOLDER),
    ];
    const text = fc
      .array(fc.tuple(fc.constantFrom(...FRAGMENTS), fc.constantFrom(' ', ' ', ', ', '. ', '\n', '')), {
        maxLength: 14,
      })
      .map((parts) => parts.map(([word, sep]) => word + sep).join(''));

    it('changes nothing more when redacting a second time', () => {
      fc.assert(
        fc.property(text, (input) => {
          const once = redactFreeText(input);
          expect(redactFreeText(once.text)).toEqual({ text: once.text, removed: {} });
        }),
      );
    });

    it('never redacts a placeholder, and adds exactly one placeholder per counted removal', () => {
      fc.assert(
        fc.property(text, (input) => {
          const result = redactFreeText(input);
          const added = Object.values(PLACEHOLDER).reduce(
            (n, p) => n + countOf(result.text, p) - countOf(input, p),
            0,
          );
          for (const p of Object.values(PLACEHOLDER)) {
            expect(countOf(result.text, p)).toBeGreaterThanOrEqual(countOf(input, p));
          }
          expect(added).toBe(total(result.removed));
        }),
      );
    });

    it('replaces exactly the reported spans, in bounds and never overlapping, for any string at all', () => {
      fc.assert(
        fc.property(fc.oneof(text, fc.string({ unit: 'binary', maxLength: 200 })), (input) => {
          const spans = findRedactions(input);
          let rebuilt = '';
          let at = 0;
          for (const { kind, start, end } of spans) {
            expect(start).toBeGreaterThanOrEqual(at);
            expect(end).toBeGreaterThan(start);
            rebuilt += input.slice(at, start) + PLACEHOLDER[kind];
            at = end;
          }
          expect(at).toBeLessThanOrEqual(input.length);
          expect(redactFreeText(input).text).toBe(rebuilt + input.slice(at));
        }),
      );
    });

    it('never leaves a listed name, or either part of it, in the output', () => {
      const PLACEHOLDER_WORDS = new Set(Object.values(PLACEHOLDER).join(' ').toLowerCase().match(/\w+/g));
      const part = fc
        .stringMatching(/^[A-Z][a-z]{1,7}$/)
        .filter((p) => !PLACEHOLDER_WORDS.has(p.toLowerCase()));
      const written = (p: string) =>
        fc.constantFrom(p, p.toLowerCase(), p.toUpperCase(), `${p}'s`, `${p}’s`, `(${p})`, `"${p}"`);
      const input = fc
        .tuple(part, part)
        .chain(([first, last]) =>
          fc
            .array(
              fc.oneof(
                written(first),
                written(last),
                written(`${first} ${last}`),
                fc.constantFrom(...FRAGMENTS),
              ),
              { minLength: 1, maxLength: 10 },
            )
            .map((words) => ({ name: `${first} ${last}`, first, last, text: words.join(' ') })),
        );
      fc.assert(
        fc.property(input, ({ name, first, last, text: t }) => {
          const output = redactFreeText(t, { names: [name] }).text;
          for (const p of [first, last]) {
            expect(output).not.toMatch(new RegExp(`(?<![\\p{L}\\p{N}])${p}(?![\\p{L}\\p{N}])`, 'iu'));
          }
        }),
      );
    });
  });

  describe('corpus', () => {
    it('has every label present in its text', () => {
      for (const entry of REDACTION_CORPUS) expect(() => locateLabels(entry)).not.toThrow();
    });

    // Thresholds are the measured figures (npm run bench:redaction) less a small margin: a drop
    // below them is a regression to look at, not noise (the rules are deterministic).
    it('keeps overall recall and precision above the measured floor', () => {
      const { overall } = scoreCorpus(REDACTION_CORPUS, (e) =>
        findRedactions(e.text, e.names ? { names: e.names } : {}),
      );

      expect(overall.caught / overall.labelled).toBeGreaterThanOrEqual(0.99);
      expect(overall.correct / overall.removed).toBeGreaterThanOrEqual(0.99);
    });

    it('keeps the fresh set (written after tuning) above its measured floor', () => {
      const { overall } = scoreCorpus(
        REDACTION_CORPUS.filter((e) => e.split === 'fresh'),
        (e) => findRedactions(e.text, e.names ? { names: e.names } : {}),
      );

      expect(overall.caught / overall.labelled).toBeGreaterThanOrEqual(0.85);
      expect(overall.correct / overall.removed).toBeGreaterThanOrEqual(0.87);
    });
  });
});
