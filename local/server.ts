import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Context } from 'aws-lambda';
import { toProblem, PROBLEM_CONTENT_TYPE } from '../shared/http/problem';
import { UnauthenticatedError } from '../shared/domain/errors';
import type { ApiEvent, ApiResult } from '../shared/http/api';
import { pathPattern } from '../shared/http/api';
import { isWebRoute } from '../functions/web/pages';
import {
  DEFAULT_FUNCTION_LIMITS,
  FUNCTION_LIMITS,
  type FunctionName,
  ROUTE_LIST,
  routeKey,
} from '../shared/routes';

export type LambdaHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

export interface LocalServerOptions {
  readonly handlers: Readonly<Record<FunctionName, LambdaHandler>>;
  readonly verifyToken: (token: string) => Promise<Record<string, unknown>>;
  /**
   * Lambda's Invoke API for functions invoked asynchronously (the pack builder): starts the named
   * function in the background with the payload, and says whether there is such a function.
   */
  readonly invokeAsync?: (functionName: string, payload: unknown) => boolean;
}

/** The path of Lambda's Invoke API, as `@aws-sdk/client-lambda` sends it. */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** API Gateway's own cap on an HTTP API payload. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const COMPILED = ROUTE_LIST.map((route) => ({ route, pattern: pathPattern(route.path) }));

/**
 * The local stand-in for API Gateway: matches the route table, verifies the bearer token the way the
 * JWT authorizer does, and hands the deployed handler the same payload-2.0 event it gets in AWS.
 * Unmatched requests go to the platform function's `$default` route, as they do in AWS.
 */
export function createLocalServer(options: LocalServerOptions): Server {
  return createServer((req, res) => {
    const send = (result: ApiResult) => {
      // Payload 2.0 answers cookies apart from the headers; API Gateway sends each as a Set-Cookie.
      if (result.cookies && result.cookies.length > 0) res.setHeader('set-cookie', result.cookies);
      res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
      res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
    };
    handle(options, req)
      .then(send)
      .catch((error: unknown) => {
        const problem = toProblem(error, req.url ?? '/');
        send({
          statusCode: problem.status,
          headers: { 'content-type': PROBLEM_CONTENT_TYPE },
          body: JSON.stringify(problem),
        });
      });
  });
}

async function handle(options: LocalServerOptions, req: IncomingMessage): Promise<ApiResult> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  const invoked = INVOKE_PATH.exec(url.pathname);
  if (method === 'POST' && invoked?.[1] !== undefined && options.invokeAsync) {
    return invoke(options.invokeAsync, safeDecode(invoked[1]), req, body);
  }
  if (isWebRoute(method, url.pathname)) {
    // The web pages: no JWT authorizer on their routes, as in AWS; the function reads its cookie.
    const event = toEvent(req, url, body, `${method} ${url.pathname}`, undefined, undefined);
    return options.handlers.web(event, lambdaContext('web', event.requestContext.requestId));
  }
  const match = COMPILED.find((c) => c.route.method === method && c.pattern.test(url.pathname));
  let claims: Record<string, string> | undefined;
  if (match && match.route.access !== 'public') {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    try {
      if (!bearer) throw new Error('no token');
      claims = asGatewayClaims(await options.verifyToken(bearer));
    } catch {
      throw new UnauthenticatedError('A valid, unexpired bearer token is needed for this route.');
    }
  }
  const pathParameters = match ? pathParams(match.route.path, url.pathname) : undefined;
  const event = toEvent(req, url, body, match ? routeKey(match.route) : '$default', pathParameters, claims);
  const fn: FunctionName = match ? match.route.fn : 'platform';
  return options.handlers[fn](event, lambdaContext(fn, event.requestContext.requestId));
}

/**
 * Answers an Invoke call as Lambda does for `InvocationType: Event`: 202 with an empty body once the
 * function is queued (here: started). Only reachable on the loopback address the stack listens on,
 * and only asynchronous invocations of the named background functions are served.
 */
function invoke(
  invokeAsync: NonNullable<LocalServerOptions['invokeAsync']>,
  functionName: string,
  req: IncomingMessage,
  body: Buffer,
): ApiResult {
  const lambdaError = (statusCode: number, type: string, message: string): ApiResult => ({
    statusCode,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ Type: 'User', message }),
  });
  if (req.headers['x-amz-invocation-type'] !== 'Event') {
    return lambdaError(
      400,
      'InvalidParameterValueException',
      'Locally only asynchronous (Event) invocations are served.',
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return lambdaError(400, 'InvalidRequestContentException', 'Could not parse request body into json.');
  }
  if (!invokeAsync(functionName, payload)) {
    return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${functionName}`);
  }
  return { statusCode: 202, headers: {}, body: '' };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function pathParams(template: string, path: string): Record<string, string> | undefined {
  const segments = path.split('/');
  const entries = template
    .split('/')
    .flatMap((part, i): [string, string][] =>
      part.startsWith('{') ? [[part.slice(1, -1), safeDecode(segments[i] ?? '')]] : [],
    );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** API Gateway hands claims on as strings; arrays become `[a b]`, as with `cognito:groups`. */
function asGatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]),
  );
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  key: string,
  pathParameters: Record<string, string> | undefined,
  claims: Record<string, string> | undefined,
): ApiEvent {
  // Maps, then own properties: header and query names are the caller's, and assigning `__proto__`
  // on a plain object would change its prototype rather than add a field.
  const headerMap = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined)
      headerMap.set(name.toLowerCase(), Array.isArray(value) ? value.join(',') : value);
  }
  const queryMap = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const earlier = queryMap.get(name);
    queryMap.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  const headers: Record<string, string> = Object.fromEntries(headerMap);
  // API Gateway hands cookies over in their own field.
  const cookies = headers.cookie?.split(';').map((pair) => pair.trim());
  const query: Record<string, string> = Object.fromEntries(queryMap);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(queryMap.size > 0 ? { queryStringParameters: query } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    ...(cookies ? { cookies } : {}),
    ...(body.byteLength > 0 ? { body: body.toString('utf8') } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims } } } : {}),
    },
  };
}

export function lambdaContext(
  fn: string,
  requestId: string,
  limits = FUNCTION_LIMITS[fn as FunctionName] ?? DEFAULT_FUNCTION_LIMITS,
): Context {
  const deadline = Date.now() + limits.timeoutSeconds * 1000;
  const context: Omit<Context, 'done' | 'fail' | 'succeed'> = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${fn}`,
    memoryLimitInMB: String(limits.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  return context as Context;
}
