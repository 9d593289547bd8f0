import {
  MAX_SEED_FUNDING_POUNDS,
  ORGANISATION_NAME_MAX_LENGTH,
  RESOURCE_LOCALITY_MAX_LENGTH,
  RESOURCE_STATUSES,
  RESOURCE_SUITS,
  RESOURCE_SUITS_DESCRIPTION_MAX_LENGTH,
  RESOURCE_TYPES,
} from '../../../shared/domain/resource-codes';
import { fieldProblems } from '../api-client';
import { formErrors, numberField, textField } from '../forms';
import type { PageHandlers, PageResult } from '../web';

interface Resource {
  readonly id: string;
  readonly organisationName: string;
  readonly type: keyof typeof RESOURCE_TYPES;
  readonly status: keyof typeof RESOURCE_STATUSES;
  readonly seedFunded: boolean;
  readonly seedFundingPounds?: number;
  readonly openAccess: boolean;
  readonly suits: readonly (keyof typeof RESOURCE_SUITS)[];
  readonly suitsDescription?: string;
  readonly linksMade: number;
  readonly locality?: string;
}

interface Totals {
  readonly resources: number;
  readonly new: number;
  readonly existing: number;
  readonly seedFunded: number;
  readonly seedFundingPounds: number;
  readonly linksMade: number;
}

const pounds = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 0,
});
const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });

/**
 * The site's community resource map, a page at a time (the API's signed cursor is passed on as it
 * is): the totals, then one summary card per resource, which reads well on a 390 px screen.
 */
export const resourcesPage: PageHandlers = {
  get: async (context) => {
    const here = `/site/${context.site ?? ''}/resources`;
    const cursor = context.request.query.get('cursor') ?? undefined;
    const answer = await context.api('listCommunityResources', {
      params: { site: context.site ?? '' },
      query: { cursor, limit: '50' },
    });
    if (answer.status !== 200) return { redirect: here };
    const resources = (answer.body.resources ?? []) as Resource[];
    const totals = answer.body.totals as Totals;
    const next = typeof answer.body.next === 'string' ? answer.body.next : undefined;
    const added = context.request.query.get('added');
    return {
      template: 'resources.njk',
      model: {
        added: added ? added.slice(0, ORGANISATION_NAME_MAX_LENGTH) : undefined,
        addHref: context.served.has('addResource') ? `${here}/add` : undefined,
        totals: [
          row('Resources', String(totals.resources)),
          row('Generated during early testing', String(totals.new)),
          row('Already existed', String(totals.existing)),
          row('Seed funded', `${String(totals.seedFunded)} (${pounds.format(totals.seedFundingPounds)})`),
          row('People linked to them', String(totals.linksMade)),
        ],
        resources: resources.map((r) => ({
          title: r.organisationName,
          rows: [
            row('Type', RESOURCE_TYPES[r.type]),
            row('Status', RESOURCE_STATUSES[r.status]),
            row(
              'Seed funding',
              r.seedFunded
                ? r.seedFundingPounds === undefined
                  ? 'Yes'
                  : pounds.format(r.seedFundingPounds)
                : 'No',
            ),
            row('Open to anyone', r.openAccess ? 'Yes' : 'No, needs a referral or membership'),
            row(
              'Particularly suits',
              [
                ...(r.suits.length > 0 ? [r.suits.map((s) => RESOURCE_SUITS[s]).join(', ')] : ['Anyone']),
                ...(r.suitsDescription ? [r.suitsDescription] : []),
              ].join(': '),
            ),
            row('People linked to it', String(r.linksMade)),
            ...(r.locality ? [row('Area', r.locality)] : []),
          ],
        })),
        nextHref: next ? `${here}?${new URLSearchParams({ cursor: next }).toString()}` : undefined,
        firstHref: cursor ? here : undefined,
      },
    };
  },
};

const FIELD_TEXT: Readonly<Record<string, string>> = {
  type: 'Select the kind of resource',
  status: 'Select whether the resource is new or already existed',
  seedFunded: 'Select whether the resource was given seed funding',
  openAccess: 'Select whether anyone can go without a referral or membership',
};

const FIELDS = new Set([
  'organisationName',
  'type',
  'status',
  'seedFunded',
  'seedFundingPounds',
  'openAccess',
  'suits',
  'suitsDescription',
  'linksMade',
  'locality',
]);

