import { NotFoundError } from '../../../shared/domain/errors';
import { SITES } from '../../../shared/domain/sites';
import { ApiUnavailableError } from '../api-client';
import { PAGES } from '../pages';
import type { PageHandlers } from '../web';

/** The formats a pack is published in, in the order the page offers them, with their names. */
export const PACK_DOWNLOADS = [
  { format: 'html', text: 'Web page (HTML)' },
  { format: 'ods', text: 'Spreadsheet (ODS)' },
  { format: 'csv', text: 'Tables as CSV files (zip)' },
  { format: 'json', text: 'Every figure as data (JSON)' },
] as const;

interface PublishedPack {
  readonly id: string;
  readonly title: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly sites: readonly string[];
  readonly version: number;
  readonly changes?: string;
  readonly publishedAt: string;
  readonly sha256: string;
  readonly files: Readonly<Record<string, { readonly sha256: string; readonly bytes: number } | undefined>>;
  readonly withdrawn?: { readonly at: string; readonly reason: string };
}

const ukDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'long' });
const ukDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  dateStyle: 'long',
  timeStyle: 'short',
});

/** A date (`YYYY-MM-DD`) as people in the UK write it: 1 January 2025. */
export function dayText(isoDate: string): string {
  const at = Date.parse(`${isoDate}T12:00:00Z`);
  return Number.isNaN(at) ? isoDate : ukDate.format(at);
}

/** A moment as UK time: 2 December 2026 at 18:30. */
export function timeText(isoDateTime: string): string {
  const at = Date.parse(isoDateTime);
  return Number.isNaN(at) ? isoDateTime : ukDateTime.format(at);
}

/** A file size in words: 12 KB. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Published learning packs, newest release first, as the API lists them to this user: a market
 * user sees none before its release time (the API decides). Each shows its SHA-256 so a reader can
 * check a downloaded file, and a withdrawn pack is marked, with the reason, and offers no download.
 */
export const publishedPacksPage: PageHandlers = {
  get: async (context) => {
    const answer = await context.api('listPublishedPacks');
    const packs = answer.body.packs as PublishedPack[];
    return {
      template: 'published-packs.njk',
      model: {
        packs: packs.map((pack) => ({
          id: pack.id,
          title: pack.title,
          version: pack.version,
          rows: [
            ['Period', `${dayText(pack.period.from)} to ${dayText(pack.period.to)}`],
            ['Sites', pack.sites.map((id) => SITES.find((site) => site.id === id)?.name ?? id).join(', ')],
            ['Version', String(pack.version)],
            ['Released', timeText(pack.publishedAt)],
            ...(pack.changes ? [['What changed', pack.changes]] : []),
          ].map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
          sha256: pack.sha256,
          withdrawn: pack.withdrawn
            ? { at: timeText(pack.withdrawn.at), reason: pack.withdrawn.reason }
            : undefined,
          downloads: PACK_DOWNLOADS.flatMap(({ format, text }) => {
            const file = pack.files[format];
            if (!file) return [];
            const query = new URLSearchParams({ pack: pack.id, format });
            return [
              {
                href: `${PAGES.packDownload.path}?${query.toString()}`,
                text,
                size: sizeText(file.bytes),
                sha256: file.sha256,
              },
            ];
          }),
        })),
      },
    };
  },
};

/**
 * A download: the API answers 302 to a short-lived presigned address (and audits the download);
 * the page reads only that answer's `Location` and sends the browser there. The file itself never
 * passes through this function.
 */
export const packDownloadPage: PageHandlers = {
  get: async (context) => {
    const id = context.request.query.get('pack') ?? '';
    const format = context.request.query.get('format') ?? '';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || !PACK_DOWNLOADS.some((d) => d.format === format)) {
      throw new NotFoundError('There is no such download.');
    }
    const answer = await context.api('downloadPublishedPack', { params: { id }, query: { format } });
    if (answer.status === 409) {
      const detail = typeof answer.body.detail === 'string' ? answer.body.detail : '';
      return { template: 'pack-withdrawn.njk', status: 409, model: { detail } };
    }
    if (answer.status === 400) throw new NotFoundError('There is no such download.');
    if (answer.status !== 302 || !answer.location || !/^https?:\/\//.test(answer.location)) {
      throw new ApiUnavailableError(`The API answered ${answer.status} without a file address.`);
    }
    return { redirect: answer.location };
  },
};
