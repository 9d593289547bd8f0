import {
  type ComposedSection,
  countCell,
  headerId,
  type SectionFold,
  siteRows,
  Tally,
} from './compose-table';
import { type EvidenceResource, RESOURCE_SUITS, RESOURCE_TYPES, type SiteId } from './evidence';
import type { Header, RawTable } from './pack-model';

/**
 * Community resources (4.7, outcome g): the map as it stood at the end of the period, by type and
 * by site: linked to (already existing) against newly generated, seed funded, open access, and the
 * groups they particularly suit. Resources are organisations, not people, so these are counts of
 * resources. Seed funding amounts are not published: with a handful of funded groups a total would
 * show what one small organisation received. One pass over the resources.
 */
export function composeResources(
  resources: readonly EvidenceResource[],
  sites: readonly SiteId[],
): ComposedSection {
  const fold = resourcesFold(sites);
  for (const r of resources) fold.add(r);
  return fold.finish();
}

/** {@link composeResources} one resource at a time. */
export function resourcesFold(sites: readonly SiteId[]): SectionFold<EvidenceResource> {
  const wanted = new Set<string>(sites);
  const tally = new Tally<string>();
  const add = (r: EvidenceResource): void => {
    if (!wanted.has(r.site)) return;
    for (const row of [`type:${r.type}`, `type:all`, `site:${r.site}`, `site:all`]) {
      tally.add(`${row}/${r.status}`);
      tally.add(`${row}/resources`);
      if (r.seedFunded) tally.add(`${row}/seed-funded`);
      if (r.openAccess) tally.add(`${row}/open-access`);
    }
    for (const s of r.suits.length === 0 ? ['anyone'] : r.suits) {
      tally.add(`suits:${s}/${r.status}`);
      tally.add(`suits:${s}/resources`);
    }
  };
  return { add, finish: () => resourcesSection(tally, sites) };
}

function resourcesSection(tally: Tally<string>, sites: readonly SiteId[]): ComposedSection {
  const columns: Header[] = [
    { id: 'resources', label: 'Resources', totalOf: ['existing', 'new'] },
    { id: 'existing', label: 'Already existed: linked to' },
    { id: 'new', label: 'Newly generated' },
    { id: 'seed-funded', label: 'Seed funded' },
    { id: 'open-access', label: 'Open access' },
  ];
  const typeCodes = Object.keys(RESOURCE_TYPES);
  const byType: RawTable = {
    id: 'resources-by-type',
    title: 'Community resources by type: linked to or newly generated, seed funded, open access',
    description: 'Every resource on the sites’ maps at the end of the period.',
    rowHeader: 'Type',
    rows: [
      ...typeCodes.map((t) => ({ id: headerId(t), label: RESOURCE_TYPES[t as keyof typeof RESOURCE_TYPES] })),
      { id: 'all-types', label: 'All types', totalOf: typeCodes.map(headerId) },
    ],
    columns,
    cells: [...typeCodes, 'all'].map((t) =>
      columns.map((c) =>
        countCell(
          tally.get(`type:${t}/${c.id}`),
          'resources',
          t === 'all' ? `resources.all.${c.id}` : `resources.type.${headerId(t)}.${c.id}`,
        ),
      ),
    ),
  };
  const bySite: RawTable = {
    id: 'resources-by-site',
    title: 'Community resources by site',
    rowHeader: 'Site',
    rows: siteRows(sites),
    columns,
    cells: [...sites, 'all'].map((s) =>
      columns.map((c) =>
        countCell(
          tally.get(`site:${s}/${c.id}`),
          'resources',
          s === 'all' ? `resources.all.${c.id}` : `resources.site.${s}.${c.id}`,
        ),
      ),
    ),
  };
  const suitCodes = [...Object.keys(RESOURCE_SUITS), 'anyone'];
  const suitColumns: Header[] = [
    { id: 'resources', label: 'Resources', totalOf: ['existing', 'new'] },
    { id: 'existing', label: 'Already existed: linked to' },
    { id: 'new', label: 'Newly generated' },
  ];
  const suits: RawTable = {
    id: 'resources-suits',
    title: 'Which groups the resources particularly suit',
    rowHeader: 'Particularly suits',
    rows: suitCodes.map((s) => ({
      id: headerId(s),
      label:
        s === 'anyone'
          ? 'No particular group (suits anyone)'
          : RESOURCE_SUITS[s as keyof typeof RESOURCE_SUITS],
    })),
    columns: suitColumns,
    cells: suitCodes.map((s) =>
      suitColumns.map((c) =>
        countCell(tally.get(`suits:${s}/${c.id}`), 'resources', `resources.suits.${headerId(s)}.${c.id}`),
      ),
    ),
    notes: ['A resource can suit several groups, so the rows add up to more than the resources.'],
  };
  return {
    id: '4.7',
    title: 'Community resources',
    outcomes: ['g'],
    paragraphs: [
      'Link workers connect people to professional services, mutual aid groups, community assets and small grassroots organisations, and help new activities start where nothing suitable exists, sometimes with seed funding.',
      'The tables count resources on the sites’ maps, not people linked to them. Organisation names and seed funding amounts are not published.',
    ],
    tables: [byType, bySite, suits],
    quotes: [],
  };
}
