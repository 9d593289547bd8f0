import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { client, pulseBody } from '../support/client';
import { startTestApi } from '../support/environment';

/**
 * The product's metrics, counted where they happen and published by the handlers as Lambda would
 * see them: with the function's name set, each request that counted something writes one EMF line.
 */
const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());
beforeAll(() => {
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'ClwLearning-Api-Test');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'wellbeing');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

type Emf = Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string }[] } };

/** The EMF lines written to stdout while `act` runs. */
async function metricsDuring<T>(act: () => Promise<T>): Promise<{ result: T; emf: Emf[] }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    const result = await act();
    const emf = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Emf)
      .filter((line) => '_aws' in line);
    return { result, emf };
  } finally {
    spy.mockRestore();
  }
}

const provider = { role: 'provider' as const, site: 'london' as const, user: 'metrics' };
const admin = { role: 'admin' as const, user: 'metrics-admin' };

describe('metrics', () => {
  it('counts an idempotent replay, and nothing for the first request', async () => {
    const checkIn = () =>
      http.request('POST', '/sites/london/wellbeing-pulses', {
        as: provider,
        body: pulseBody(4),
        headers: { 'idempotency-key': 'metrics-replay-1' },
      });

    const first = await metricsDuring(checkIn);
    const replay = await metricsDuring(checkIn);

    expect(first.emf).toEqual([]);
    expect(replay.result.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.emf).toEqual([expect.objectContaining({ service: 'wellbeing', IdempotentReplays: 1 })]);
    expect(replay.emf[0]?._aws.CloudWatchMetrics[0]?.Namespace).toBe('ClwLearning');
  });

  it('counts the groups a wellbeing summary suppresses', async () => {
    // Nobody checked in during the last ended quarter: the programme and every site are under the threshold of 5.
    const { result, emf } = await metricsDuring(() =>
      http.request('GET', '/wellbeing/summary', { as: { role: 'evaluator', user: 'metrics-eve' } }),
    );

    const groups = (result.body as { groups: { status: string }[] }).groups;
    const suppressed = groups.filter((g) => g.status === 'suppressed').length;
    expect(suppressed).toBeGreaterThan(0);
    expect(emf).toEqual([expect.objectContaining({ GroupsSuppressed: suppressed })]);
  });

  it('counts a submission refused while the programme is paused', async () => {
    await http.request('PUT', '/programme', {
      as: admin,
      body: { state: 'paused', reason: 'Paused while the competition is open.' },
    });
    try {
      const { result, emf } = await metricsDuring(() =>
        http.request('POST', '/sites/london/wellbeing-pulses', { as: provider, body: pulseBody(3) }),
      );

      expect(result.status).toBe(423);
      expect(emf).toEqual([expect.objectContaining({ RefusedWhilePaused: 1 })]);
    } finally {
      await http.request('PUT', '/programme', { as: admin, body: { state: 'active' } });
    }
  });
});
