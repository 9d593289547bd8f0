import type { Principal, Role } from '../../shared/domain/roles';
import { authorise } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';
import routeAccess from './route-access.json';

/** The API's operations, with the method, path and access the route table gives each. */
export const API_ROUTES = routeAccess as Readonly<
  Record<
    keyof typeof routeAccess,
    { readonly method: string; readonly path: string; readonly access: 'public' | readonly Role[] }
  >
>;
export type ApiOperation = keyof typeof routeAccess;

/**
 * A page: where it is, what it is called, and the API operations it uses. Who may open it is not
 * written here: it is the route table's access for every operation it uses, decided by `authorise`,
 * the same check the API makes. A page whose path has `{site}` acts for that site.
 */
export interface PageSpec {
  readonly path: string;
  readonly title: string;
  readonly uses: readonly ApiOperation[];
  /** The page has a form that posts back to it. */
  readonly form: boolean;
  /** What the start page says the page is for; pages without it are reached from other pages. */
  readonly startText?: string;
}

export const PAGES = {
  start: { path: '/', title: 'What you can do', uses: [], form: false },
  checkIn: {
    path: '/site/{site}/check-in',
    title: 'Weekly wellbeing check-in',
    uses: ['getQuestionnaire', 'submitWellbeingPulse'],
    form: true,
    startText: 'How your week went: eight quick questions, under a minute.',
  },
  capitalCheck: {
    path: '/site/{site}/capital-check',
    title: 'Capital check',
    uses: ['getQuestionnaire', 'submitCapitalAssessment'],
    form: true,
    startText: 'A baseline, follow-up or exit check of a person you support.',
  },
  followUps: {
    path: '/site/{site}/follow-ups',
    title: 'Follow-ups due and overdue',
    uses: ['listFollowUps'],
    form: false,
    startText: 'People whose 90-day follow-up check is due or overdue.',
  },
  engagementReturn: {
    path: '/site/{site}/engagement-return',
    title: 'Monthly engagement return',
    uses: ['submitEngagementReturn'],
    form: true,
    startText: "The month's referrals, appointments, sessions and caseload.",
  },
  resources: {
    path: '/site/{site}/resources',
    title: 'Community resource map',
    uses: ['listCommunityResources'],
    form: false,
    startText: 'The community resources your site links people to, and adding one.',
  },
  addResource: {
    path: '/site/{site}/resources/add',
    title: 'Add a community resource',
    uses: ['addCommunityResource'],
    form: true,
  },
  barrierReport: {
    path: '/site/{site}/barrier-report',
    title: 'Report a referral barrier',
    uses: ['submitReferralBarrier'],
    form: true,
    startText: 'What stops or helps referrals to the link worker service: a minute at most.',
  },
  // Evaluators. More specific paths come before the `{id}` ones that would also match them.
  interviews: {
    path: '/site/{site}/interviews',
    title: 'Interview findings',
    uses: ['listInterviews', 'getCodebook'],
    form: false,
    startText: "The site's interview and focus group findings, and recording a new one.",
  },
  recordInterview: {
    path: '/site/{site}/interviews/record',
    title: 'Record an interview finding',
    uses: ['getCodebook', 'previewRedaction', 'submitInterview'],
    form: true,
  },
  interview: {
    path: '/site/{site}/interviews/{id}',
    title: 'Interview finding',
    uses: ['getInterview', 'getCodebook'],
    form: false,
  },
  themes: {
    path: '/evaluate/themes',
    title: 'Themes',
    uses: ['getCodebook', 'addCodebookTheme'],
    form: true,
    startText: 'The codebook: question areas, outcomes and the themes findings are coded with.',
  },
  importCsv: {
    path: '/site/{site}/import',
    title: 'Import a CSV file',
    uses: ['importCsv'],
    form: true,
    startText: "The site's capital checks, engagement returns or interview findings, from a CSV file.",
  },
  wellbeingSummary: {
    path: '/evaluate/wellbeing',
    title: 'Staff wellbeing summary',
    uses: ['wellbeingSummary'],
    form: false,
    startText: "A quarter's staff wellbeing check-ins, by programme and site, under the disclosure rules.",
  },
  packs: {
    path: '/evaluate/packs',
    title: 'Learning packs',
    uses: ['listPacks'],
    form: false,
    startText: 'Build, preview, approve, publish and withdraw learning packs.',
  },
  buildPack: {
    path: '/evaluate/packs/build',
    title: 'Build a learning pack',
    uses: ['buildPack'],
    form: true,
  },
  pack: {
    path: '/evaluate/packs/{id}',
    title: 'Learning pack',
    uses: ['getPack', 'approvePack'],
    form: true,
  },
  packPreview: {
    path: '/evaluate/packs/{id}/preview',
    title: 'Learning pack preview',
    uses: ['previewPack'],
    form: false,
  },
  publishPack: {
    path: '/evaluate/packs/{id}/publish',
    title: 'Publish a learning pack',
    uses: ['getPack', 'publishPack'],
    form: true,
  },
  withdrawPack: {
    path: '/evaluate/packs/{id}/withdraw',
    title: 'Withdraw a learning pack',
    uses: ['getPack', 'withdrawPack'],
    form: true,
  },
  feedbackLink: {
    path: '/site/{site}/feedback-link',
    title: 'Make a feedback link',
    uses: ['createFeedbackLink'],
    form: true,
    startText: 'A one-time link for a person you support to say what the service is like for them.',
  },
  involvementInterest: {
    path: '/site/{site}/involvement-interest',
    title: 'People who would talk to a researcher',
    uses: ['listInvolvementInterest'],
    form: false,
    startText: 'People who said, in their feedback, that they would talk to a researcher.',
  },
  feedbackSummary: {
    path: '/feedback-summary',
    title: 'What people using the service said',
    uses: ['feedbackSummary'],
    form: false,
    startText: 'Counts and answers from the feedback links, for a quarter that has ended.',
  },
  changes: {
    path: '/you-said-we-did',
    title: 'You said, we did',
    uses: ['listChanges'],
    form: false,
    startText: 'What changed because of what people using the service said.',
  },
  addChange: {
    path: '/you-said-we-did/add',
    title: 'Record a change',
    uses: ['recordChange'],
    form: true,
  },
  publishedPacks: {
    path: '/market/published-packs',
    title: 'Published learning packs',
    uses: ['listPublishedPacks'],
    form: false,
    startText: 'The learning packs released so far, with their hashes, to download.',
  },
  packDownload: {
    path: '/market/published-packs/download',
    title: 'Download a learning pack',
    uses: ['downloadPublishedPack'],
    form: false,
  },
  programme: {
    path: '/admin/programme',
    title: 'Pause or resume the programme',
    uses: ['getProgramme', 'changeProgramme'],
    form: true,
    startText: 'Pause early testing while the competition is open, and resume it.',
  },
  disclosurePolicy: {
    path: '/admin/disclosure-policy',
    title: 'Disclosure policy',
    uses: ['getDisclosurePolicy', 'setDisclosurePolicy'],
    form: true,
    startText: 'The rules learning packs follow to protect people, their history, and a new version.',
  },
  auditLog: {
    path: '/admin/audit',
    title: 'Audit log',
    uses: ['readAudit'],
    form: false,
    startText: 'Who did what and when, newest first.',
  },
} as const satisfies Record<string, PageSpec>;

