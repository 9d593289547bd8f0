import { ForbiddenError } from '../../../shared/domain/errors';
import { SITES } from '../../../shared/domain/sites';
import { type ApiAnswer, fieldProblems } from '../api-client';
import { formErrors, textField } from '../forms';
import type { PageContext, PageHandlers, PageResult } from '../web';
import {
  dateField,
  dateItems,
  dateText,
  linkDateErrors,
  PACK_STATUS_TEXT,
  pathSegment,
  problemDetail,
  ukDateTime,
  ukTimeText,
} from './evaluator-forms';

const PREVIEW_FORMATS = [
  { format: 'html', text: 'Web page (HTML)' },
  { format: 'json', text: 'Data (JSON)' },
  { format: 'csv', text: 'Tables (zip of CSV files)' },
] as const;

const RULE_TEXT: Readonly<Record<string, string>> = {
  primary: 'Too few people',
  secondary: 'Hidden so another hidden figure cannot be worked out',
  differencing: 'Would differ from an earlier pack by too few people',
  'base-too-small': 'Based on too few people',
};

interface PackView {
  readonly id: string;
  readonly title: string;
  readonly version: number;
  readonly period: { readonly from: string; readonly to: string };
  readonly sites: readonly string[];
  readonly status: string;
  readonly changes?: string;
  readonly requestedAt: string;
  readonly builtAt?: string;
  readonly failure?: string;
  readonly sha256?: string;
  readonly disclosure?: {
    readonly policyVersion: number;
    readonly threshold: number;
    readonly passed: boolean;
    readonly suppressedCells: number;
    readonly failures: number;
  };
  readonly approvedAt?: string;
  readonly releaseAt?: string;
  readonly withdrawn?: { readonly at: string; readonly reason: string };
  readonly report?: {
    readonly rules: readonly string[];
    readonly suppressed: readonly {
      table: string;
      row: string;
      column: string;
      rule: string;
      detail: string;
    }[];
    readonly audit: {
      readonly failures: readonly { table: string; row: string; column: string; detail: string }[];
    };
  };
}

const siteNames = (sites: readonly string[]) =>
  sites.map((id) => SITES.find((s) => s.id === id)?.name ?? id).join(', ');
const statusTag = (status: string) => {
  const tag = PACK_STATUS_TEXT[status] ?? { text: status, colour: 'grey' };
  return { text: tag.text, classes: `govuk-tag--${tag.colour}` };
};
const packHref = (id: string) => `/evaluate/packs/${encodeURIComponent(id)}`;

/** Every pack and its state, newest first. */
export const packsPage: PageHandlers = {
  get: async (context) => {
    const answer = await context.api('listPacks');
    const packs = (answer.body.packs ?? []) as PackView[];
    return {
      template: 'packs.njk',
      model: {
        packs: packs.map((pack) => ({
          href: packHref(pack.id),
          title: pack.title,
          version: pack.version,
          period: `${dateText(pack.period.from)} to ${dateText(pack.period.to)}`,
          sites: siteNames(pack.sites),
          tag: statusTag(pack.status),
        })),
      },
    };
  },
};

