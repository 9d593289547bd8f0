import { randomUUID } from 'node:crypto';
import type { AgeBand, CapitalCheckBody, CheckKind } from '../../functions/participants/participants';

/** A provider reference no other test uses (never shaped like a national identifier). */
export const uniqueRef = (prefix = 'CLW'): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A complete, valid capital check: every strength scored `score`, barriers and needs as given. */
export function capitalBody(
  participantRef: string,
  options: {
    kind?: CheckKind;
    date?: string;
    score?: number;
    ageBand?: AgeBand | null;
    barriers?: boolean;
    needs?: boolean;
  } = {},
): CapitalCheckBody {
  const score = options.score ?? 3;
  const yes = options.barriers ?? true;
  const need = options.needs ?? true;
  const ageBand = options.ageBand === undefined ? '21-25' : options.ageBand;
  return {
    participantRef,
    kind: options.kind ?? 'baseline',
    date: options.date ?? '2025-01-06',
    questionnaireVersion: 1,
    ...(ageBand === null ? {} : { ageBand }),
    barriers: {
      unsettledHome: yes,
      drinkOrDrugs: yes,
      openJusticeMatters: false,
      nothingToDo: yes,
      moneyTrouble: false,
      noOneToTurnTo: false,
    },
    needs: {
      housing: need,
      drugAlcoholTreatment: false,
      mentalHealth: need,
      physicalHealth: false,
      familyRelationships: false,
      legal: false,
      financeBenefits: need,
      employmentTraining: false,
    },
    strengths: {
      housingStability: score,
      finance: score,
      workLearningVolunteering: score,
      recovery: score,
      relationships: score,
      communityInvolvement: score,
    },
  };
}
