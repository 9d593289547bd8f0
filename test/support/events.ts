import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { ApiContext, ApiEvent } from '../../shared/http/api';

/** The payload-2.0 event API Gateway hands a function, with JWT claims in the string form it uses. */
export function apiEvent(options: {
  routeKey: string;
  path: string;
  body?: unknown;
  claims?: Record<string, string>;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
}): ApiEvent {
  const method = options.routeKey.split(' ')[0] ?? 'GET';
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: options.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: options.routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims } } } : {}),
    },
  };
}

export function lambdaContext(): ApiContext {
  const context = { awsRequestId: randomUUID(), functionName: 'test' } as Context;
  return context;
}
