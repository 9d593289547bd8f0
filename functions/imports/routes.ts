import { route } from '../../shared/http/route-spec';
import { IMPORT_MAX_BODY_BYTES, importBodySchema, importReceiptSchema } from './imports';

/** Bulk CSV import: every row lands or none does. */
export const routes = {
  importCsv: route({
    method: 'POST',
    path: '/imports',
    fn: 'imports',
    summary:
      'Bulk CSV import of capital checks, engagement returns or interview findings for one site: all rows land or none, with every bad row and column listed',
    access: ['evaluator', 'provider'],
    submission: true,
    body: importBodySchema,
    maxBodyBytes: IMPORT_MAX_BODY_BYTES,
    response: { status: 201, schema: importReceiptSchema, description: 'Every row imported' },
  }),
} as const;
