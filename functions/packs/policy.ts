import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import type { Principal } from '../../shared/domain/roles';
import { DEFAULT_PACK_DISCLOSURE_POLICY, packDisclosurePolicySchema } from './disclosure-policy';

/**
 * The pack disclosure policy, versioned and stored with the programme. An admin changes it by adding
 * a version; a pack series keeps the version its first published pack used.
 *
 * There is one policy shape: the one disclosure control applies ({@link packDisclosurePolicySchema}).
 * The body an admin sends is that policy without its version (the store numbers versions), checked
 * strictly, so the policy stored is always one disclosure control can apply as it stands.
 */
export const packPolicySchema = packDisclosurePolicySchema
  .omit({ version: true })
  .strict()
  .meta({ id: 'PackDisclosurePolicy' });
export type PackPolicy = z.infer<typeof packPolicySchema>;

export const policyVersionSchema = packDisclosurePolicySchema
  .extend({
    /** Absent for the built-in version 1, which no admin set. */
    setAt: z.iso.datetime().optional(),
    setBy: z.string().max(100).optional(),
  })
  .strict()
  .meta({ id: 'PackDisclosurePolicyVersion' });
export type DisclosurePolicyVersion = z.infer<typeof policyVersionSchema>;

export const policyHistorySchema = z
  .object({ current: policyVersionSchema, history: z.array(policyVersionSchema).max(1000) })
  .strict()
  .meta({ id: 'PackDisclosurePolicyHistory' });

/** Version 1, in force until an admin sets another (its choices are explained field by field). */
export const DEFAULT_PACK_POLICY: DisclosurePolicyVersion = DEFAULT_PACK_DISCLOSURE_POLICY;

export interface PolicyStore {
  /** Every stored version, oldest first (without the built-in version 1 unless an admin stored one). */
  history(): Promise<DisclosurePolicyVersion[]>;
  /** Adds a version with its audit event; a ConflictError if that version number is taken. */
  add(policy: DisclosurePolicyVersion, audit: AuditEvent): Promise<void>;
}

export interface PolicyDeps {
  readonly policies: PolicyStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

export async function policyHistory(
  deps: Pick<PolicyDeps, 'policies'>,
): Promise<z.infer<typeof policyHistorySchema>> {
  const stored = await deps.policies.history();
  const history = stored[0]?.version === 1 ? stored : [DEFAULT_PACK_POLICY, ...stored];
  return { current: history[history.length - 1] ?? DEFAULT_PACK_POLICY, history };
}

export async function currentPolicy(deps: Pick<PolicyDeps, 'policies'>): Promise<DisclosurePolicyVersion> {
  return (await policyHistory(deps)).current;
}

/** A given version; the built-in version 1 when none was stored under that number. */
export async function policyVersion(
  deps: Pick<PolicyDeps, 'policies'>,
  version: number,
): Promise<DisclosurePolicyVersion | undefined> {
  return (await policyHistory(deps)).history.find((p) => p.version === version);
}

/** Adds a new version of the policy; packs already published keep theirs. */
export async function setPolicy(
  deps: PolicyDeps,
  principal: Principal,
  body: PackPolicy,
): Promise<DisclosurePolicyVersion> {
  const current = await currentPolicy(deps);
  const at = deps.now().toISOString();
  const next: DisclosurePolicyVersion = {
    ...body,
    version: current.version + 1,
    setAt: at,
    setBy: principal.actor,
  };
  await deps.policies.add(next, {
    id: deps.newId(),
    at,
    actor: principal.actor,
    action: 'disclosure-policy.set',
    subjectType: 'disclosure-policy',
    subjectId: `v${next.version}`,
  });
  return next;
}
