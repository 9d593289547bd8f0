/**
 * Every function's routes, gathered for the CDK API stack, the local HTTP adapter, the OpenAPI
 * document and the tests: a route exists in all of them or in none. No handler imports this file;
 * each function's middleware is given that function's own `routes.ts`.
 */
import { routes as admin } from '../functions/admin/routes';
import { routes as engagement } from '../functions/engagement/routes';
import { routes as findings } from '../functions/findings/routes';
import { routes as imports } from '../functions/imports/routes';
import { routes as packs } from '../functions/packs/routes';
import { routes as participants } from '../functions/participants/routes';
import { routes as platform } from '../functions/platform/routes';
import { routes as referrals } from '../functions/referrals/routes';
import { routes as voice } from '../functions/voice/routes';
import { routes as wellbeing } from '../functions/wellbeing/routes';
import { type FunctionName, listRoutes } from './http/route-spec';

export {
  DEFAULT_FUNCTION_LIMITS,
  DEFAULT_MAX_BODY_BYTES,
  FUNCTION_LIMITS,
  FUNCTION_NAMES,
  type FunctionLimits,
  type FunctionName,
  type HttpMethod,
  type RouteSpec,
  routeKey,
} from './http/route-spec';

/** Each function's own route table, by function name. */
export const ROUTES_BY_FUNCTION = {
  platform,
  admin,
  wellbeing,
  referrals,
  findings,
  participants,
  engagement,
  imports,
  packs,
  // The web pages call the API over HTTP like any client: the web function has no API routes.
  web: {},
  voice,
} as const satisfies Record<FunctionName, unknown>;

export const routes = {
  ...platform,
  ...admin,
  ...wellbeing,
  ...referrals,
  ...findings,
  ...participants,
  ...engagement,
  ...imports,
  ...packs,
  ...voice,
} as const;

export type Routes = typeof routes;
export type OperationId = keyof Routes;

/** Every route as a list, with its operation id. */
export const ROUTE_LIST = listRoutes(routes);
