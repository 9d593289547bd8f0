import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LogFields, RequestLog } from '../../shared/http/log';
import { METRIC_NAMES, METRICS_NAMESPACE, RequestMetrics } from '../../shared/http/metrics';

/** Every line written to stdout and stderr while `act` runs, as the log reader would see them. */
function captureOutput(act: () => void): { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

const parse = (line: string | undefined) => JSON.parse(line ?? 'null') as Record<string, unknown>;

const TRACE_ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const lambdaContext = {
  functionName: 'ClwLearning-Api-ImportsFunctionHandler-AbC123',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:ClwLearning-Api-Imports',
  memoryLimitInMB: '1024',
};

/** The only keys a log line may have. */
const ALLOWED_KEYS = [
  'level',
  'message',
  'time',
  'functionName',
  'coldStart',
  'traceId',
  'requestId',
  'operationId',
  'status',
  'durationMs',
  'errorName',
  'replayed',
];

describe('request logs', () => {
  beforeEach(() => {
    vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${TRACE_ROOT};Parent=53995c3f42cd8ad8;Sampled=1`);
    // As Lambda sets it for an on-demand execution environment, the only kind with a cold start.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes one JSON line with the request fields, function name, cold start and trace id', () => {
    const log = new RequestLog('info');
    log.begin(lambdaContext);

    const { stdout } = captureOutput(() => {
      log.write('info', 'handled', { operationId: 'importCsv', status: 201, durationMs: 812.4 });
    });

    expect(stdout).toHaveLength(1);
    expect(parse(stdout[0])).toEqual({
      level: 'INFO',
      message: 'handled',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      functionName: lambdaContext.functionName,
      coldStart: true,
      traceId: TRACE_ROOT,
      requestId: lambdaContext.awsRequestId,
      operationId: 'importCsv',
      status: 201,
      durationMs: 812,
    });
  });

  it('marks only the first invocation of the instance as a cold start', () => {
    const log = new RequestLog('info');

    const { stdout } = captureOutput(() => {
      log.begin(lambdaContext);
      log.write('info', 'handled', { status: 200 });
      log.begin({ ...lambdaContext, awsRequestId: 'second-request' });
      log.write('info', 'handled', { status: 200 });
    });

    expect(stdout.map(parse).map((line) => [line.coldStart, line.requestId])).toEqual([
      [true, lambdaContext.awsRequestId],
      [false, 'second-request'],
    ]);
  });

  it('drops a key outside the closed set, whatever it holds', () => {
    const log = new RequestLog('info');
    log.begin(lambdaContext);
    const smuggled = {
      operationId: 'submitWellbeingPulse',
      status: 201,
      comment: 'Jane Smith of 12 High Street, SW1A 1AA',
      body: { reference: 'A1234BC' },
      principal: 'practitioner@example.org',
    } as LogFields;

    const { stdout } = captureOutput(() => {
      log.write('info', 'handled', smuggled);
    });

    const line = parse(stdout[0]);
    expect(Object.keys(line).filter((key) => !ALLOWED_KEYS.includes(key))).toEqual([]);
    expect(stdout[0]).not.toMatch(/Jane|High Street|SW1A|A1234BC|example\.org/);
    expect(line).toMatchObject({ operationId: 'submitWellbeingPulse', status: 201 });
  });

  it('drops a field whose value is free text or not of its shape, and never logs an unknown message', () => {
    const log = new RequestLog('info');
    log.begin({ ...lambdaContext, awsRequestId: 'not a request id; Jane Smith' });
    const freeText = {
      operationId: 'Mr Smith told me about his debts',
      errorName: 'Error: could not find Jane Smith at SW1A 1AA',
      requestId: 'Jane Smith',
      status: 'two hundred',
      durationMs: -5,
      replayed: 'yes',
    } as unknown as LogFields;

    const { stdout } = captureOutput(() => {
      log.write('info', 'Jane Smith phoned' as 'handled', freeText);
    });

    const line = parse(stdout[0]);
    expect(stdout[0]).not.toMatch(/Smith|Jane|SW1A|debts|two hundred|yes/);
    expect(Object.keys(line).sort()).toEqual(
      ['coldStart', 'functionName', 'level', 'message', 'time', 'traceId'].sort(),
    );
    expect(line.message).toBe('unknown');
  });

  it('writes failures to stderr and keeps only them at LOG_LEVEL=error', () => {
    const log = new RequestLog('error');
    log.begin(lambdaContext);

    const { stdout, stderr } = captureOutput(() => {
      log.write('info', 'handled', { status: 200 });
      log.write('error', 'failed', { status: 500, errorName: 'TypeError' });
    });

    expect(stdout).toEqual([]);
    expect(stderr.map(parse)).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'failed', status: 500, errorName: 'TypeError' }),
    ]);
  });

  it('prints nothing at LOG_LEVEL=silent', () => {
    const log = new RequestLog('silent');
    log.begin(lambdaContext);

    const output = captureOutput(() => {
      log.write('info', 'handled', { status: 200 });
      log.write('error', 'failed', { status: 500 });
    });

    expect(output).toEqual({ stdout: [], stderr: [] });
  });
});

describe('request metrics', () => {
  const inLambda = {
    AWS_LAMBDA_FUNCTION_NAME: 'ClwLearning-Api-Imports',
    POWERTOOLS_SERVICE_NAME: 'imports',
  };

  it('publishes the counts of an invocation as one EMF line, with the function as the only dimension', () => {
    const metrics = new RequestMetrics(inLambda);

    const { stdout } = captureOutput(() => {
      metrics.count(METRIC_NAMES.importUndone);
      metrics.count(METRIC_NAMES.groupsSuppressed, 3);
      metrics.publish();
    });

    expect(stdout).toHaveLength(1);
    const emf = parse(stdout[0]) as {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: unknown[] }[] };
    } & Record<string, unknown>;
    expect(emf._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['service']],
        Metrics: expect.arrayContaining([
          { Name: 'ImportsUndone', Unit: 'Count' },
          { Name: 'GroupsSuppressed', Unit: 'Count' },
        ]) as unknown,
      },
    ]);
    expect(emf).toMatchObject({ service: 'imports', ImportsUndone: 1, GroupsSuppressed: 3 });
    expect(Object.keys(emf).sort()).toEqual(['GroupsSuppressed', 'ImportsUndone', '_aws', 'service']);
  });

  it('prints nothing when nothing was counted, and counts each invocation afresh', () => {
    const metrics = new RequestMetrics(inLambda);

    const { stdout } = captureOutput(() => {
      metrics.count(METRIC_NAMES.groupsSuppressed, 0);
      metrics.publish();
      metrics.count(METRIC_NAMES.idempotentReplay);
      metrics.publish();
      metrics.publish();
    });

    expect(stdout.map(parse)).toEqual([expect.objectContaining({ IdempotentReplays: 1 })]);
  });

  it('prints nothing outside Lambda (tests, npm start)', () => {
    const metrics = new RequestMetrics({});

    const output = captureOutput(() => {
      metrics.count(METRIC_NAMES.refusedWhilePaused);
      metrics.publish();
    });

    expect(output).toEqual({ stdout: [], stderr: [] });
  });
});
