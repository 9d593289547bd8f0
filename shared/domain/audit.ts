/**
 * One append-only audit event. `actor` is a keyed pseudonym; `subjectId` names a record, never a
 * person's data. Written in the same transaction as the change it records.
 */
export interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
}