/** A pack's period and sites; the build runs in the background and the pack page follows it. */
export const buildPackPage: PageHandlers = {
  get: (context) => Promise.resolve(buildView(context, new URLSearchParams(), {})),
  post: async (context) => {
    const { form } = context.request;
    const answer = await context.api('buildPack', {
      body: {
        from: dateField(form, 'from'),
        to: dateField(form, 'to'),
        sites: form.getAll('sites'),
        ...(textField(form.get('title')) ? { title: textField(form.get('title')) } : {}),
      },
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 202 && typeof answer.body.id === 'string')
      return { redirect: packHref(answer.body.id) };
    const problems = fieldProblems(answer).map((p) => ({
      ...p,
      pointer: p.pointer.replace(/^\/body\/sites\/\d+$/, '/body/sites'),
    }));
    const { errorList, fieldErrors } = formErrors(
      problems.length > 0 ? problems : [{ pointer: '/body/from', detail: problemDetail(answer) }],
      new Set(['from', 'to', 'sites', 'title']),
      'from',
      (fieldId, detail) =>
        ({
          from: 'Enter the first day of the period as a real date',
          to: detail.includes('before')
            ? 'The last day must be the same as or after the first day'
            : 'Enter the last day of the period as a real date',
          sites: 'Select at least one site',
          title: 'Enter a title of at most 300 characters',
        })[fieldId] ?? problemDetail(answer),
    );
    return buildView(
      context,
      form,
      { errorList: linkDateErrors(errorList, ['from', 'to']), fieldErrors },
      400,
    );
  },
};

function buildView(
  context: PageContext,
  form: URLSearchParams,
  extra: { errorList?: unknown[]; fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  const fieldErrors = extra.fieldErrors ?? {};
  const chosen = new Set(form.getAll('sites'));
  return {
    template: 'pack-build.njk',
    status,
    model: {
      ...extra,
      fieldErrors,
      fromItems: dateItems(form, 'from', fieldErrors.from !== undefined),
      toItems: dateItems(form, 'to', fieldErrors.to !== undefined),
      siteItems: SITES.map((s) => ({ value: s.id, text: s.name, checked: chosen.has(s.id) })),
      title: form.get('title') ?? '',
      today: context.now.toISOString().slice(0, 10),
    },
  };
}

async function loadPack(context: PageContext): Promise<PackView> {
  const answer = await context.api('getPack', { params: { id: pathSegment(context, 3) } });
  return answer.body as unknown as PackView;
}

/**
 * A pack: its state, disclosure summary and report, the preview links, and what can be done next
 * (approve a draft, publish an approved pack, withdraw a published one). Four eyes: the API refuses
 * the builder's approval, and the page shows its reason.
 */
export const packPage: PageHandlers = {
  get: async (context) => packView(context, await loadPack(context), {}),
  post: async (context) => {
    const id = pathSegment(context, 3);
    let refusal: string | undefined;
    try {
      const answer = await context.api('approvePack', {
        params: { id },
        idempotencyKey: context.request.form.get('idempotencyKey') ?? undefined,
      });
      if (answer.status === 200) return { redirect: `${packHref(id)}?done=approved` };
      refusal = problemDetail(answer);
    } catch (error) {
      // The API's 403 here is the four-eyes rule, not a page the user may not open.
      if (!(error instanceof ForbiddenError)) throw error;
      refusal = error.message;
    }
    const text = `This pack cannot be approved by you: ${refusal}`;
    return packView(
      context,
      await loadPack(context),
      { errorList: [{ text, href: '#approve' }], approveError: text },
      403,
    );
  },
};

function packView(
  context: PageContext,
  pack: PackView,
  extra: Record<string, unknown>,
  status = 200,
): PageResult {
  const report = pack.report;
  const built = pack.status !== 'building' && pack.status !== 'failed';
  const done = context.request.query.get('done');
  return {
    template: 'pack.njk',
    status,
    model: {
      ...extra,
      pageTitle: pack.title,
      done: done === 'approved' || done === 'published' || done === 'withdrawn' ? done : undefined,
      pack,
      href: packHref(pack.id),
      tag: statusTag(pack.status),
      refreshSeconds: pack.status === 'building' ? 5 : undefined,
      rows: [
        {
          key: { text: 'State' },
          value: { text: (PACK_STATUS_TEXT[pack.status] ?? { text: pack.status }).text },
        },
        {
          key: { text: 'Period' },
          value: { text: `${dateText(pack.period.from)} to ${dateText(pack.period.to)}` },
        },
        { key: { text: 'Sites' }, value: { text: siteNames(pack.sites) } },
        { key: { text: 'Version' }, value: { text: String(pack.version) } },
        { key: { text: 'Asked for' }, value: { text: ukTimeText(pack.requestedAt) } },
        ...(pack.builtAt ? [{ key: { text: 'Built' }, value: { text: ukTimeText(pack.builtAt) } }] : []),
        ...(pack.approvedAt
          ? [{ key: { text: 'Approved' }, value: { text: ukTimeText(pack.approvedAt) } }]
          : []),
        ...(pack.releaseAt
          ? [{ key: { text: 'Released to the market' }, value: { text: ukTimeText(pack.releaseAt) } }]
          : []),
        ...(pack.sha256
          ? [
              {
                key: { text: 'SHA-256 of the JSON' },
                value: { html: `<code class="app-redacted">${pack.sha256.replace(/[^0-9a-f]/g, '')}</code>` },
              },
            ]
          : []),
        ...(pack.withdrawn
          ? [
              {
                key: { text: 'Withdrawn' },
                value: { text: `${ukTimeText(pack.withdrawn.at)}: ${pack.withdrawn.reason}` },
              },
            ]
          : []),
      ],
      disclosure: pack.disclosure,
      rules: report?.rules ?? [],
      suppressed: (report?.suppressed ?? []).map((cell) => ({
        cell: `${cell.table}, ${cell.row}, ${cell.column}`,
        rule: RULE_TEXT[cell.rule] ?? cell.rule,
        detail: cell.detail,
      })),
      failures: (report?.audit.failures ?? []).map((cell) => ({
        cell: `${cell.table}, ${cell.row}, ${cell.column}`,
        detail: cell.detail,
      })),
      previews: built
        ? PREVIEW_FORMATS.map((p) => ({ ...p, href: `${packHref(pack.id)}/preview?format=${p.format}` }))
        : [],
      canApprove: pack.status === 'draft' && pack.disclosure?.passed === true,
      canPublish: pack.status === 'approved',
      canWithdraw: pack.status === 'published',
    },
  };
}

/** A preview file of a built pack, as the API gives it; the HTML keeps its own inline styles only. */
export const packPreviewPage: PageHandlers = {
  get: async (context): Promise<PageResult> => {
    const id = pathSegment(context, 3);
    const format = context.request.query.get('format') ?? 'html';
    const answer = await context.api('previewPack', { params: { id }, query: { format } });
    if (answer.status === 200 && answer.file) {
      const names: Readonly<Record<string, string>> = { html: 'pack.html', csv: 'pack-csv.zip' };
      const attachment = format === 'csv' ? `attachment; filename="${names.csv ?? ''}"` : 'inline';
      return {
        file: {
          bytes: answer.file.bytes,
          contentType: answer.file.contentType,
          headers: {
            'content-disposition': attachment,
            // The pack page is self-contained: its own styles and images, no script, no requests.
            'content-security-policy':
              "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
          },
        },
      };
    }
    if (answer.status === 200) {
      return {
        file: {
          bytes: Buffer.from(JSON.stringify(answer.body, null, 2)),
          contentType: 'application/json; charset=utf-8',
          headers: { 'content-disposition': 'inline' },
        },
      };
    }
    return { redirect: packHref(id) };
  },
};

/** Publishing an approved pack at a release time announced ahead, in UK time. */
export const publishPackPage: PageHandlers = {
  get: async (context) => publishView(context, await loadPack(context), new URLSearchParams(), {}),
  post: async (context) => {
    const { form } = context.request;
    const id = pathSegment(context, 3);
    const releaseAt = ukDateTime(
      dateField(form, 'release'),
      form.get('release-hour') ?? '',
      form.get('release-minute') ?? '',
    );
    const answer = await context.api('publishPack', {
      params: { id },
      body: { releaseAt },
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 200) return { redirect: `${packHref(id)}?done=published` };
    const detail = fieldProblems(answer)[0]?.detail ?? problemDetail(answer);
    const text =
      releaseAt === undefined
        ? 'Enter the date and time the pack is released to the market'
        : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00[+-]/.test(releaseAt)
          ? `The release time cannot be used: ${detail}`
          : 'Enter the release date and time as a real date, and a time such as 9 30';
    return publishView(
      context,
      await loadPack(context),
      form,
      { errorList: [{ text, href: '#release-day' }], releaseError: { text } },
      400,
    );
  },
};

function publishView(
  context: PageContext,
  pack: PackView,
  form: URLSearchParams,
  extra: Record<string, unknown>,
  status = 200,
): PageResult {
  return {
    template: 'pack-publish.njk',
    status,
    model: {
      ...extra,
      pack,
      href: packHref(pack.id),
      releaseItems: dateItems(form, 'release', extra.releaseError !== undefined),
      hour: form.get('release-hour') ?? '',
      minute: form.get('release-minute') ?? '',
      earliest: ukTimeText(new Date(context.now.getTime() + 15 * 60_000).toISOString()),
    },
  };
}

/** Withdrawing a published pack, with the reason the market will see. */
export const withdrawPackPage: PageHandlers = {
  get: async (context) => withdrawView(await loadPack(context), new URLSearchParams(), {}),
  post: async (context) => {
    const { form } = context.request;
    const id = pathSegment(context, 3);
    const answer: ApiAnswer = await context.api('withdrawPack', {
      params: { id },
      body: { reason: form.get('reason') ?? '' },
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 200) return { redirect: `${packHref(id)}?done=withdrawn` };
    const text =
      fieldProblems(answer).length > 0
        ? 'Enter the reason for withdrawing the pack, from 10 to 1,000 characters'
        : problemDetail(answer);
    return withdrawView(
      await loadPack(context),
      form,
      { errorList: [{ text, href: '#reason' }], reasonError: { text } },
      400,
    );
  },
};

function withdrawView(
  pack: PackView,
  form: URLSearchParams,
  extra: Record<string, unknown>,
  status = 200,
): PageResult {
  return {
    template: 'pack-withdraw.njk',
    status,
    model: { ...extra, pack, href: packHref(pack.id), reason: form.get('reason') ?? '' },
  };
}
