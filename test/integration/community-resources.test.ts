import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RESOURCES_PER_SITE } from '../../functions/engagement/community-resources';
import type { SiteId } from '../../shared/domain/sites';
import { type Answer, client } from '../support/client';
import { startTestApi, whilePaused } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

type Caller = { role: 'provider' | 'evaluator' | 'practitioner' | 'market'; site?: SiteId; user: string };
const provider = (site: SiteId = 'london'): Caller => ({ role: 'provider', site, user: `clw-${site}` });
const evaluator: Caller = { role: 'evaluator', user: 'eve' };

const resource = (organisationName: string, overrides: Record<string, unknown> = {}) => ({
  organisationName,
  type: 'community-asset',
  status: 'existing',
  seedFunded: false,
  openAccess: true,
  suits: [],
  linksMade: 3,
  ...overrides,
});

const add = (
  body: unknown,
  as: Caller = provider(),
  site: SiteId = 'london',
  headers?: Record<string, string>,
) =>
  http.request('POST', `/sites/${site}/community-resources`, { as, body, ...(headers ? { headers } : {}) });
const map = (site: SiteId, as: Caller = provider(site)) =>
  http.request('GET', `/sites/${site}/community-resources`, { as });

const pointersOf = (answer: Answer) => (answer.body.errors as { pointer: string }[]).map((e) => e.pointer);
const resourceItems = async () =>
  (await api.scan('RECORDS_TABLE')).filter((item) => String(item.pk).startsWith('RESOURCE'));

