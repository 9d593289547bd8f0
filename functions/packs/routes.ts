import { route } from '../../shared/http/route-spec';
import {
  buildAcceptedSchema,
  DOWNLOAD_URL_SECONDS,
  downloadLinkSchema,
  downloadQuerySchema,
  MIN_RELEASE_NOTICE_MINUTES,
  packBuildBodySchema,
  packDetailSchema,
  packListSchema,
  packParamsSchema,
  packViewSchema,
  previewQuerySchema,
  publishBodySchema,
  publishedPackListSchema,
  withdrawBodySchema,
} from './lifecycle';
import { packSchema } from './pack-model';
import { packPolicySchema, policyHistorySchema, policyVersionSchema } from './policy';

/**
 * Learning packs: building (asynchronously, by the pack builder function), four-eyes approval,
 * publishing with a release time, withdrawal, audited downloads, and the pack disclosure policy.
 * None is a `submission`: analysis and publishing carry on while early testing is paused.
 */
export const routes = {
  buildPack: route({
    method: 'POST',
    path: '/packs',
    fn: 'packs',
    summary:
      'Build a learning pack for a period and sites; the build runs in the background (poll GET /packs/{id}) and ends as a draft or failed with the reason',
    access: ['evaluator'],
    body: packBuildBodySchema,
    maxBodyBytes: 4 * 1024,
    response: { status: 202, schema: buildAcceptedSchema, description: 'The build has started' },
  }),
  listPacks: route({
    method: 'GET',
    path: '/packs',
    fn: 'packs',
    summary: 'Every pack and its state, newest first',
    access: ['evaluator'],
    response: { status: 200, schema: packListSchema, description: 'The packs' },
  }),
  getPack: route({
    method: 'GET',
    path: '/packs/{id}',
    fn: 'packs',
    summary:
      "A pack's state, its builder and approver (as pseudonyms), content hash and full disclosure report",
    access: ['evaluator'],
    params: packParamsSchema,
    response: { status: 200, schema: packDetailSchema, description: 'The pack' },
  }),
  previewPack: route({
    method: 'GET',
    path: '/packs/{id}/preview',
    fn: 'packs',
    summary:
      "A built pack's file, returned in the body (HTML page, the JSON shown here, or a zip of CSV files); never cached",
    access: ['evaluator'],
    params: packParamsSchema,
    query: previewQuerySchema,
    response: { status: 200, schema: packSchema, description: 'The draft in the format asked for' },
  }),
  approvePack: route({
    method: 'POST',
    path: '/packs/{id}/approve',
    fn: 'packs',
    summary:
      'Four-eyes approval of a draft that passed its disclosure audit, by an evaluator other than its builder',
    access: ['evaluator'],
    params: packParamsSchema,
    response: { status: 200, schema: packViewSchema, description: 'Approved' },
  }),
  publishPack: route({
    method: 'POST',
    path: '/packs/{id}/publish',
    fn: 'packs',
    summary: `Publish an approved pack (immutable, versioned, content-hashed) at a release time announced at least ${MIN_RELEASE_NOTICE_MINUTES} minutes ahead; no market user sees it before, all see it from then`,
    access: ['evaluator'],
    params: packParamsSchema,
    body: publishBodySchema,
    response: { status: 200, schema: packViewSchema, description: 'Published, to be released at releaseAt' },
  }),
  withdrawPack: route({
    method: 'POST',
    path: '/packs/{id}/withdraw',
    fn: 'packs',
    summary: 'Withdraw a published pack with a reason; it stays on record and in listings, marked withdrawn',
    access: ['evaluator'],
    params: packParamsSchema,
    body: withdrawBodySchema,
    response: { status: 200, schema: packViewSchema, description: 'Withdrawn' },
  }),
  listPublishedPacks: route({
    method: 'GET',
    path: '/published-packs',
    fn: 'packs',
    summary:
      'Published packs (title, period, sites, version, published at, SHA-256); market users see each from its release time',
    access: ['market', 'evaluator'],
    response: { status: 200, schema: publishedPackListSchema, description: 'The published packs' },
  }),
  downloadPublishedPack: route({
    method: 'GET',
    path: '/published-packs/{id}/download',
    fn: 'packs',
    summary: `Redirect (302) to a presigned URL of one published file, expiring in ${DOWNLOAD_URL_SECONDS} seconds; every download is audited`,
    access: ['market', 'evaluator'],
    params: packParamsSchema,
    query: downloadQuerySchema,
    response: { status: 302, schema: downloadLinkSchema, description: 'See Location (also in the body)' },
  }),
  getDisclosurePolicy: route({
    method: 'GET',
    path: '/disclosure-policy',
    fn: 'packs',
    summary: 'The pack disclosure policy in force, and every earlier version',
    access: ['evaluator', 'admin'],
    response: { status: 200, schema: policyHistorySchema, description: 'The policy and its history' },
  }),
  setDisclosurePolicy: route({
    method: 'PUT',
    path: '/disclosure-policy',
    fn: 'packs',
    summary:
      'A new version of the pack disclosure policy (audited); a pack series keeps the version it started with',
    access: ['admin'],
    body: packPolicySchema,
    maxBodyBytes: 2 * 1024,
    response: { status: 201, schema: policyVersionSchema, description: 'The new version' },
  }),
} as const;
