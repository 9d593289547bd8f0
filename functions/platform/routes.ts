import * as z from 'zod';
import { programmeSchema } from '../../shared/domain/programme';
import { easyReadQuestionnaireSchema } from '../../shared/domain/questionnaires';
import { SITES, siteIdSchema } from '../../shared/domain/sites';
import { ANY_ROLE, route } from '../../shared/http/route-spec';

/** The capital-check instrument, as served by `GET /questionnaires/capital-check`. */
const instrumentItemSchema = z.object({ id: z.string().max(40), text: z.string().max(300) }).strict();
const yesNoSectionSchema = z
  .object({
    title: z.string().max(200),
    prompt: z.string().max(300),
    items: z.array(instrumentItemSchema).max(50),
  })
  .strict();

export const capitalCheckInstrumentSchema = z
  .object({
    id: z.string().max(64),
    version: z.int(),
    title: z.string().max(200),
    purpose: z.string().max(500),
    kinds: z.array(z.string().max(20)).max(10),
    followUp: z.object({ afterDays: z.int(), windowDays: z.int() }).strict(),
    sections: z
      .object({
        barriers: yesNoSectionSchema,
        needs: yesNoSectionSchema,
        strengths: z
          .object({
            title: z.string().max(200),
            prompt: z.string().max(300),
            domains: z
              .array(
                z
                  .object({
                    id: z.string().max(40),
                    outcome: z.enum(['a', 'b', 'c', 'd', 'e', 'f']),
                    title: z.string().max(100),
                    text: z.string().max(300),
                    scale: z
                      .object({
                        min: z.int(),
                        max: z.int(),
                        labels: z.record(z.string(), z.string().max(60)),
                      })
                      .strict(),
                  })
                  .strict(),
              )
              .max(20),
          })
          .strict(),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'CapitalCheckInstrument' });

const siteSchema = z
  .object({ id: siteIdSchema, name: z.string().max(80), cohortFocus: z.string().max(200) })
  .strict()
  .meta({ id: 'Site' });

const scaleQuestionnaireSchema = z
  .object({
    id: z.string().max(64),
    version: z.int(),
    title: z.string().max(200),
    purpose: z.string().max(500),
    scale: z.object({ min: z.int(), max: z.int(), labels: z.record(z.string(), z.string()) }).strict(),
    items: z.array(z.object({ id: z.string().max(40), text: z.string().max(300) }).strict()).max(50),
    comment: z.object({ prompt: z.string().max(300), maxLength: z.int() }).strict(),
  })
  .strict()
  .meta({ id: 'ScaleQuestionnaire' });

/**
 * A questionnaire is one scale with items (`wellbeing-pulse`), the sectioned `capital-check`, or an
 * easy-read questionnaire of one question a page (`feedback-easy-read`).
 */
const questionnaireSchema = z
  .union([scaleQuestionnaireSchema, capitalCheckInstrumentSchema, easyReadQuestionnaireSchema])
  .meta({ id: 'Questionnaire' });

/** Health, the OpenAPI document, reference data and the programme state. */
export const routes = {
  health: route({
    method: 'GET',
    path: '/health',
    fn: 'platform',
    summary: 'Liveness check',
    access: 'public',
    response: { status: 200, schema: z.object({ status: z.literal('ok') }).strict(), description: 'Up' },
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    fn: 'platform',
    summary: 'This API as an OpenAPI 3.1 document',
    access: 'public',
    response: { status: 200, schema: z.record(z.string(), z.unknown()), description: 'OpenAPI 3.1' },
  }),
  listSites: route({
    method: 'GET',
    path: '/sites',
    fn: 'platform',
    summary: 'The early-testing sites and their cohort focus',
    access: ANY_ROLE,
    response: {
      status: 200,
      schema: z.object({ sites: z.array(siteSchema).max(SITES.length) }).strict(),
      description: 'Sites',
    },
  }),
  getQuestionnaire: route({
    method: 'GET',
    path: '/questionnaires/{id}',
    fn: 'platform',
    summary: 'A versioned questionnaire definition',
    access: ANY_ROLE,
    params: z.object({ id: z.string().min(1).max(64) }).strict(),
    response: { status: 200, schema: questionnaireSchema, description: 'The definition' },
  }),
  getProgramme: route({
    method: 'GET',
    path: '/programme',
    fn: 'platform',
    summary: 'Programme state and disclosure policy',
    access: ANY_ROLE,
    response: { status: 200, schema: programmeSchema, description: 'Programme' },
  }),
} as const;