describe('POST /sites/{site}/community-resources', () => {
  it(`refuses a resource beyond the ${MAX_RESOURCES_PER_SITE} a site's map holds with 409, writing nothing`, async () => {
    // The site's count as if it were one short of full; adding that many for real takes minutes.
    const counter = { pk: 'RESOURCE-NAME#north-east', sk: '#count' };
    const table = api.env.RECORDS_TABLE;
    await api.db.send(
      new PutCommand({ TableName: table, Item: { ...counter, resources: MAX_RESOURCES_PER_SITE - 1 } }),
    );
    const site = provider('north-east');
    const last = await add(resource('Last Allotment Society'), site, 'north-east');
    const before = await resourceItems();
    const refused = await add(resource('One Too Many Choir'), site, 'north-east');
    const after = await resourceItems();
    // Leave the site as other tests expect it: its map without this resource, its count as before.
    const added = String(last.body.id);
    await api.db.send(new DeleteCommand({ TableName: table, Key: { pk: 'RESOURCE#north-east', sk: added } }));
    await api.db.send(
      new DeleteCommand({ TableName: table, Key: { pk: counter.pk, sk: 'last allotment society' } }),
    );
    await api.db.send(new DeleteCommand({ TableName: table, Key: counter }));

    expect(last.status).toBe(201);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`${MAX_RESOURCES_PER_SITE} resources`);
    expect(after).toEqual(before);
    expect(before.find((item) => item.pk === counter.pk && item.sk === counter.sk)).toMatchObject({
      resources: MAX_RESOURCES_PER_SITE,
    });
  });

  it('adds a resource to the site map as 201, with its audit event', async () => {
    const auditBefore = (await api.scan('AUDIT_TABLE')).length;

    const answer = await add(
      resource('Hillside Recovery Café', {
        type: 'grassroots-organisation',
        status: 'new',
        seedFunded: true,
        seedFundingPounds: 750,
        suits: ['age', 'faith'],
        suitsDescription: 'Young adults; a faith-based group',
        locality: 'Lewisham',
      }),
    );

    expect(answer).toMatchObject({ status: 201, body: { site: 'london', redacted: {} } });
    const stored = (await resourceItems()).find(
      (item) => item.pk === 'RESOURCE#london' && item.sk === answer.body.id,
    );
    expect(stored).toMatchObject({
      organisationName: 'Hillside Recovery Café',
      seedFundingPounds: 750,
      suits: ['age', 'faith'],
      locality: 'Lewisham',
    });
    const audit = await api.scan('AUDIT_TABLE');
    expect(audit).toHaveLength(auditBefore + 1);
    expect(audit.find((e) => e.subjectId === answer.body.id)).toMatchObject({
      action: 'community-resource.create',
      subjectType: 'community-resource',
    });
  });

  it('redacts the locality and description and says what it removed', async () => {
    const answer = await add(
      resource('Riverside Community Garden', {
        locality: 'Near SE13 5AB',
        suitsDescription: 'Ring 020 7946 0123 first',
      }),
    );

    expect(answer.status).toBe(201);
    expect(answer.body.redacted).toMatchObject({ postcode: 1, phone: 1 });
    const stored = JSON.stringify(await resourceItems());
    expect(stored).not.toContain('SE13 5AB');
    expect(stored).not.toContain('020 7946 0123');
    expect(stored).toContain('[postcode removed]');
  });

  it.each([
    ["a person's name", 'Sarah Smith'],
    ['an email address', 'Contact jo@example.org'],
    ['a phone number', 'Walking group 07700 900555'],
    ['a case reference', 'Group for X654321'],
  ])(
    'refuses an organisation name with %s in it rather than storing a redacted name',
    async (_what, name) => {
      const before = await api.scan('RECORDS_TABLE');

      const answer = await add(resource(name));

      expect(answer.status).toBe(400);
      const errors = answer.body.errors as { pointer: string; detail: string }[];
      expect(errors.map((e) => e.pointer)).toEqual(['/body/organisationName']);
      expect(errors[0]?.detail).toContain("organisation's name");
      expect(await api.scan('RECORDS_TABLE')).toHaveLength(before.length);
    },
  );

  it('answers 409 for an organisation the map already has, however it is typed, writing nothing', async () => {
    await add(resource("St Mary's Community Hall"));
    const before = await api.scan('RECORDS_TABLE');
    const auditBefore = await api.scan('AUDIT_TABLE');

    const again = await add(resource('st  marys community-hall'), evaluator);

    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before.length);
    expect(await api.scan('AUDIT_TABLE')).toHaveLength(auditBefore.length);
  });

  it('lets another site have an organisation of the same name', async () => {
    await add(resource('Citizens Advice'));
    const other = await add(resource('Citizens Advice'), provider('north-east'), 'north-east');
    expect(other.status).toBe(201);
  });

  it('lets an evaluator add to any site, and refuses a provider from another site with 403', async () => {
    const byEvaluator = await add(resource('Tyneside Wellbeing Hub'), evaluator, 'north-east');
    const before = await api.scan('RECORDS_TABLE');
    const byOutsider = await add(resource('Tyneside Library'), provider('london'), 'north-east');

    expect(byEvaluator.status).toBe(201);
    expect(byOutsider.status).toBe(403);
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before.length);
  });

  it.each([
    ['seed funding without seedFunded', resource('A', { seedFundingPounds: 100 }), '/body/seedFundingPounds'],
    [
      'negative seed funding',
      resource('B', { seedFunded: true, seedFundingPounds: -5 }),
      '/body/seedFundingPounds',
    ],
    ['a repeated suits code', resource('C', { suits: ['age', 'gender', 'age'] }), '/body/suits/2'],
    ['an unknown suits code', resource('D', { suits: ['height'] }), '/body/suits/0'],
    ['an unknown type', resource('E', { type: 'charity-shop' }), '/body/type'],
    ['an unknown status', resource('F', { status: 'planned' }), '/body/status'],
    ['negative links', resource('G', { linksMade: -1 }), '/body/linksMade'],
    ['fractional links', resource('H', { linksMade: 1.5 }), '/body/linksMade'],
    ['an empty name', resource('   '), '/body/organisationName'],
    ['an over-long name', resource('N'.repeat(121)), '/body/organisationName'],
    ['an over-long locality', resource('I', { locality: 'L'.repeat(81) }), '/body/locality'],
    [
      'an over-long description',
      resource('J', { suitsDescription: 'D'.repeat(201) }),
      '/body/suitsDescription',
    ],
    ['an extra field', resource('K', { contactName: 'Jo' }), '/body/contactName'],
    ['a missing openAccess', { ...resource('M'), openAccess: undefined }, '/body/openAccess'],
    ['openAccess as text', resource('O', { openAccess: 'yes' }), '/body/openAccess'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_case, body, pointer) => {
    const before = await api.scan('RECORDS_TABLE');

    const answer = await add(body);

    expect(answer.status).toBe(400);
    expect(pointersOf(answer)).toContain(pointer);
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before.length);
  });

  it('replays the first answer for the same Idempotency-Key, adding the resource once', async () => {
    const key = { 'idempotency-key': 'resource-retry-1' };
    const first = await add(resource('Retry Running Club'), provider(), 'london', key);
    const replay = await add(resource('Retry Running Club'), provider(), 'london', key);

    expect(first.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers 423 while the programme is paused, writing nothing, while the map can still be read', async () => {
    const before = await resourceItems();
    await whilePaused(api, async () => {
      const answer = await add(resource('Paused Book Club'));
      const read = await map('london');
      expect(answer).toMatchObject({
        status: 423,
        body: { detail: 'Paused while the competition is open.' },
      });
      expect(read.status).toBe(200);
    });
    expect(await resourceItems()).toHaveLength(before.length);
  });
});

