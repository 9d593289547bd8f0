import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import { redactFreeText } from '../../shared/domain/redaction';
import type { Principal } from '../../shared/domain/roles';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';

/**
 * The evaluation's question areas (the evaluation plan's questions): the spine of every
 * learning pack. Fixed for the programme; analysis adds themes under them, never new areas.
 */
export const QUESTION_AREAS = [
  {
    code: '4.3',
    title: 'Assessment',
    questions: [
      "How is a strengths-based assessment of a person's social and community capital done, and with which tools?",
      'Can the same tool show whether that capital changes over time?',
      'Do repeat assessments happen: a baseline, then one every 90 days?',
    ],
  },
  {
    code: '4.4',
    title: 'Staff experience, skills and wellbeing',
    questions: [
      'Can people with lived and local experience be recruited and kept in post?',
      'What makes link workers feel supported, and is their supervision enough?',
      'Which training is essential, including for working safely with people with complex needs?',
      'What do career development and vetting need to look like?',
    ],
  },
  {
    code: '4.5',
    title: 'Embedding in probation and prison work',
    questions: [
      'Do probation practitioners and prison staff understand what the service offers?',
      'Are they referring people to it and, if not, what stands in the way: the offer, the referral process, their confidence?',
      'What builds their confidence in the service, and how does co-working happen?',
    ],
  },
  {
    code: '4.6',
    title: 'People using the service',
    questions: [
      'Do people understand what the service can do for them?',
      'Do they come to the first appointment and keep coming?',
      'What helps people to start engaging and to stay?',
    ],
  },
  {
    code: '4.7',
    title: 'Community resources',
    questions: [
      'Are people linked to a range of resources that are open to them and suit their strengths, circumstances and protected characteristics?',
      'What is taking part like for small grassroots organisations?',
      'How much seed funding did new activities need, compared with linking people to what already exists?',
    ],
  },
  {
    code: '4.8',
    title: 'Interfaces with other services',
    questions: [
      'How does the service work with accommodation, finance, benefit and debt, and education, training and employment services, and with local authorities?',
      'What makes these services feel joined up to the person using them?',
    ],
  },
] as const;

/** The outcomes findings can be coded against. */
export const OUTCOMES = [
  { code: 'a', level: 'person', title: 'Housing' },
  { code: 'b', level: 'person', title: 'Finance, benefits and debt' },
  { code: 'c', level: 'person', title: 'Education, training, employment and volunteering' },
  { code: 'd', level: 'person', title: 'Recovery from substance misuse' },
  { code: 'e', level: 'person', title: 'Relationships and social capital' },
  { code: 'f', level: 'person', title: 'Pro-social time and community capital' },
  { code: 'g', level: 'system', title: 'New community resources generated' },
  { code: 'h', level: 'system', title: "Housing providers' confidence" },
  { code: 'i', level: 'system', title: 'Practitioners and prison staff feel supported' },
  { code: 'j', level: 'system', title: 'Staff recruited, trained, kept and supported in their wellbeing' },
] as const;

export type QuestionAreaCode = (typeof QUESTION_AREAS)[number]['code'];
export type OutcomeCode = (typeof OUTCOMES)[number]['code'];

export const questionAreaCodeSchema = z
  .enum(QUESTION_AREAS.map((a) => a.code) as [QuestionAreaCode, ...QuestionAreaCode[]])
  .meta({ id: 'QuestionAreaCode', description: 'A question area of the evaluation, 4.3 to 4.8.' });

export const outcomeCodeSchema = z
  .enum(OUTCOMES.map((o) => o.code) as [OutcomeCode, ...OutcomeCode[]])
  .meta({ id: 'OutcomeCode', description: 'An outcome, a to f for people, g to j for the system.' });

export const THEME_NAME_MAX_LENGTH = 80;
/**
 * Themes per question area. Curated by a handful of evaluators, a codebook with more than this in
 * one area has stopped being a codebook; the bound also keeps `GET /codebook` one small page.
 */
export const MAX_THEMES_PER_AREA = 100;

/**
 * The form of a theme name two names are compared in: case, spacing and punctuation do not make a
 * different theme. Also the sort key suffix that makes names unique within an area.
 * @example normaliseThemeName('  Referral  process: too slow! ') // 'referralprocesstooslow'
 */
export function normaliseThemeName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export const themeBodySchema = z
  .object({
    area: questionAreaCodeSchema,
    name: z
      .string()
      .trim()
      .min(1)
      .max(THEME_NAME_MAX_LENGTH)
      .regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)
      // Control characters would survive into packs and spreadsheets invisibly.
      .regex(/^[^\p{Cc}]*$/u, 'must be plain text, without control characters')
      .refine((name) => normaliseThemeName(name).length > 0, 'must contain a letter or a digit')
      .meta({ description: 'Unique within its area, ignoring case, spacing and punctuation.' }),
  })
  .strict()
  .meta({ id: 'NewTheme' });