const yesNo = (value: string | null) => (value === 'yes' ? true : value === 'no' ? false : undefined);

/** Adding a resource to the site's map; its name must be an organisation's, never a person's. */
export const addResourcePage: PageHandlers = {
  get: () => Promise.resolve(view(new URLSearchParams(), {})),
  post: async (context) => {
    const { form } = context.request;
    const seedFunded = yesNo(form.get('seedFunded'));
    const seedFundingPounds = numberField(form.get('seedFundingPounds'));
    const suitsDescription = textField(form.get('suitsDescription'));
    const locality = textField(form.get('locality'));
    const body = {
      organisationName: form.get('organisationName')?.trim() ?? '',
      type: form.get('type') ?? undefined,
      status: form.get('status') ?? undefined,
      seedFunded,
      ...(seedFundingPounds !== undefined ? { seedFundingPounds } : {}),
      openAccess: yesNo(form.get('openAccess')),
      suits: form.getAll('suits'),
      ...(suitsDescription ? { suitsDescription } : {}),
      linksMade: numberField(form.get('linksMade')) ?? 0,
      ...(locality ? { locality } : {}),
    };
    const answer = await context.api('addCommunityResource', {
      params: { site: context.site ?? '' },
      body,
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 201 || answer.status === 200) {
      const added = new URLSearchParams({ added: body.organisationName }).toString();
      return { redirect: `/site/${context.site ?? ''}/resources?${added}` };
    }
    if (answer.status === 409) {
      const text =
        typeof answer.body.detail === 'string' ? answer.body.detail : 'The map already has this resource';
      return view(
        form,
        {
          errorList: [{ text, href: '#organisationName' }],
          fieldErrors: { organisationName: { text } },
        },
        409,
      );
    }
    const errors = formErrors(fieldProblems(answer), FIELDS, 'organisationName', (fieldId, detail) => {
      if (FIELD_TEXT[fieldId]) return FIELD_TEXT[fieldId];
      if (fieldId === 'organisationName') {
        return detail === 'is required' || /too small|at least/i.test(detail)
          ? "Enter the organisation's name"
          : `The organisation's name ${detail}`;
      }
      if (fieldId === 'seedFundingPounds') {
        if (detail.startsWith('only goes with')) return 'Leave the seed funding empty, or answer yes';
        return `Enter the seed funding in whole pounds, up to ${pounds.format(MAX_SEED_FUNDING_POUNDS)}`;
      }
      if (fieldId === 'linksMade') return 'Enter how many people have been linked to it, as a whole number';
      if (fieldId === 'suitsDescription') return `Who it suits ${detail}`;
      if (fieldId === 'locality') return `The area ${detail}`;
      return `${fieldId}: ${detail}`;
    });
    return view(form, errors, 400);
  },
};

const options = (labels: Readonly<Record<string, string>>, chosen: readonly string[]) =>
  Object.entries(labels).map(([value, text]) => ({ value, text, checked: chosen.includes(value) }));

function view(
  form: URLSearchParams,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  const errorOf = (id: string) => extra.fieldErrors?.[id];
  return {
    template: 'add-resource.njk',
    status,
    model: {
      ...extra,
      organisationName: form.get('organisationName') ?? '',
      organisationNameMaxLength: ORGANISATION_NAME_MAX_LENGTH,
      types: options(RESOURCE_TYPES, form.getAll('type')),
      statuses: options(RESOURCE_STATUSES, form.getAll('status')),
      seedFunded: form.get('seedFunded') ?? '',
      seedFundingPounds: form.get('seedFundingPounds') ?? '',
      openAccess: options(
        { yes: 'Yes', no: 'No, it needs a referral or membership' },
        form.getAll('openAccess'),
      ),
      suits: options(RESOURCE_SUITS, form.getAll('suits')),
      suitsDescription: form.get('suitsDescription') ?? '',
      suitsDescriptionMaxLength: RESOURCE_SUITS_DESCRIPTION_MAX_LENGTH,
      linksMade: form.get('linksMade') ?? '',
      locality: form.get('locality') ?? '',
      localityMaxLength: RESOURCE_LOCALITY_MAX_LENGTH,
      errors: Object.fromEntries([...FIELDS].map((id) => [id, errorOf(id)])),
    },
  };
}
