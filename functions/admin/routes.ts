import { route } from '../../shared/http/route-spec';
import { programmeSchema } from '../../shared/domain/programme';
import { auditPageSchema, auditQuerySchema, programmeChangeSchema } from './admin';

/** Programme administration (the bidding pause) and the audit log. */
export const routes = {
  changeProgramme: route({
    method: 'PUT',
    path: '/programme',
    fn: 'admin',
    summary: 'Pause early testing (e.g. during bidding) or resume it; while paused, submissions answer 423',
    access: ['admin'],
    body: programmeChangeSchema,
    response: { status: 200, schema: programmeSchema, description: 'The programme as it now is' },
  }),
  readAudit: route({
    method: 'GET',
    path: '/audit',
    fn: 'admin',
    summary: 'The append-only audit log, newest first: who (as a pseudonym), what, when, subject',
    access: ['admin'],
    query: auditQuerySchema,
    response: { status: 200, schema: auditPageSchema, description: 'A page of events' },
  }),
} as const;
