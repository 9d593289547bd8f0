import { WEB_ROUTES } from '../functions/web/pages';
import { type FunctionName, type OperationId, ROUTE_LIST, routeKey } from '../shared/routes';

/** Requests per second (steady) and burst, as API Gateway counts them for one route. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface FunctionCapacity {
  /**
   * Concurrent executions reserved for (and capping) the function, so one busy or abused route
   * group cannot starve the others or run up the bill. The sum must leave the account at least 100
   * unreserved executions: Lambda refuses the deployment otherwise.
   */
  readonly reservedConcurrency: number;
  /** The throttle of each of the function's routes, unless `ROUTE_THROTTLES` says otherwise. */
  readonly throttle: Throttle;
}

/**
 * Sized for three sites of two or three staff and a few dozen participants: even a whole site
 * submitting at once is a handful of requests a second. Check-ins are the busiest stream (every
 * staff member, weekly, on a phone); reads sit in the middle; bulk imports and interview findings
 * are rare, large and slow, so they get far less. A function at 100 ms serves about ten requests a
 * second per concurrent execution, so each reservation covers its routes' steady rate.
 */
export const FUNCTION_CAPACITY: Readonly<Record<FunctionName, FunctionCapacity>> = {
  platform: { reservedConcurrency: 5, throttle: { rateLimit: 20, burstLimit: 40 } },
  admin: { reservedConcurrency: 2, throttle: { rateLimit: 2, burstLimit: 5 } },
  wellbeing: { reservedConcurrency: 10, throttle: { rateLimit: 20, burstLimit: 40 } },
  referrals: { reservedConcurrency: 3, throttle: { rateLimit: 5, burstLimit: 10 } },
  findings: { reservedConcurrency: 3, throttle: { rateLimit: 5, burstLimit: 10 } },
  participants: { reservedConcurrency: 5, throttle: { rateLimit: 10, burstLimit: 20 } },
  engagement: { reservedConcurrency: 3, throttle: { rateLimit: 5, burstLimit: 10 } },
  // One import runs for up to 29 s at 1024 MB: two at once is plenty for one file per site.
  imports: { reservedConcurrency: 2, throttle: { rateLimit: 1, burstLimit: 2 } },
  // Evaluators building and publishing, and market users listing and downloading packs: a release
  // brings every bidder at once, so downloads get more room than evidence submissions.
  packs: { reservedConcurrency: 5, throttle: { rateLimit: 10, burstLimit: 30 } },
  // Every page view is one request here and one or two to the API; a page loads its static files
  // once a year at most (they are cached as immutable).
  web: { reservedConcurrency: 5, throttle: { rateLimit: 20, burstLimit: 40 } },
};

/** The pack builder runs one build per request, in the background: two at once is plenty. */
export const PACK_BUILDER_CONCURRENCY = 2;

/**
 * Routes that need less than their function's default: interview findings carry up to 200 KB of
 * text to redact, and an upload URL is only asked for alongside one.
 */
export const ROUTE_THROTTLES: Readonly<Partial<Record<OperationId, Throttle>>> = {
  submitInterview: { rateLimit: 1, burstLimit: 3 },
  createUpload: { rateLimit: 1, burstLimit: 3 },
  importCsv: { rateLimit: 1, burstLimit: 2 },
};

/**
 * The stage-wide default, which applies to the `$default` catch-all (unknown paths and methods):
 * it only ever answers 401, 404 or 405, so a client needs very little of it.
 */
export const DEFAULT_ROUTE_THROTTLE: Throttle = { rateLimit: 5, burstLimit: 10 };

/** The throttle of every route in the route table and every web page route, by route key (`POST /imports`). */
export function routeThrottles(): Record<string, Throttle> {
  return Object.fromEntries([
    ...ROUTE_LIST.map((route): [string, Throttle] => [
      routeKey(route),
      ROUTE_THROTTLES[route.operationId] ?? FUNCTION_CAPACITY[route.fn].throttle,
    ]),
    ...WEB_ROUTES.map((route): [string, Throttle] => [routeKey(route), FUNCTION_CAPACITY.web.throttle]),
  ]);
}
