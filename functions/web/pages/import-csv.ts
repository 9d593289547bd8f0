import { fieldProblems } from '../api-client';
import { type ApiOperation, API_ROUTES } from '../pages';
import { textField } from '../forms';
import type { PageContext, PageHandlers, PageResult } from '../web';
import { problemDetail, removedText } from './evaluator-forms';

const STREAMS: Readonly<Record<string, string>> = {
  'capital-checks': 'Capital checks',
  'engagement-returns': 'Monthly engagement returns',
  'interview-findings': 'Interview findings',
};

/** Problems listed in the error summary; the table beside it lists every one. */
const SUMMARY_PROBLEMS = 10;

/**
 * The read of a background import's progress, when the API has one (an import that answers 202).
 * Until then an import answers once every row has landed, and this page shows that answer.
 */
const IMPORT_STATUS = 'getImport' as ApiOperation;
const hasImportStatus = () => Object.hasOwn(API_ROUTES, IMPORT_STATUS);

/**
 * A CSV file of one stream for one site: every row lands or none does. A refusal lists every bad
 * row and column in a table (and the first few in the error summary, linked to the file input).
 * A large file takes a while: the page says so, and an import still running is shown on a page
 * that refreshes itself, without JavaScript.
 */
export const importCsvPage: PageHandlers = {
  get: async (context) => {
    const { query } = context.request;
    const job = query.get('job');
    if (job !== null) return statusView(context, job);
    const rows = query.get('imported');
    return view(context, new URLSearchParams(), {
      imported:
        rows === null
          ? undefined
          : {
              rows,
              stream: STREAMS[query.get('stream') ?? ''] ?? '',
              removed: query.get('removed') ?? '',
            },
    });
  },
  post: async (context) => {
    const { form } = context.request;
    const csv = form.get('csv') ?? '';
    const answer = await context.api('importCsv', {
      body: {
        stream: textField(form.get('stream')),
        site: context.site,
        csv,
      },
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 202 && typeof answer.body.id === 'string') {
      return { redirect: `/site/${context.site ?? ''}/import?job=${encodeURIComponent(answer.body.id)}` };
    }
    if (answer.status === 201 || answer.status === 200) {
      const params = new URLSearchParams({
        imported: typeof answer.body.rows === 'number' ? String(answer.body.rows) : '',
        stream: typeof answer.body.stream === 'string' ? answer.body.stream : '',
        removed: removedText(answer.body.redacted).join(', '),
      });
      return { redirect: `/site/${context.site ?? ''}/import?${params.toString()}` };
    }
    return view(context, form, refusal(answer.body, problemDetail(answer)), 400);
  },
};

/** A refusal as the error summary and the row-by-row table. */
function refusal(body: Record<string, unknown>, detail: string) {
  const problems = fieldProblems({ status: 400, body });
  const errorList: { text: string; href: string }[] = [];
  const fieldErrors: Partial<Record<'stream' | 'csv', { text: string }>> = {};
  const table: { line: string; column: string; problem: string }[] = [];
  for (const { pointer, detail: what } of problems) {
    const row = /^\/body\/csv\/(\d+)(?:\/(.+))?$/.exec(pointer);
    if (row) {
      table.push({
        line: row[1] ?? '',
        column: (row[2] ?? '').replaceAll('~1', '/').replaceAll('~0', '~'),
        problem: what,
      });
      continue;
    }
    const field = pointer.replace(/^\/body\//, '');
    if (field === 'stream') fieldErrors.stream = { text: 'Select what the file holds' };
    else
      fieldErrors.csv = {
        text: field === 'csv' ? 'Choose a CSV file that is not empty, at most 5 MB' : `${field} ${what}`,
      };
  }
  for (const [id, error] of Object.entries(fieldErrors)) errorList.push({ text: error.text, href: `#${id}` });
  if (table.length > 0) {
    const rowsWord = new Set(table.map((r) => r.line)).size;
    fieldErrors.csv ??= {
      text: `The file was not imported: ${table.length} problems in ${rowsWord} ${rowsWord === 1 ? 'row' : 'rows'}. Nothing was saved.`,
    };
    for (const entry of table.slice(0, SUMMARY_PROBLEMS)) {
      errorList.push({
        text: `Line ${entry.line}${entry.column ? `, column ${entry.column}` : ''}: ${entry.problem}`,
        href: '#csv',
      });
    }
    if (table.length > SUMMARY_PROBLEMS) {
      errorList.push({
        text: `And ${table.length - SUMMARY_PROBLEMS} more problems, listed below the form`,
        href: '#problems',
      });
    }
  }
  if (errorList.length === 0) {
    fieldErrors.csv = { text: detail };
    errorList.push({ text: detail, href: '#csv' });
  }
  return { errorList, fieldErrors, problems: table };
}

async function statusView(context: PageContext, job: string): Promise<PageResult> {
  if (!hasImportStatus()) return view(context, new URLSearchParams(), { job: { id: job, running: false } });
  const answer = await context.api(IMPORT_STATUS, { params: { id: job } });
  const state = typeof answer.body.state === 'string' ? answer.body.state : 'queued';
  const running = !['committed', 'refused', 'failed', 'cancelled'].includes(state);
  const failed = state === 'refused' ? refusal(answer.body, problemDetail(answer)) : {};
  return view(context, new URLSearchParams(), {
    ...failed,
    job: {
      id: job,
      running,
      state,
      rows: answer.body.rows,
      validated: answer.body.validated,
      written: answer.body.written,
      toWrite: answer.body.toWrite,
      detail: answer.body.detail,
    },
  });
}

function view(
  context: PageContext,
  form: URLSearchParams,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  return {
    template: 'import.njk',
    status,
    model: {
      ...extra,
      refreshSeconds: (extra.job as { running?: boolean } | undefined)?.running ? 5 : undefined,
      streamItems: Object.entries(STREAMS).map(([value, text]) => ({
        value,
        text,
        checked: form.get('stream') === value,
      })),
      streamError: extra.fieldErrors?.stream,
      csvError: extra.fieldErrors?.csv,
    },
  };
}
