import * as z from 'zod';
import { DEFAULT_DISCLOSURE_POLICY } from './disclosure';

export const programmeSchema = z
  .object({
    state: z.enum(['active', 'paused']),
    pausedReason: z.string().max(500).optional(),
    disclosurePolicy: z.object({ minGroupSize: z.int().min(2).max(100) }).strict(),
    updatedAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'Programme' });

export type Programme = z.infer<typeof programmeSchema>;

/** What the programme is before an admin has changed anything. */
export const DEFAULT_PROGRAMME: Programme = { state: 'active', disclosurePolicy: DEFAULT_DISCLOSURE_POLICY };

export interface ProgrammeStore {
  getProgramme(): Promise<Programme>;
}
