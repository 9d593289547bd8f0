/**
 * The child side of `cold-start.ts`: one fresh Node process imports one bundle, invokes its handler
 * once, writes the timings and exits. `cold-start.ts` compiles this file to the temp dir and spawns
 * it; it is not meant to be run by hand.
 *
 * argv: <bundle file URL> <event JSON>. The result goes to file descriptor 3 as JSON, so the
 * handler's own log lines on stdout never mix with it. With BENCH_NETWORK_GUARD=1 (an untimed check
 * run) every socket connect throws and is counted, which proves the measured path makes no network
 * call; the guard is off in timed runs because loading `node:net` would itself add to an empty
 * handler's start.
 */
import type { Context } from 'aws-lambda';

export interface InvokeResult {
  /** Process start (`performance.timeOrigin`) to the first line of this script: Node's own boot. */
  readonly bootMs: number;
  /** Importing the bundle: module evaluation, including the function's top-level wiring. */
  readonly importMs: number;
  /** The first invoke, from call to resolved promise. */
  readonly invokeMs: number;
  /** Process start to the end of the first invoke: what a cold start costs the first caller. */
  readonly totalMs: number;
  readonly statusCode: number | undefined;
  readonly socketConnects: number;
}

const RESULT_FD = 3;

/** Lambda's context without the callback-era `done`/`fail`/`succeed`, which async handlers never use. */
type InvokeContext = Omit<Context, 'done' | 'fail' | 'succeed'>;
type Handler = (event: unknown, context: InvokeContext) => Promise<{ statusCode?: number } | undefined>;

const bootMs = performance.now();
const [bundleUrl, eventJson] = process.argv.slice(2);
if (!bundleUrl || !eventJson) throw new Error('usage: invoke-once <bundle file URL> <event JSON>');

let socketConnects = 0;
if (process.env.BENCH_NETWORK_GUARD === '1') {
  const net = await import('node:net');
  net.Socket.prototype.connect = function refuseConnect(): never {
    socketConnects += 1;
    throw new Error('cold-start bench: a network call was attempted');
  };
}

const importStart = performance.now();
const bundle = (await import(bundleUrl)) as { handler: Handler };
const imported = performance.now();

const context: InvokeContext = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'cold-start-bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:cold-start-bench',
  memoryLimitInMB: '512',
  awsRequestId: 'bench-request-1',
  logGroupName: '/aws/lambda/cold-start-bench',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 30_000,
};
const response = await bundle.handler(JSON.parse(eventJson), context);
const invoked = performance.now();

const result: InvokeResult = {
  bootMs,
  importMs: imported - importStart,
  invokeMs: invoked - imported,
  totalMs: invoked,
  statusCode: response?.statusCode,
  socketConnects,
};
const { writeSync } = await import('node:fs');
writeSync(RESULT_FD, JSON.stringify(result));
// The measurement is taken; don't let an idle SDK agent or timer keep the process alive.
process.exit(0);
