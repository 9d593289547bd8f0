import * as z from 'zod';
import { siteIdSchema } from '../../shared/domain/sites';
import { route } from '../../shared/http/route-spec';
import { codebookSchema, themeBodySchema, themeReceiptSchema } from './codebook';
import {
  INTERVIEW_MAX_BODY_BYTES,
  interviewBodySchema,
  interviewErasureSchema,
  interviewListQuerySchema,
  interviewListSchema,
  interviewParamsSchema,
  interviewReceiptSchema,
  storedInterviewSchema,
} from './interviews';
import { redactionPreviewBodySchema, redactionPreviewSchema } from './redaction-preview';
import { uploadBodySchema, uploadTicketSchema } from './uploads';

/** The codebook, interview attachments and interview findings. */
export const routes = {
  getCodebook: route({
    method: 'GET',
    path: '/codebook',
    fn: 'findings',
    summary: 'The question areas (4.3 to 4.8), the outcomes (a to j) and the themes added so far',
    access: ['evaluator'],
    response: { status: 200, schema: codebookSchema, description: 'The codebook' },
  }),
  addCodebookTheme: route({
    method: 'POST',
    path: '/codebook/themes',
    fn: 'findings',
    // Not a submission: analysis carries on while early testing is paused for bidding.
    summary: 'Add a theme under one question area; its name must be new to that area',
    access: ['evaluator'],
    body: themeBodySchema,
    response: { status: 201, schema: themeReceiptSchema, description: 'Added' },
  }),
  createUpload: route({
    method: 'POST',
    path: '/uploads',
    fn: 'findings',
    summary: 'A presigned PUT, valid for five minutes, for one interview attachment of a given type and size',
    access: ['evaluator'],
    submission: true,
    body: uploadBodySchema,
    response: { status: 201, schema: uploadTicketSchema, description: 'Where and how to upload the file' },
  }),
  submitInterview: route({
    method: 'POST',
    path: '/sites/{site}/interviews',
    fn: 'findings',
    summary:
      "An interview or focus group's coded findings and quotes, with consent; free text is redacted before it is stored",
    access: ['evaluator'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: interviewBodySchema,
    maxBodyBytes: INTERVIEW_MAX_BODY_BYTES,
    response: {
      status: 201,
      schema: interviewReceiptSchema,
      description: 'Recorded; says what redaction removed',
    },
  }),
  listInterviews: route({
    method: 'GET',
    path: '/sites/{site}/interviews',
    fn: 'findings',
    summary:
      "A page of the site's interview findings, newest first: coding, counts and consent, never a summary's or a quote's text",
    access: ['evaluator'],
    params: z.object({ site: siteIdSchema }).strict(),
    query: interviewListQuerySchema,
    response: { status: 200, schema: interviewListSchema, description: 'A page of findings' },
  }),
  getInterview: route({
    method: 'GET',
    path: '/sites/{site}/interviews/{id}',
    fn: 'findings',
    summary: 'One stored interview finding, as redacted',
    access: ['evaluator'],
    params: interviewParamsSchema,
    response: { status: 200, schema: storedInterviewSchema, description: 'The finding' },
  }),
  eraseInterview: route({
    method: 'DELETE',
    path: '/sites/{site}/interviews/{id}',
    fn: 'findings',
    summary:
      'Erase one interview finding and its attached file; works while paused, and answers 200 with zero counts when it was already gone',
    access: ['evaluator'],
    params: interviewParamsSchema,
    response: { status: 200, schema: interviewErasureSchema, description: 'What was erased' },
  }),
  previewRedaction: route({
    method: 'POST',
    path: '/redactions',
    fn: 'findings',
    summary:
      'What redaction would remove from a text, before it is saved: the redacted text and the kinds and counts removed. Stored nowhere, logged nowhere; an Idempotency-Key header is ignored',
    access: ['evaluator', 'provider'],
    // Not a submission (nothing is recorded), so it works while early testing is paused.
    storesNothing: true,
    body: redactionPreviewBodySchema,
    maxBodyBytes: 8 * 1024,
    response: { status: 200, schema: redactionPreviewSchema, description: 'The text as it would be stored' },
  }),
} as const;