describe('GET /sites/{site}/community-resources', () => {
  it("answers the site's resources sorted by name, ignoring case, with totals", async () => {
    await add(
      resource('zebra crossing youth club', { linksMade: 1 }),
      provider('yorkshire-humber'),
      'yorkshire-humber',
    );
    await add(
      resource('Greenfield Food Bank', {
        status: 'new',
        seedFunded: true,
        seedFundingPounds: 200,
        linksMade: 4,
      }),
      provider('yorkshire-humber'),
      'yorkshire-humber',
    );
    await add(
      resource('Northern Recovery Network', { type: 'mutual-aid-group', linksMade: 2 }),
      evaluator,
      'yorkshire-humber',
    );

    const answer = await map('yorkshire-humber');

    expect(answer.status).toBe(200);
    expect(answer.body.site).toBe('yorkshire-humber');
    const resources = answer.body.resources as { organisationName: string; id: string }[];
    expect(resources.map((r) => r.organisationName)).toEqual([
      'Greenfield Food Bank',
      'Northern Recovery Network',
      'zebra crossing youth club',
    ]);
    expect(resources[0]).not.toHaveProperty('site');
    expect(answer.body.totals).toEqual({
      resources: 3,
      new: 1,
      existing: 2,
      seedFunded: 1,
      seedFundingPounds: 200,
      linksMade: 7,
    });
  });

  it("shows no other site's resources", async () => {
    const answer = await map('yorkshire-humber', evaluator);
    const names = (answer.body.resources as { organisationName: string }[]).map((r) => r.organisationName);
    expect(names).not.toContain('Citizens Advice');
    expect(names).not.toContain('Hillside Recovery Café');
  });

  it('answers 403 to a provider reading another site’s map and to a practitioner', async () => {
    const outsider = await map('yorkshire-humber', provider('london'));
    const practitioner = await map('london', { role: 'practitioner', site: 'london', user: 'pp' });
    expect([outsider.status, practitioner.status]).toEqual([403, 403]);
  });

  it('refuses a query parameter, naming it', async () => {
    const answer = await http.request('GET', '/sites/london/community-resources?page=2', { as: provider() });
    expect(answer).toMatchObject({ status: 400, body: { errors: [{ pointer: '/query/page' }] } });
  });
});

describe('GET /sites/{site}/community-resources: pages', () => {
  const site: SiteId = 'london';
  const page = (query: string) =>
    http.request('GET', `/sites/${site}/community-resources${query}`, { as: provider(site) });

  it('walks the map a page at a time with signed cursors, in name order, totals always over the whole map', async () => {
    for (const name of [
      'Paging Allotment Society',
      'paging Boxing Club',
      'Paging Community Café',
      'Paging Lending Library',
      'Paging Singing Group',
    ]) {
      expect((await add(resource(name), provider(site), site)).status).toBe(201);
    }
    const whole = await page('?limit=500');
    const names: string[] = [];
    let query = '?limit=2';
    for (let pages = 0; pages < 20; pages++) {
      const answer = await page(query);
      expect(answer.status).toBe(200);
      expect(answer.body.totals).toEqual(whole.body.totals);
      const resources = answer.body.resources as { organisationName: string }[];
      expect(resources.length).toBeLessThanOrEqual(2);
      names.push(...resources.map((r) => r.organisationName));
      if (typeof answer.body.next !== 'string') break;
      query = `?limit=2&cursor=${encodeURIComponent(answer.body.next)}`;
    }

    expect(names).toEqual(
      (whole.body.resources as { organisationName: string }[]).map((r) => r.organisationName),
    );
    const mine = new Set([
      'Paging Allotment Society',
      'paging Boxing Club',
      'Paging Community Café',
      'Paging Lending Library',
      'Paging Singing Group',
    ]);
    expect(names.filter((name) => mine.has(name))).toEqual([
      'Paging Allotment Society',
      'paging Boxing Club',
      'Paging Community Café',
      'Paging Lending Library',
      'Paging Singing Group',
    ]);
    expect(whole.body.next).toBeUndefined();
  });

  it('refuses a limit over 500, a cursor not given out, and a cursor of another site, with 400', async () => {
    const first = await page('?limit=1');
    const next = first.body.next as string;
    const other = await http.request('GET', `/sites/north-east/community-resources?cursor=${next}`, {
      as: provider('north-east'),
    });

    expect((await page('?limit=501')).status).toBe(400);
    expect((await page(`?cursor=${next.slice(0, -2)}AA`)).status).toBe(400);
    expect(other.status).toBe(400);
  });
});
