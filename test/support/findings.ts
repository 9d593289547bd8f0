import { randomInt } from 'node:crypto';
import type { QuestionAreaCode } from '../../functions/findings/codebook';
import type { client } from './client';
import type { TestEnvironment } from './environment';

type Http = ReturnType<typeof client>;

export const EVALUATOR = { role: 'evaluator' as const, user: 'eva' };

/**
 * A theme name no other test has used. Letters only: digits could look like a phone number or a
 * case reference to the redaction a theme name is checked with.
 */
export function uniqueThemeName(prefix = 'Theme'): string {
  const letters = Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join('');
  return `${prefix} ${letters}`;
}

/** Adds a theme as an evaluator and answers its id. */
export async function createTheme(
  http: Http,
  area: QuestionAreaCode = '4.5',
  name = uniqueThemeName(),
): Promise<string> {
  const answer = await http.request('POST', '/codebook/themes', { as: EVALUATOR, body: { area, name } });
  if (answer.status !== 201) throw new Error(`Could not add a theme: ${answer.status}`);
  return answer.body.id as string;
}

/** A complete, valid interview finding with one coded finding under question area 4.5. */
export function interviewBody(theme: string, overrides: Record<string, unknown> = {}) {
  return {
    respondentGroup: 'probation-practitioner',
    method: 'interview',
    participants: 1,
    date: '2025-01-15',
    contactAttempts: 4,
    consent: { recorded: true, date: '2025-01-10' },
    findings: [
      {
        area: '4.5',
        theme,
        outcomes: ['i'],
        stance: 'barrier',
        summary: 'Practitioners were unsure what the service offers, so few referrals came in.',
        quotes: [
          { text: 'I did not know who it was for.', publishable: true },
          { text: 'We only heard about it at a team meeting.', publishable: false },
        ],
      },
    ],
    ...overrides,
  };
}

/** Records an interview finding at a site as an evaluator and answers its id. */
export async function createInterview(http: Http, site: string, theme: string): Promise<string> {
  const answer = await http.request('POST', `/sites/${site}/interviews`, {
    as: EVALUATOR,
    body: interviewBody(theme),
  });
  if (answer.status !== 201) throw new Error(`Could not record an interview: ${answer.status}`);
  return answer.body.id as string;
}

/** How many items each table holds, to show a refused request wrote nothing. */
export async function counts(environment: TestEnvironment): Promise<{ records: number; audit: number }> {
  const [records, audit] = await Promise.all([
    environment.scan('RECORDS_TABLE'),
    environment.scan('AUDIT_TABLE'),
  ]);
  return { records: records.length, audit: audit.length };
}
