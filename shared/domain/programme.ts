import * as z from 'zod';
import type { AuditEvent } from './audit';
import { DEFAULT_DISCLOSURE_POLICY } from './disclosure';
import { ProgrammePausedError } from './errors';

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

/**
 * Refuses a data submission while early testing is paused (during bidding), saying why. Reads,
 * published downloads and erasure on withdrawn consent are never paused.
 */
export function assertAcceptingSubmissions(programme: Programme): void {
  if (programme.state !== 'paused') return;
  throw new ProgrammePausedError(
    programme.pausedReason ??
      'Early testing is paused while the competition is open: new data is not being taken. Reads and published packs still work.',
  );
}

/** The port the programme change needs: the write, with its audit event, in one transaction. */
export interface ProgrammeWriter extends ProgrammeStore {
  saveProgramme(programme: Programme, audit: AuditEvent): Promise<void>;
}
