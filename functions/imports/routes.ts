import { route } from '../../shared/http/route-spec';
import { IMPORT_MAX_BODY_BYTES } from './imports';
import { importBodySchema, importJobViewSchema, importParamsSchema } from './import-jobs';

/** Bulk CSV imports as background jobs: every row lands or none does. */
export const routes = {
  importCsv: route({
    method: 'POST',
    path: '/imports',
    fn: 'imports',
    summary:
      'Start a bulk CSV import of capital checks, engagement returns or interview findings for one site, inline or through a presigned upload; it runs in the background (poll GET /imports/{id}) and every row lands or none does',
    access: ['evaluator', 'provider'],
    submission: true,
    body: importBodySchema,
    maxBodyBytes: IMPORT_MAX_BODY_BYTES,
    response: { status: 202, schema: importJobViewSchema, description: 'The import job has started' },
  }),
  getImport: route({
    method: 'GET',
    path: '/imports/{id}',
    fn: 'imports',
    summary:
      "An import job's state and progress, and when refused every bad row and column; for whoever started it and evaluators",
    access: ['evaluator', 'provider'],
    params: importParamsSchema,
    response: { status: 200, schema: importJobViewSchema, description: 'The import job' },
  }),
  cancelImport: route({
    method: 'POST',
    path: '/imports/{id}/cancel',
    fn: 'imports',
    summary: 'Cancel an import job that has not finished: nothing of it becomes visible',
    access: ['evaluator', 'provider'],
    params: importParamsSchema,
    response: { status: 200, schema: importJobViewSchema, description: 'The cancelled import job' },
  }),
} as const;
