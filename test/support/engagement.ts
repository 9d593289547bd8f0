import type { EngagementFigures } from '../../functions/engagement/engagement';

/** A month's engagement figures that keep every consistency rule, with any fields changed. */
export function engagementFigures(overrides: Partial<EngagementFigures> = {}): EngagementFigures {
  return {
    referralsReceived: 5,
    initialAppointments: { booked: 6, attended: 4, notAttended: 1, cancelled: 1 },
    sessions: { booked: 20, attended: 15, notAttended: 3, cancelled: 1 },
    caseload: 12,
    completions: 2,
    withdrawals: 1,
    ...overrides,
  };
}