export type PageId = keyof typeof PAGES;

/** Paths the web function answers besides the pages: signing in and out, and the static files. */
export const AUTH_PATHS = {
  signIn: '/sign-in',
  callback: '/auth/callback',
  signOut: '/sign-out',
  signedOut: '/signed-out',
} as const;
export const ASSETS_PREFIX = '/assets/';

/**
 * Every method and path the web function serves, for API Gateway (routes without the JWT
 * authorizer: the function checks its session cookie itself) and the local server. `{proxy+}` is
 * API Gateway's greedy path variable.
 */
export const WEB_ROUTES: readonly { readonly method: 'GET' | 'POST'; readonly path: string }[] = [
  ...Object.values(PAGES).flatMap((page: PageSpec) => [
    { method: 'GET' as const, path: page.path },
    ...(page.form ? [{ method: 'POST' as const, path: page.path }] : []),
  ]),
  { method: 'GET', path: AUTH_PATHS.signIn },
  { method: 'POST', path: AUTH_PATHS.signIn },
  { method: 'GET', path: AUTH_PATHS.callback },
  { method: 'GET', path: AUTH_PATHS.signOut },
  { method: 'POST', path: AUTH_PATHS.signOut },
  { method: 'GET', path: AUTH_PATHS.signedOut },
  { method: 'GET', path: `${ASSETS_PREFIX}{proxy+}` },
  // The questionnaire a feedback link opens, for a person with no account (see feedback/journey.ts).
  { method: 'GET', path: '/give-feedback/{token}' },
  { method: 'GET', path: '/give-feedback/{token}/{step}' },
  { method: 'POST', path: '/give-feedback/{token}/{step}' },
];

