import { ukDate } from '../../shared/domain/iso-week';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normaliseThemeName,
  type QuestionAreaCode,
  themeBodySchema,
} from '../../functions/findings/codebook';
import { PayloadTooLargeError, ValidationError } from '../../shared/domain/errors';
import {
  type InterviewBody,
  interviewBodySchema,
  prepareInterview,
} from '../../functions/findings/interviews';
import type { Principal } from '../../shared/domain/roles';
import {
  contentMatchesType,
  createUpload,
  UPLOAD_URL_EXPIRY_SECONDS,
  type UploadObject,
} from '../../functions/findings/uploads';

const THEME = '0b8e4f8e-6a55-4c5b-9d7e-3f1f3c1e2a10';
const OTHER_THEME = '5d1e0a52-2b7c-4f0e-8a39-6c4d2f7b9e01';
const NOW = new Date('2025-03-10T12:00:00Z');

/** A valid body, parsed as the API parses it. */
function body(overrides: Record<string, unknown> = {}): InterviewBody {
  return interviewBodySchema.parse({
    respondentGroup: 'provider-staff',
    method: 'focus-group',
    participants: 3,
    date: '2025-03-01',
    contactAttempts: 12,
    consent: { recorded: true },
    findings: [
      {
        area: '4.4',
        theme: THEME,
        stance: 'enabler',
        summary: 'Weekly supervision helped staff through two crises at once.',
        quotes: [
          { text: 'Supervision is what keeps me going.', publishable: true },
          { text: 'I nearly left in December.', publishable: false },
          { text: 'The debrief after a bad day matters.', publishable: true },
        ],
      },
    ],
    ...overrides,
  });
}

/** The valid body's one coded finding. */
function firstFinding(): InterviewBody['findings'][number] {
  const [finding] = body().findings;
  if (!finding) throw new Error('the valid body has a finding');
  return finding;
}

const context = (overrides: Partial<Parameters<typeof prepareInterview>[1]> = {}) => ({
  site: 'north-east' as const,
  id: 'a4b1c2d3-0000-4000-8000-000000000001',
  now: NOW,
  themes: new Map<string, { area: QuestionAreaCode }>([
    [THEME, { area: '4.4' }],
    [OTHER_THEME, { area: '4.7' }],
  ]),
  ...overrides,
});

function problemsOf(act: () => unknown): string[] {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.pointer);
    throw error;
  }
  return [];
}

describe('normaliseThemeName', () => {
  const words = fc.array(fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), { minLength: 1, maxLength: 6 });
  const separator = fc.constantFrom(' ', '  ', '-', ', ', ': ', '/', '.', ' & ');

  it('gives the same form whatever the case, spacing and punctuation between the words', () => {
    fc.assert(
      fc.property(words, separator, separator, (parts, a, b) => {
        expect(normaliseThemeName(parts.join(a).toUpperCase())).toBe(normaliseThemeName(parts.join(b)));
      }),
    );
  });

  it('keeps every letter and digit, so different words stay different themes', () => {
    fc.assert(
      fc.property(words, (parts) => {
        expect(normaliseThemeName(parts.join(' '))).toBe(parts.join('').toLowerCase());
      }),
    );
  });

  it('refuses a name with no letter or digit in it', () => {
    expect(themeBodySchema.safeParse({ area: '4.5', name: '—!?' }).success).toBe(false);
  });
});

describe('prepareInterview', () => {
  it('counts the quotes that may and may not be published', () => {
    const { receipt } = prepareInterview(body(), context());

    expect(receipt).toMatchObject({ findings: 1, quotes: { publishable: 2, notPublishable: 1 } });
  });

  it("takes 'today' in UK time: just after midnight BST, today's date is not in the future", () => {
    const justAfterMidnightBst = new Date('2025-06-01T23:30:00Z');

    expect(ukDate(justAfterMidnightBst)).toBe('2025-06-02');
    expect(
      problemsOf(() =>
        prepareInterview(body({ date: '2025-06-02' }), context({ now: justAfterMidnightBst })),
      ),
    ).toEqual([]);
    expect(
      problemsOf(() =>
        prepareInterview(body({ date: '2025-06-03' }), context({ now: justAfterMidnightBst })),
      ),
    ).toEqual(['/body/date']);
  });

  it('names every problem at once: dates, themes and attachment', () => {
    const finding = firstFinding();
    const bad = body({
      date: '2025-04-01',
      consent: { recorded: true, date: '2025-05-01' },
      attachment: { uploadId: '9f0c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f' },
      findings: [
        finding,
        { ...finding, theme: OTHER_THEME },
        { ...finding, theme: '11111111-2222-4333-8444-555555555555' },
      ],
    });

    expect(problemsOf(() => prepareInterview(bad, context()))).toEqual([
      '/body/date',
      '/body/consent/date',
      '/body/attachment/uploadId',
      '/body/findings/1/theme',
      '/body/findings/2/theme',
    ]);
  });

  it('puts problems under the pointer it is given, as a bulk import names its rows', () => {
    const finding = firstFinding();

    expect(
      problemsOf(() =>
        prepareInterview(
          body({ findings: [{ ...finding, theme: OTHER_THEME }] }),
          context({ pointer: '/rows/7' }),
        ),
      ),
    ).toEqual(['/rows/7/findings/0/theme']);
  });

  it('never carries the listed names into the record, neither as a field nor in the text', () => {
    const name = fc.stringMatching(/^[A-Z][a-z]{3,10}$/);
    fc.assert(
      fc.property(name, name, (first, last) => {
        const finding = firstFinding();
        const { interview } = prepareInterview(
          body({
            names: [`${first} ${last}`],
            findings: [{ ...finding, summary: `${first} ${last} found the group helpful, said ${first}.` }],
          }),
          context(),
        );
        const stored = JSON.stringify(interview);
        expect(stored).not.toContain(first);
        expect(stored).not.toContain(last);
        expect(Object.keys(interview)).not.toContain('names');
      }),
      { numRuns: 50 },
    );
  });

  it('refuses more free text in one interview than it can store and redact in time, at /body/findings', () => {
    const finding = { ...firstFinding(), summary: 'x'.repeat(1000), quotes: [] };

    const result = interviewBodySchema.safeParse({ ...body(), findings: Array(61).fill(finding) });

    expect(result.error?.issues.map((issue) => issue.path.join('/'))).toEqual(['findings']);
  });

  it('refuses findings that would outgrow one record once redaction has lengthened them', () => {
    // Past the schema's bounds on purpose: the guard is the backstop should they ever be raised.
    // Each listed two-letter name becomes a placeholder seven times as long.
    const finding = { ...firstFinding(), summary: 'Al '.repeat(1500), quotes: [] };
    const oversized = { ...body(), names: ['Al'], findings: Array<typeof finding>(40).fill(finding) };

    expect(() => prepareInterview(oversized, context())).toThrow(PayloadTooLargeError);
  });
});

