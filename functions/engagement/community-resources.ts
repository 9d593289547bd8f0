import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { type CursorSigner, decodeCursor, encodeCursor, SIGNED_CURSOR } from '../../shared/domain/cursors';
import { ValidationError } from '../../shared/domain/errors';
import { findRedactions, redactFreeText } from '../../shared/domain/redaction';
import type { Principal } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';

import {
  MAX_SEED_FUNDING_POUNDS,
  ORGANISATION_NAME_MAX_LENGTH,
  RESOURCE_LOCALITY_MAX_LENGTH,
  RESOURCE_STATUSES,
  RESOURCE_SUITS,
  RESOURCE_SUITS_DESCRIPTION_MAX_LENGTH,
  RESOURCE_TYPES,
} from '../../shared/domain/resource-codes';

export {
  MAX_SEED_FUNDING_POUNDS,
  ORGANISATION_NAME_MAX_LENGTH,
  RESOURCE_STATUSES,
  RESOURCE_SUITS,
  RESOURCE_TYPES,
} from '../../shared/domain/resource-codes';

const codes = <T extends Record<string, string>>(labels: T) =>
  Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];

export const communityResourceBodySchema = z
  .object({
    organisationName: z
      .string()
      .trim()
      .min(1)
      .max(ORGANISATION_NAME_MAX_LENGTH)
      .regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)
      .meta({
        description:
          "The organisation's or group's name, never a person's: a name with a person's name or any identifier in it is refused.",
      }),
    type: z.enum(codes(RESOURCE_TYPES)),
    status: z
      .enum(codes(RESOURCE_STATUSES))
      .meta({ description: '`new`: generated during early testing (outcome g).' }),
    seedFunded: z.boolean(),
    seedFundingPounds: z
      .int()
      .min(0)
      .max(MAX_SEED_FUNDING_POUNDS)
      .optional()
      .meta({ description: 'Seed funding given, in whole pounds; only when `seedFunded` is true.' }),
    openAccess: z.boolean().meta({ description: 'Anyone can go, without a referral or membership.' }),
    suits: z
      .array(z.enum(codes(RESOURCE_SUITS)))
      .max(Object.keys(RESOURCE_SUITS).length)
      .superRefine((list, ctx) => {
        list.forEach((code, index) => {
          if (list.indexOf(code) < index) {
            ctx.addIssue({ code: 'custom', message: `\`${code}\` is already in the list`, path: [index] });
          }
        });
      })
      .meta({
        description: 'Who it particularly suits, each code at most once; empty when it suits anyone.',
      }),
    suitsDescription: z
      .string()
      .trim()
      .max(RESOURCE_SUITS_DESCRIPTION_MAX_LENGTH)
      .regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)
      .optional()
      .meta({
        description: 'Optional, a few words on who it suits. Identifiers are removed before storing.',
      }),
    linksMade: z
      .int()
      .min(0)
      .max(10_000)
      .meta({ description: 'How many people link workers have linked to it so far.' }),
    locality: z
      .string()
      .trim()
      .max(RESOURCE_LOCALITY_MAX_LENGTH)
      .regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)
      .optional()
      .meta({ description: 'Optional area or locality. Identifiers (e.g. a full postcode) are removed.' }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.seedFundingPounds !== undefined && !body.seedFunded) {
      ctx.addIssue({
        code: 'custom',
        message: 'only goes with seedFunded: true',
        path: ['seedFundingPounds'],
      });
    }
  })
  .meta({
    id: 'CommunityResource',
    description: 'A community resource linked to or generated (4.7, outcome g).',
  });

export type CommunityResourceBody = z.infer<typeof communityResourceBodySchema>;

export const communityResourceReceiptSchema = z
  .object({
    id: z.string().max(64),
    site: z.enum(SITE_IDS),
    redacted: z
      .record(z.string(), z.int())
      .meta({ description: 'What was removed from suitsDescription and locality, by kind and count.' }),
  })
  .strict()
  .meta({ id: 'CommunityResourceReceipt' });

export type CommunityResourceReceipt = z.infer<typeof communityResourceReceiptSchema>;

/** A stored resource: organisation data only; who added it is in the audit log. */
export interface StoredCommunityResource {
  readonly id: string;
  readonly site: SiteId;
  readonly organisationName: string;
  readonly type: CommunityResourceBody['type'];
  readonly status: CommunityResourceBody['status'];
  readonly seedFunded: boolean;
  readonly seedFundingPounds?: number;
  readonly openAccess: boolean;
  readonly suits: CommunityResourceBody['suits'];
  readonly suitsDescription?: string;
  readonly linksMade: number;
  readonly locality?: string;
  readonly recordedAt: string;
}

