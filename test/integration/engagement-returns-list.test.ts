import { afterAll, describe, expect, it } from 'vitest';
import type { SiteId } from '../../shared/domain/sites';
import { client } from '../support/client';
import { engagementFigures } from '../support/engagement';
import { startTestApi } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const provider = (site: SiteId = 'london') => ({ role: 'provider' as const, site, user: 'clw' });
const evaluator = { role: 'evaluator' as const, user: 'eva' };

const put = async (month: string, figures: unknown, site: SiteId = 'london') => {
  const answer = await http.request('PUT', `/sites/${site}/engagement/${month}`, {
    as: provider(site),
    body: figures,
  });
  if (answer.status !== 201 && answer.status !== 200)
    throw new Error(`Could not send a return: ${answer.status}`);
  return answer.body;
};

const list = (
  site: SiteId = 'london',
  as: { role: 'provider' | 'evaluator'; site?: SiteId; user: string } = provider(),
) => http.request('GET', `/sites/${site}/engagement`, { as });

describe('GET /sites/{site}/engagement', () => {
  it('lists a site without returns as empty', async () => {
    const answer = await list('yorkshire-humber', provider('yorkshire-humber'));

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ site: 'yorkshire-humber', returns: [] });
  });

  it('lists the returns newest month first, with the figures as sent and the rates their receipts showed', async () => {
    const january = await put('2025-01', engagementFigures());
    const march = await put('2025-03', engagementFigures({ caseload: 13 }));
    await put('2025-02', engagementFigures({ caseload: 99 }));
    // Sending a month again replaces it: the list holds the later figures once.
    const february = await put('2025-02', engagementFigures({ caseload: 11 }));

    const answer = await list();

    expect(answer.status).toBe(200);
    const returns = answer.body.returns as Record<string, unknown>[];
    expect(returns.map((r) => r.month)).toEqual(['2025-03', '2025-02', '2025-01']);
    expect(returns[0]).toEqual({
      month: '2025-03',
      submittedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
      figures: engagementFigures({ caseload: 13 }),
      rates: march.rates,
    });
    expect(returns[1]).toMatchObject({ figures: engagementFigures({ caseload: 11 }), rates: february.rates });
    expect(returns[2]).toMatchObject({ figures: engagementFigures(), rates: january.rates });
  });

  it("shows evaluators the same returns, and neither kind of caller another site's", async () => {
    await put('2025-01', engagementFigures({ caseload: 40 }), 'north-east');

    const asEvaluator = await list('london', evaluator);
    const asProvider = await list('london');

    expect(asEvaluator.status).toBe(200);
    expect(asEvaluator.body).toEqual(asProvider.body);
    expect(JSON.stringify(asEvaluator.body)).not.toContain('"caseload":40');
  });

  it("refuses a provider another site's returns", async () => {
    const answer = await list('north-east', provider('london'));

    expect(answer.status).toBe(403);
  });
});