describe('createUpload', () => {
  it('signs a PUT for the site and a generated id only, short-lived, and audits it before answering', async () => {
    const calls: string[] = [];
    const principal: Principal = { actor: 'evaluator-pseudonym', roles: ['evaluator'], site: undefined };
    let ids = 0;

    const ticket = await createUpload(
      {
        uploads: {
          presignPut: (object: UploadObject, expiresIn: number) => {
            calls.push(`presign ${object.key} ${object.contentType} ${object.bytes} ${expiresIn}`);
            return Promise.resolve('https://bucket.example/put');
          },
        },
        uploadLog: {
          recordUpload: (event) => {
            calls.push(`audit ${event.action} ${event.subjectId}`);
            return Promise.resolve();
          },
        },
        now: () => NOW,
        newId: () => `id-${++ids}`,
      },
      principal,
      { contentType: 'application/pdf', bytes: 4096, site: 'london' },
    );

    expect(calls).toEqual([
      `presign incoming/london/id-1 application/pdf 4096 ${UPLOAD_URL_EXPIRY_SECONDS}`,
      'audit upload.create id-1',
    ]);
    expect(ticket).toEqual({
      uploadId: 'id-1',
      url: 'https://bucket.example/put',
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', 'content-length': '4096' },
      expiresAt: '2025-03-10T12:05:00.000Z',
    });
  });
});

describe('text the schemas refuse', () => {
  it('refuses half an emoji (a lone surrogate) in a theme name, a summary, a quote or a name', () => {
    const broken = 'Referrals \ud83d stalled';
    const finding = firstFinding();

    expect(themeBodySchema.safeParse({ area: '4.5', name: broken }).success).toBe(false);
    for (const overrides of [
      { findings: [{ ...finding, summary: broken }] },
      { findings: [{ ...finding, quotes: [{ text: broken, publishable: true }] }] },
      { names: [broken] },
    ]) {
      expect(interviewBodySchema.safeParse({ ...body(), ...overrides }).success).toBe(false);
    }
  });

  it('accepts whole emoji and accented letters', () => {
    expect(themeBodySchema.safeParse({ area: '4.5', name: 'Café drop-ins 👍' }).success).toBe(true);
  });
});

describe('contentMatchesType', () => {
  const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  const zipEntry = (name: string) =>
    Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(name, 'latin1')]);

  it('takes a PDF by its %PDF- signature only', () => {
    expect(contentMatchesType('application/pdf', Buffer.from('%PDF-1.7\n'))).toBe(true);
    expect(contentMatchesType('application/pdf', Buffer.from('<html>%PDF-'))).toBe(false);
  });

  it('takes a Word file only as a zip naming [Content_Types].xml', () => {
    expect(contentMatchesType(DOCX, zipEntry('[Content_Types].xml'))).toBe(true);
    expect(contentMatchesType(DOCX, zipEntry('mimetype'))).toBe(false);
    expect(contentMatchesType(DOCX, Buffer.from('[Content_Types].xml'))).toBe(false);
  });

  it('takes text only as UTF-8 without NUL, allowing a character cut at the end of the bytes read', () => {
    expect(contentMatchesType('text/plain', Buffer.from('Café notes'))).toBe(true);
    expect(contentMatchesType('text/plain', Buffer.from('Café').subarray(0, 4))).toBe(true);
    expect(contentMatchesType('text/plain', Buffer.from('a\u0000b'))).toBe(false);
    expect(contentMatchesType('text/plain', Buffer.from([0x61, 0xff, 0x62]))).toBe(false);
  });

  it('takes no type it does not know', () => {
    expect(contentMatchesType('image/png', Buffer.from('%PDF-'))).toBe(false);
  });
});