export type ThemeBody = z.infer<typeof themeBodySchema>;

export const themeReceiptSchema = z
  .object({ id: z.uuid(), area: questionAreaCodeSchema, name: z.string().max(THEME_NAME_MAX_LENGTH) })
  .strict()
  .meta({ id: 'ThemeReceipt' });

export type ThemeReceipt = z.infer<typeof themeReceiptSchema>;

const themeSchema = z
  .object({
    id: z.uuid(),
    area: questionAreaCodeSchema,
    name: z.string().max(THEME_NAME_MAX_LENGTH),
    createdAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'Theme' });

/** A theme as stored: `name` as the evaluator wrote it (trimmed). */
export type Theme = z.infer<typeof themeSchema>;

export const codebookSchema = z
  .object({
    areas: z
      .array(
        z
          .object({
            code: questionAreaCodeSchema,
            title: z.string().max(100),
            questions: z.array(z.string().max(300)).max(10),
          })
          .strict(),
      )
      .max(QUESTION_AREAS.length),
    outcomes: z
      .array(
        z
          .object({
            code: outcomeCodeSchema,
            level: z.enum(['person', 'system']),
            title: z.string().max(100),
          })
          .strict(),
      )
      .max(OUTCOMES.length),
    themes: z.array(themeSchema).max(QUESTION_AREAS.length * MAX_THEMES_PER_AREA),
  })
  .strict()
  .meta({ id: 'Codebook' });

export type Codebook = z.infer<typeof codebookSchema>;

/** The port the codebook rules need from storage. */
export interface CodebookStore {
  /** Every theme, in no particular order. */
  listThemes(): Promise<Theme[]>;
  /**
   * The themes with these ids, found in one read; ids with no theme are simply absent from the map.
   * For checking every theme a submission (or a batch of imported rows) refers to at once.
   */
  findThemes(ids: readonly string[]): Promise<ReadonlyMap<string, Theme>>;
  /**
   * Adds the theme and its audit event together. Answers `duplicate` when the area already has a
   * theme with the same normalised name, `full` when the area has `MAX_THEMES_PER_AREA` themes.
   */
  addTheme(theme: Theme, normalisedName: string, audit: AuditEvent): Promise<'added' | 'duplicate' | 'full'>;
}

export interface CodebookDeps {
  readonly codebook: CodebookStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** The fixed question areas and outcomes, and the themes evaluators have added, by area then name. */
export async function readCodebook(deps: Pick<CodebookDeps, 'codebook'>): Promise<Codebook> {
  const themes = await deps.codebook.listThemes();
  themes.sort((a, b) => a.area.localeCompare(b.area) || a.name.localeCompare(b.name, 'en-GB'));
  return {
    areas: QUESTION_AREAS.map(({ code, title, questions }) => ({ code, title, questions: [...questions] })),
    outcomes: OUTCOMES.map(({ code, level, title }) => ({ code, level, title })),
    themes,
  };
}

/**
 * Adds a theme under one question area. Not a data submission: analysis goes on while the
 * programme is paused for bidding. A theme names a pattern, never a person, so a name that looks
 * like it carries an identifier is refused rather than stored redacted.
 */
export async function addTheme(
  deps: CodebookDeps,
  principal: Principal,
  body: ThemeBody,
): Promise<ThemeReceipt> {
  const identifying = Object.keys(redactFreeText(body.name).removed);
  if (identifying.length > 0) {
    throw new ValidationError([
      {
        pointer: '/body/name',
        detail: `looks like it identifies someone (${identifying.join(', ')}): a theme names a pattern, not a person`,
      },
    ]);
  }
  const theme: Theme = {
    id: deps.newId(),
    area: body.area,
    name: body.name.replace(/\s+/g, ' '),
    createdAt: deps.now().toISOString(),
  };
  const outcome = await deps.codebook.addTheme(theme, normaliseThemeName(theme.name), {
    id: deps.newId(),
    at: theme.createdAt,
    actor: principal.actor,
    action: 'theme.create',
    subjectType: 'theme',
    subjectId: theme.id,
  });
  if (outcome === 'duplicate') {
    throw new ConflictError(
      `Question area ${theme.area} already has a theme with this name (case, spacing and punctuation aside).`,
    );
  }
  if (outcome === 'full') {
    throw new ConflictError(
      `Question area ${theme.area} already has ${MAX_THEMES_PER_AREA} themes, the most it can hold.`,
    );
  }
  return { id: theme.id, area: theme.area, name: theme.name };
}
