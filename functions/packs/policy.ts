import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import type { Principal } from '../../shared/domain/roles';

/**
 * The pack disclosure policy, versioned and stored with the programme. An admin changes it by adding
 * a version; a pack series keeps the version its first published pack used.
 *
 * The fields are the ones every rule needs; disclosure control may read more (the body is checked
 * strictly, so a new field is a deliberate schema change).
 */
export const packPolicySchema = z
  .object({
    threshold: z.int().min(2).max(100).meta({
      description: 'Counts of people from 1 to threshold - 1 are shown as [c] (confidential).',
    }),
    roundingBase: z
      .int()
      .min(1)
      .max(100)
      .meta({ description: 'Other counts of people are rounded to a multiple of this.' }),
    minimumRateBase: z.int().min(1).max(1000).meta({
      description: 'Rates, means and medians only where the denominator is at least this many people.',
    }),
    minimumStaffRespondents: z.int().min(2).max(100).meta({
      description: 'Staff figures only at programme level and from at least this many respondents.',
    }),
  })
  .strict()
  .meta({ id: 'PackDisclosurePolicy' });
export type PackPolicy = z.infer<typeof packPolicySchema>;

export const policyVersionSchema = packPolicySchema
  .extend({
    version: z.int().min(1),
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

/**
 * Version 1, in force until an admin sets another: counts of 1 to 9 people suppressed and the rest
 * rounded to 5, as the Analysis Function's guidance for small counts does; rates only over at least
 * 10 people, as a rate over fewer moves by 10 points per person; staff figures from at least 5.
 */
export const DEFAULT_PACK_POLICY: DisclosurePolicyVersion = {
  version: 1,
  threshold: 10,
  roundingBase: 5,
  minimumRateBase: 10,
  minimumStaffRespondents: 5,
};

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
