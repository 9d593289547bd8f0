import { afterAll, describe, expect, it } from 'vitest';
import { wellbeingWiring } from '../../functions/wellbeing/wiring';
import { demoSubject } from '../../local/issuer';
import { addDays, isoWeekOf } from '../../shared/domain/iso-week';
import type { SiteId } from '../../shared/domain/sites';
import { client, pulseBody } from '../support/client';
import { startTestApi } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const provider = (user: string, site: SiteId = 'london') => ({ role: 'provider' as const, site, user });

const checkIn = async (user: string, comment?: string) => {
  const answer = await http.request('POST', '/sites/london/wellbeing-pulses', {
    as: provider(user),
    body: pulseBody(2, comment),
  });
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`Could not check in: ${answer.status}`);
};

const thisWeek = (user: string, site: SiteId = 'london') =>
  http.request('GET', `/sites/${site}/wellbeing-pulses/this-week`, { as: provider(user, site) });

/** The stored time of a user's check-in this week, as the wellbeing store keeps it. */
const storedTime = async (user: string) => {
  const deps = await wellbeingWiring(api.env);
  const week = isoWeekOf(new Date());
  return deps.pulses.findPulseTime('london', week.monday, deps.pseudonymise(demoSubject(user)));
};

describe('GET /sites/{site}/wellbeing-pulses/this-week', () => {
  it('says a staff member who has not checked in this week has not', async () => {
    const before = isoWeekOf(new Date());
    const answer = await thisWeek('not-yet');

    expect(answer.status).toBe(200);
    // Unless the test ran across Sunday midnight (UTC), the week is the one it started in.
    const week = answer.body.week === before.label ? before : isoWeekOf(new Date());
    expect(answer.body).toEqual({ site: 'london', week: week.label, monday: week.monday, checkedIn: false });
  });

  it('says when the caller checked in, and the later time once a new one replaced it, never the answers', async () => {
    await checkIn('sam', 'Busy week');
    const first = await thisWeek('sam');
    await checkIn('sam');
    const second = await thisWeek('sam');

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ site: 'london', checkedIn: true });
    expect(Object.keys(first.body).sort()).toEqual(['checkedIn', 'monday', 'site', 'submittedAt', 'week']);
    expect(second.body.submittedAt).toBe(await storedTime('sam'));
    expect(String(second.body.submittedAt) > String(first.body.submittedAt)).toBe(true);
    expect(JSON.stringify([first.body, second.body])).not.toMatch(/answers|comment|Busy week/);
  });

  it("tells nothing about a colleague's check-in", async () => {
    await checkIn('kim');

    const answer = await thisWeek('lee');

    expect(answer.body.checkedIn).toBe(false);
    expect(answer.body).not.toHaveProperty('submittedAt');
  });

  it("does not count last week's check-in", async () => {
    const deps = await wellbeingWiring(api.env);
    const respondent = deps.pseudonymise(demoSubject('back-from-leave'));
    const lastMonday = addDays(isoWeekOf(new Date()).monday, -7);
    const lastWeek = isoWeekOf(new Date(`${lastMonday}T12:00:00Z`));
    await deps.pulses.savePulse(
      {
        site: 'london',
        week: lastWeek.label,
        monday: lastWeek.monday,
        respondent,
        questionnaireVersion: 1,
        answers: pulseBody(3).answers,
        submittedAt: `${lastMonday}T12:00:00.000Z`,
      },
      () => ({
        id: 'audit-last-week',
        at: `${lastMonday}T12:00:00.000Z`,
        actor: respondent,
        action: 'wellbeing-pulse.create',
        subjectType: 'wellbeing-pulse',
        subjectId: `london/${lastWeek.label}`,
      }),
    );

    const answer = await thisWeek('back-from-leave');

    expect(answer.body.checkedIn).toBe(false);
  });

  it("refuses provider staff another site's check-in status", async () => {
    const answer = await http.request('GET', '/sites/north-east/wellbeing-pulses/this-week', {
      as: provider('sam'),
    });

    expect(answer.status).toBe(403);
  });
});
