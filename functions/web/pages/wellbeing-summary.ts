import { WELLBEING_PULSE_V1 } from '../../../shared/domain/questionnaires';
import { SITES } from '../../../shared/domain/sites';
import { fieldProblems } from '../api-client';
import type { PageHandlers } from '../web';
import { dateText, problemDetail } from './evaluator-forms';

/** Quarters the picker offers: this one and the seven before it, newest first. */
const QUARTERS_OFFERED = 8;

/** A calendar quarter as `YYYY-Qn`, `back` quarters before the one holding `now`. */
function quarterBefore(now: Date, back: number): string {
  const index = now.getUTCFullYear() * 4 + Math.floor(now.getUTCMonth() / 3) - back;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

function quarterText(period: string): string {
  const match = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!match) return period;
  const months = ['January to March', 'April to June', 'July to September', 'October to December'];
  return `${months[Number(match[2]) - 1] ?? ''} ${match[1] ?? ''}`;
}

interface Group {
  readonly scope: string;
  readonly site?: string;
  readonly status: 'shown' | 'suppressed';
  readonly respondents?: number;
  readonly checkIns?: number;
  readonly comments?: number;
  readonly items?: readonly { readonly id: string; readonly mean: number }[];
  readonly reason?: string;
}

/**
 * A quarter's staff wellbeing, by programme and site, as the API gives it under the disclosure
 * rules: one calendar quarter that has ended (default the last), picked from a list. The API
 * decides which quarters it answers; a refusal is shown with its reason against the picker.
 */
export const wellbeingSummaryPage: PageHandlers = {
  get: async (context) => {
    const asked = context.request.query.get('period') ?? undefined;
    const period = asked ?? quarterBefore(context.now, 1);
    const answer = await context.api('wellbeingSummary', { query: { period } });
    const quarterItems = Array.from({ length: QUARTERS_OFFERED }, (_, back) => {
      const value = quarterBefore(context.now, back);
      return { value, text: `${value} (${quarterText(value)})`, selected: value === period };
    });
    if (answer.status !== 200) {
      const detail = fieldProblems(answer)[0]?.detail ?? problemDetail(answer);
      const text = `The summary for ${quarterText(period)} cannot be shown: ${detail}`;
      return {
        template: 'wellbeing-summary.njk',
        status: 400,
        model: { quarterItems, errorList: [{ text, href: '#period' }], periodError: { text } },
      };
    }
    const groups = ((answer.body.groups ?? []) as Group[]).map((group) => ({
      heading:
        group.scope === 'programme'
          ? 'Whole programme'
          : (SITES.find((s) => s.id === group.site)?.name ?? group.site),
      shown: group.status === 'shown',
      reason: group.reason,
      respondents: group.respondents,
      checkIns: group.checkIns,
      comments: group.comments,
      items: (group.items ?? []).map((item) => ({
        text: WELLBEING_PULSE_V1.items.find((i) => i.id === item.id)?.text ?? item.id,
        mean: item.mean.toFixed(1),
      })),
    }));
    return {
      template: 'wellbeing-summary.njk',
      model: {
        quarterItems,
        period: quarterText(typeof answer.body.period === 'string' ? answer.body.period : period),
        from: dateText(answer.body.from),
        to: dateText(answer.body.to),
        minGroupSize: (answer.body.disclosurePolicy as { minGroupSize?: number } | undefined)?.minGroupSize,
        groups,
      },
    };
  },
};