const resourceViewSchema = z
  .object({
    id: z.string().max(64),
    organisationName: z.string().max(ORGANISATION_NAME_MAX_LENGTH),
    type: z.enum(codes(RESOURCE_TYPES)),
    status: z.enum(codes(RESOURCE_STATUSES)),
    seedFunded: z.boolean(),
    seedFundingPounds: z.int().optional(),
    openAccess: z.boolean(),
    suits: z.array(z.enum(codes(RESOURCE_SUITS))).max(Object.keys(RESOURCE_SUITS).length),
    suitsDescription: z.string().max(1000).optional(),
    linksMade: z.int(),
    locality: z.string().max(1000).optional(),
    recordedAt: z.iso.datetime(),
  })
  .strict();

/**
 * The most resources one site's map holds (a site has tens to low hundreds): a further one is
 * refused with 409, so the map always fits one answer.
 */
export const MAX_RESOURCES_PER_SITE = 2000;

export const RESOURCES_PAGE_DEFAULT = 100;
export const RESOURCES_PAGE_MAX = 500;

export const resourceMapQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(RESOURCES_PAGE_MAX)
      .optional()
      .meta({
        description: `Resources per page, 1-${RESOURCES_PAGE_MAX}; default ${RESOURCES_PAGE_DEFAULT}.`,
      }),
    cursor: z
      .string()
      .max(800)
      .regex(SIGNED_CURSOR)
      .optional()
      .meta({ description: 'The `next` value of the previous page, as given (it is signed).' }),
  })
  .strict();

export type ResourceMapQuery = z.infer<typeof resourceMapQuerySchema>;

export const resourceMapSchema = z
  .object({
    site: z.enum(SITE_IDS),
    totals: z
      .object({
        resources: z.int(),
        new: z.int(),
        existing: z.int(),
        seedFunded: z.int(),
        seedFundingPounds: z.int().meta({ description: 'Sum of the seed funding recorded.' }),
        linksMade: z.int(),
      })
      .strict(),
    resources: z
      .array(resourceViewSchema)
      .max(RESOURCES_PAGE_MAX)
      .meta({ description: "This page of the site's resources, sorted by organisation name." }),
    next: z
      .string()
      .max(800)
      .optional()
      .meta({ description: 'Pass as `cursor` for the next page; absent on the last page.' }),
  })
  .strict()
  .meta({ id: 'CommunityResourceMap' });

export type ResourceMap = z.infer<typeof resourceMapSchema>;

/** The port the community resource rules need from storage. */
export interface CommunityResourceStore {
  /**
   * Writes the resource and its audit event together. Throws a `ConflictError` when the site
   * already has a resource whose name is the same once normalised (see {@link organisationKey}),
   * or already holds `MAX_RESOURCES_PER_SITE` resources.
   */
  saveCommunityResource(resource: StoredCommunityResource, audit: AuditEvent): Promise<void>;
  /** Every resource of a site, in no particular order. */
  listCommunityResources(site: SiteId): Promise<StoredCommunityResource[]>;
}

