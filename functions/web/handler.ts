import middy from '@middy/core';
import type { ApiEvent, ApiResult } from '../../shared/http/api';
import { handleWebRequest } from './web';
import { webWiring } from './wiring';

const deps = await webWiring();

/**
 * The web pages: server-rendered GOV.UK pages for each kind of user, signed in with a session
 * cookie and calling the API as that user. API Gateway sends it only the page, sign-in and static
 * file routes (`WEB_ROUTES` in pages.ts), without the JWT authorizer: it checks its cookie itself.
 */
export const handler = middy<ApiEvent, ApiResult>().handler((event) => handleWebRequest(deps, event));
