import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDBACK_EASY_READ_V1 } from '../../shared/domain/questionnaires';
import { client } from '../support/client';
import { startTestApi } from '../support/environment';
import { createFeedbackLink } from '../support/voice';
import { launchChromium, scanPage, signInAs, webContext } from '../support/web';

/**
 * The voice of people using the service in a real browser: a provider makes a link, and a person
 * with no account answers it on a phone-width screen with JavaScript off, one question a page.
 */
const api = await startTestApi();
const http = client(api);
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  await api.stop();
});

const records = () => api.scan('RECORDS_TABLE');
const answers = async () => (await records()).filter((item) => String(item.pk).startsWith('FEEDBACK#'));
const links = async () =>
  (await records()).filter((item) => String(item.pk).startsWith('FEEDBACK-LINK#')).map((i) => String(i.pk));

/** Runs the link out in the table, as the clock would after 14 days. */
async function expire(pk: string) {
  await api.db.send(
    new UpdateCommand({
      TableName: api.env.RECORDS_TABLE,
      Key: { pk, sk: 'LINK' },
      UpdateExpression: 'SET expiresAt = :past',
      ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
    }),
  );
}

const heading = (page: Page) => page.locator('h1').innerText();
const path = (page: Page) => new URL(page.url()).pathname;

describe('a feedback link, from the provider who makes it to the person who answers it', () => {
  let link = '';

  it(
    'is made by a provider: a validation error first, then the link shown once with its expiry',
    { timeout: 300_000 },
    async () => {
      const staff = await webContext(browser, api.url);
      const provider = await staff.newPage();
      provider.setDefaultTimeout(20_000);
      await signInAs(provider, { role: 'provider', site: 'london', user: 'sam' });
      await provider.getByRole('link', { name: 'Make a feedback link' }).click();
      await expect(heading(provider)).resolves.toBe('Make a feedback link');
      await scanPage(provider, 'feedback-link');
      await provider.getByRole('button', { name: 'Make the link' }).click();
      await expect(provider.title()).resolves.toMatch(/^Error: /);
      await expect(
        provider.locator('.govuk-error-summary').getByRole('link').allTextContents(),
      ).resolves.toEqual(['Select when the person is giving feedback']);
      await scanPage(provider, 'feedback-link-error');
      await provider.getByLabel('At exit').check();
      await provider.getByLabel(/Your reference for the person/).fill('LDN-0042');
      const linksBefore = await links();
      await provider.getByRole('button', { name: 'Make the link' }).click();
      await expect(heading(provider)).resolves.toBe('Feedback link made');
      await scanPage(provider, 'feedback-link-made');
      link = await provider.getByLabel('The link').inputValue();
      expect(link).toMatch(new RegExp(`^${api.url}/give-feedback/[A-Za-z0-9_-]{32}$`));
      expect(await links()).toHaveLength(linksBefore.length + 1);
      await staff.close();
    },
  );

  it(
    'is answered once by a person with no account, at 390 px with JavaScript off, and refused on second use',
    { timeout: 600_000 },
    async () => {
      expect(link).not.toBe('');
      const phone = await webContext(browser, api.url, { javaScript: false, width: 390 });
      const person = await phone.newPage();
      person.setDefaultTimeout(20_000);
      const opened = await person.goto(link);
      expect(opened?.status()).toBe(200);
      await expect(heading(person)).resolves.toBe(FEEDBACK_EASY_READ_V1.title);
      await expect(person.getByText('For workers: filling this in on a call').count()).resolves.toBe(1);
      await person.getByRole('button', { name: 'Start' }).click();

      const picks: Record<string, string[]> = {
        understandsOffer: ['A bit'],
        helps: ['Yes, a lot'],
        keepsComing: ['I see the same worker', 'We meet near where I live'],
        getsInTheWay: ['The times do not suit me'],
        wouldRecommend: ['Yes'],
        talkToEvaluator: ['Yes, I would talk to them'],
      };
      for (const [index, question] of FEEDBACK_EASY_READ_V1.questions.entries()) {
        expect(path(person)).toMatch(new RegExp(`/question-${index + 1}$`));
        await expect(heading(person)).resolves.toBe(question.text);
        for (const label of picks[question.id] ?? []) await person.getByLabel(label, { exact: true }).check();
        if (question.id === 'keepsComing') {
          await person.getByLabel(/Your own words/).fill('Call me on 07700 900123, my worker Jo is great');
        }
        await person.getByRole('button', { name: 'Continue' }).click();
      }

      // The back link is a plain link: what was picked is still there.
      expect(path(person)).toMatch(/\/check$/);
      await expect(heading(person)).resolves.toBe('Check your answers');
      await person.getByRole('link', { name: 'Back' }).click();
      await expect(heading(person)).resolves.toBe(FEEDBACK_EASY_READ_V1.questions[5].text);
      await expect(person.getByLabel('Yes, I would talk to them').isChecked()).resolves.toBe(true);
      await person.getByRole('link', { name: 'Back' }).click();
      await expect(person.getByLabel('Yes', { exact: true }).isChecked()).resolves.toBe(true);

      // Changing an answer from the check page comes back to it.
      await person.goto(`${new URL(link).pathname}/check`);
      await person.getByRole('link', { name: /Change.*Is the help working for you/ }).click();
      await person.getByLabel('A bit', { exact: true }).check();
      await person.getByRole('button', { name: 'Check your answers' }).click();
      expect(path(person)).toMatch(/\/check$/);
      const helpsRow = person.locator('.govuk-summary-list__row', {
        hasText: 'Is the help working for you?',
      });
      await expect(helpsRow.locator('.govuk-summary-list__value').innerText()).resolves.toBe('A bit');

      const before = (await answers()).length;
      await person.getByRole('button', { name: 'Send my answers' }).click();
      await expect(heading(person)).resolves.toContain('Your answers have been sent');
      await expect(person.getByText('You said you would talk to a researcher').count()).resolves.toBe(1);

      // Stored once, anonymously, with the words redacted.
      const stored = (await answers()).slice(before);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        site: 'london',
        kind: 'at-exit',
        answers: {
          understandsOffer: 'a-bit',
          helps: 'a-bit',
          keepsComing: ['same-worker', 'near-me'],
          getsInTheWay: ['times'],
          wouldRecommend: 'yes',
        },
      });
      expect(JSON.stringify(stored[0])).not.toContain('07700');
      expect(JSON.stringify(stored[0])).not.toContain('LDN-0042');

      // The link again: refused, kindly, with 410, and the draft cookie is gone.
      const again = await person.goto(link);
      expect(again?.status()).toBe(410);
      await expect(heading(person)).resolves.toBe('This link has already been used or has expired');
      expect((await phone.cookies()).filter((c) => c.name.includes('feedback'))).toEqual([]);
      const replay = await person.goto(`${new URL(link).pathname}/check`);
      expect(replay?.status()).toBe(410);
      expect(await answers()).toHaveLength(before + 1);
      await phone.close();
    },
  );

  it(
    'has no accessibility violations on any page of the questionnaire, at 390 and 1280 px',
    { timeout: 600_000 },
    async () => {
      // axe runs in the page, so this pass has JavaScript on; the journey above proved it is not needed.
      const token = await createFeedbackLink(http, 'north-east', { kind: 'at-exit' });
      const phone = await webContext(browser, api.url);
      const person = await phone.newPage();
      person.setDefaultTimeout(20_000);
      await person.goto(`/give-feedback/${token}`);
      await scanPage(person, 'give-feedback-start');
      await person.getByRole('button', { name: 'Start' }).click();
      for (const [index, question] of FEEDBACK_EASY_READ_V1.questions.entries()) {
        await expect(heading(person)).resolves.toBe(question.text);
        await scanPage(person, `give-feedback-question-${index + 1}`);
        if (question.id === 'keepsComing') {
          await person.getByLabel(/Your own words/).fill('x'.repeat(501));
          await person.getByRole('button', { name: 'Continue' }).click();
          await expect(person.title()).resolves.toMatch(/^Error: /);
          await scanPage(person, 'give-feedback-words-too-long');
          await person.getByLabel(/Your own words/).fill('Seeing the same worker');
        }
        await person.getByRole('button', { name: 'Continue' }).click();
      }
      await scanPage(person, 'give-feedback-check');
      await person.getByRole('button', { name: 'Send my answers' }).click();
      await scanPage(person, 'give-feedback-sent');
      await person.goto(`/give-feedback/${token}`);
      await scanPage(person, 'give-feedback-gone');
      await phone.close();
    },
  );

  it('refuses a link that has run out, before the first question and when the answers are sent', async () => {
    const linksBefore = new Set(await links());
    const token = await createFeedbackLink(http, 'yorkshire-humber');
    const [pk] = (await links()).filter((item) => !linksBefore.has(item));
    if (!pk) throw new Error('The new link was not stored.');

    const phone = await webContext(browser, api.url, { javaScript: false });
    const person = await phone.newPage();
    await person.goto(`/give-feedback/${token}/question-1`);
    await person.getByLabel('Yes', { exact: true }).check();
    await person.getByRole('button', { name: 'Continue' }).click();
    await person.goto(`/give-feedback/${token}/check`);
    await expire(pk);
    const before = (await answers()).length;
    await person.getByRole('button', { name: 'Send my answers' }).click();
    await expect(heading(person)).resolves.toBe('This link has already been used or has expired');
    const opened = await person.goto(`/give-feedback/${token}`);
    expect(opened?.status()).toBe(410);
    expect(await answers()).toHaveLength(before);
    await phone.close();
  });

  it('answers an unknown or malformed link with the same 410 page, never a sign-in redirect, kept by no cache', async () => {
    const unknown = await fetch(`${api.url}/give-feedback/${'A'.repeat(32)}`, { redirect: 'manual' });
    expect(unknown.status).toBe(410);
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect(unknown.headers.get('referrer-policy')).toBe('no-referrer');
    const malformed = await fetch(`${api.url}/give-feedback/not-a-link`, { redirect: 'manual' });
    expect(malformed.status).toBe(410);
  });
});