export interface CommunityResourceDeps {
  readonly communityResources: CommunityResourceStore;
  readonly cursors: CursorSigner;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * The name two entries for the same organisation share, however they were typed: case, accents,
 * apostrophes, punctuation and spacing are ignored.
 * @example organisationKey("St. Mary's  Church") === organisationKey('st marys church') // true
 */
export function organisationKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Why an organisation's name looks like it names a person or holds an identifier, if it does.
 *
 * Refused: any identifier (phone, email, postcode...), a titled name ("Mr Patel's Boxing Club"), or
 * a name that is nothing but a person's name ("Sarah Smith"). Not refused: a person's name tagged
 * inside a longer organisation name ("Leeds Mutual Aid", "Marie Curie Drop-in"): organisations are
 * often named after people and places, and the tagger cannot tell them apart, so refusing those
 * would turn away most honest entries from staff on a phone.
 */
export function personInOrganisationName(name: string): string | undefined {
  const spans = findRedactions(name);
  const identifiers = [...new Set(spans.filter((s) => s.kind !== 'name').map((s) => s.kind))];
  if (identifiers.length > 0) return `it looks like it contains: ${identifiers.join(', ')}`;
  const names = spans.filter((s) => s.kind === 'name').map((s) => name.slice(s.start, s.end));
  if (names.some((n) => TITLE.test(n))) return "it looks like it contains a person's name with a title";
  const rest = spans
    .filter((s) => s.kind === 'name')
    .reduceRight((text, s) => `${text.slice(0, s.start)}${text.slice(s.end)}`, name);
  if (names.length > 0 && !/\p{L}{2}/u.test(rest.replace(/'s\b/gu, ''))) {
    return "it looks like a person's name";
  }
  return undefined;
}

const TITLE = /^(?:mr|mrs|ms|miss|mx|dr)\b/iu;

/**
 * Builds the stored resource from a validated body. An organisation's name must name an
 * organisation (`personInOrganisationName`): rather than store a name with holes in it, the request
 * is refused. The optional texts are redacted.
 */
export function buildCommunityResource(
  site: SiteId,
  body: CommunityResourceBody,
  at: Date,
  id: string,
): { resource: StoredCommunityResource; redacted: Record<string, number> } {
  const person = personInOrganisationName(body.organisationName);
  if (person !== undefined) {
    throw new ValidationError([
      {
        pointer: '/body/organisationName',
        detail: `needs an organisation's name, not a person's name or an identifier (${person})`,
      },
    ]);
  }
  if (organisationKey(body.organisationName) === '') {
    throw new ValidationError([{ pointer: '/body/organisationName', detail: 'needs letters or digits' }]);
  }
  const suitsDescription = body.suitsDescription ? redactFreeText(body.suitsDescription) : undefined;
  const locality = body.locality ? redactFreeText(body.locality) : undefined;
  const redacted: Record<string, number> = {};
  for (const part of [suitsDescription, locality]) {
    for (const [kind, n] of Object.entries(part?.removed ?? {})) {
      if (n) redacted[kind] = (redacted[kind] ?? 0) + n;
    }
  }
  const resource: StoredCommunityResource = {
    id,
    site,
    organisationName: body.organisationName,
    type: body.type,
    status: body.status,
    seedFunded: body.seedFunded,
    ...(body.seedFundingPounds !== undefined ? { seedFundingPounds: body.seedFundingPounds } : {}),
    openAccess: body.openAccess,
    suits: body.suits,
    ...(suitsDescription?.text ? { suitsDescription: suitsDescription.text } : {}),
    linksMade: body.linksMade,
    ...(locality?.text ? { locality: locality.text } : {}),
    recordedAt: at.toISOString(),
  };
  return { resource, redacted };
}

/** Adds a community resource to a site's map (question area 4.7, outcome g) with its audit event. */
export async function addCommunityResource(
  deps: CommunityResourceDeps,
  principal: Principal,
  site: SiteId,
  body: CommunityResourceBody,
): Promise<CommunityResourceReceipt> {
  const { resource, redacted } = buildCommunityResource(site, body, deps.now(), deps.newId());
  await deps.communityResources.saveCommunityResource(resource, {
    id: deps.newId(),
    at: resource.recordedAt,
    actor: principal.actor,
    action: 'community-resource.create',
    subjectType: 'community-resource',
    subjectId: resource.id,
  });
  return { id: resource.id, site, redacted };
}

const resourceCursorSchema = z
  .object({
    site: z.enum(SITE_IDS),
    after: z.object({ name: z.string().max(ORGANISATION_NAME_MAX_LENGTH), id: z.string().max(64) }).strict(),
  })
  .strict();

const byName = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });
const inMapOrder = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  byName.compare(a.name, b.name) || a.id.localeCompare(b.id);

/**
 * A site's resource map, a page at a time: resources sorted by name, with totals for 4.7 (seed
 * funding, links) over the whole map. A site holds at most `MAX_RESOURCES_PER_SITE`, so the map is
 * read whole and paged by a signed cursor naming the last resource given, which keeps its place
 * even when resources are added between pages.
 */
export async function listCommunityResources(
  deps: CommunityResourceDeps,
  site: SiteId,
  query: ResourceMapQuery = {},
): Promise<ResourceMap> {
  const resumed =
    query.cursor === undefined ? undefined : decodeCursor(deps.cursors, resourceCursorSchema, query.cursor);
  if (resumed && resumed.site !== site) {
    throw new ValidationError([{ pointer: '/query/cursor', detail: 'belongs to another site' }]);
  }
  const map = summariseResources(site, await deps.communityResources.listCommunityResources(site));
  const limit = query.limit ?? RESOURCES_PAGE_DEFAULT;
  const rest = resumed
    ? map.resources.filter((r) => inMapOrder({ name: r.organisationName, id: r.id }, resumed.after) > 0)
    : map.resources;
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    ...map,
    resources: page,
    ...(rest.length > limit && last
      ? { next: encodeCursor(deps.cursors, { site, after: { name: last.organisationName, id: last.id } }) }
      : {}),
  };
}

/** Sorts a site's resources by name (as people read them, ignoring case) and totals them. */
export function summariseResources(site: SiteId, stored: readonly StoredCommunityResource[]): ResourceMap {
  const sorted = [...stored].sort((a, b) =>
    inMapOrder({ name: a.organisationName, id: a.id }, { name: b.organisationName, id: b.id }),
  );
  return {
    site,
    totals: {
      resources: sorted.length,
      new: sorted.filter((r) => r.status === 'new').length,
      existing: sorted.filter((r) => r.status === 'existing').length,
      seedFunded: sorted.filter((r) => r.seedFunded).length,
      seedFundingPounds: sorted.reduce((sum, r) => sum + (r.seedFundingPounds ?? 0), 0),
      linksMade: sorted.reduce((sum, r) => sum + r.linksMade, 0),
    },
    resources: sorted.map(({ site: _site, ...view }) => view),
  };
}