/** Whether a web route answers this method and path (as API Gateway would match it). */
export function isWebRoute(method: string, path: string): boolean {
  return WEB_ROUTES.some((route) => route.method === method && routePattern(route.path).test(path));
}

/** A route path as a regular expression: `{name}` is one segment, `{name+}` the rest of the path. */
export function routePattern(path: string): RegExp {
  const source = path
    .replace(/[.]/g, '\\.')
    .replace(/\{[^}]+\+\}/g, '.+')
    .replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${source}$`);
}

/** The page at `path`, with its `{site}` if it has one; undefined when no page is there. */
export function findPage(
  path: string,
): { readonly id: PageId; readonly page: PageSpec; readonly site: string | undefined } | undefined {
  for (const [id, page] of Object.entries(PAGES) as [PageId, PageSpec][]) {
    const pattern = new RegExp(`^${page.path.replace('{site}', '([^/]+)').replace(/\{[a-z]+\}/g, '[^/]+')}$`);
    const match = pattern.exec(path);
    if (match) return { id, page, site: match[1] };
  }
  return undefined;
}

/**
 * Whether the user may open a page for `site`: every API operation it uses must let them, by the
 * route table's access and `authorise` (role, and a site-scoped role only for its own site).
 */
export function mayOpen(principal: Principal, page: PageSpec, site: SiteId | undefined): boolean {
  try {
    for (const operation of page.uses) {
      const { access } = API_ROUTES[operation];
      if (access !== 'public') authorise(principal, access, site);
    }
    return true;
  } catch {
    return false;
  }
}

/** A page's address for a site. */
export function pageHref(page: PageSpec, site?: SiteId): string {
  return site === undefined ? page.path : page.path.replace('{site}', site);
}

/**
 * What the start page offers: each page the user may open, for their own site, or for every site
 * when their role has none (evaluators).
 */
export function startLinks(
  principal: Principal,
  served: ReadonlySet<PageId> = new Set(Object.keys(PAGES) as PageId[]),
): { readonly href: string; readonly title: string; readonly text: string; readonly site?: SiteId }[] {
  return (Object.entries(PAGES) as [PageId, PageSpec][]).flatMap(([id, page]) => {
    if (page.startText === undefined || !served.has(id)) return [];
    const sites: (SiteId | undefined)[] = page.path.includes('{site}')
      ? principal.site
        ? [principal.site]
        : [...SITE_IDS]
      : [undefined];
    return sites
      .filter((site) => mayOpen(principal, page, site))
      .map((site) => ({
        href: pageHref(page, site),
        title: page.title,
        text: page.startText ?? '',
        ...(site ? { site } : {}),
      }));
  });
}
