import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  communityResourceBodySchema,
  organisationKey,
  personInOrganisationName,
  type StoredCommunityResource,
  summariseResources,
} from '../../functions/engagement/community-resources';

const stored = (
  organisationName: string,
  overrides: Partial<StoredCommunityResource> = {},
): StoredCommunityResource => ({
  id: organisationName,
  site: 'london',
  organisationName,
  type: 'community-asset',
  status: 'existing',
  seedFunded: false,
  openAccess: true,
  suits: [],
  linksMade: 1,
  recordedAt: '2025-01-10T09:00:00.000Z',
  ...overrides,
});

describe('organisationKey', () => {
  it.each([
    ["St. Mary's  Church", 'st marys church'],
    ['CAFÉ  Recovery', 'cafe recovery'],
    ['Men’s Shed (Tyneside)', 'mens shed tyneside'],
  ])('normalises %j to %j', (name, key) => {
    expect(organisationKey(name)).toBe(key);
  });

  it('ignores case, spacing and punctuation between words, whatever the words', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9]{1,10}$/);
    const gap = fc.constantFrom(' ', '  ', ' - ', ', ', '.', ' & ');
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), gap, (words, between) => {
        expect(organisationKey(words.join(between).toUpperCase())).toBe(words.join(' ').toLowerCase());
      }),
    );
  });

  it('keeps names with different words apart', () => {
    expect(organisationKey('Leeds Food Bank')).not.toBe(organisationKey('Leeds Food Club'));
  });
});

describe('summariseResources', () => {
  it('sorts by name as people read it: ignoring case, numbers in order', () => {
    const map = summariseResources('london', [
      stored('walking group 10'),
      stored('Walking Group 9'),
      stored('allotment society'),
      stored('Book Club'),
    ]);
    expect(map.resources.map((r) => r.organisationName)).toEqual([
      'allotment society',
      'Book Club',
      'Walking Group 9',
      'walking group 10',
    ]);
  });

  it('totals resources, new and existing, seed funding and links', () => {
    const map = summariseResources('london', [
      stored('A', { status: 'new', seedFunded: true, seedFundingPounds: 300, linksMade: 4 }),
      stored('B', { status: 'new', seedFunded: true, linksMade: 0 }),
      stored('C', { linksMade: 6 }),
    ]);
    expect(map.totals).toEqual({
      resources: 3,
      new: 2,
      existing: 1,
      seedFunded: 2,
      seedFundingPounds: 300,
      linksMade: 10,
    });
  });

  it('answers an empty map with zero totals', () => {
    expect(summariseResources('north-east', [])).toEqual({
      site: 'north-east',
      totals: { resources: 0, new: 0, existing: 0, seedFunded: 0, seedFundingPounds: 0, linksMade: 0 },
      resources: [],
    });
  });
});

describe('communityResourceBodySchema', () => {
  const body = {
    organisationName: 'Greenfield Food Bank',
    type: 'community-asset',
    status: 'new',
    seedFunded: true,
    seedFundingPounds: 0,
    openAccess: false,
    suits: ['age'],
    linksMade: 0,
  };

  it('accepts seed funding of zero pounds when seed funded', () => {
    expect(communityResourceBodySchema.safeParse(body).success).toBe(true);
  });

  it('refuses seed funding when not seed funded, at that field', () => {
    const result = communityResourceBodySchema.safeParse({ ...body, seedFunded: false });
    expect(result.error?.issues.map((i) => i.path)).toEqual([['seedFundingPounds']]);
  });
});

describe('personInOrganisationName', () => {
  it.each([
    'Abbey Food Bank',
    'Leeds Mutual Aid',
    "Men's Shed Hull",
    'Marie Curie Drop-in',
    'Walking Football',
  ])('accepts %s: an organisation, even where the tagger sees a name inside it', (name) => {
    expect(personInOrganisationName(name)).toBeUndefined();
  });

  it.each(['Sarah Smith', 'Priya Shah', "Mr Patel's Boxing Gym", 'Call 07700 900123 Group'])(
    'refuses %s: a person or an identifier, not an organisation',
    (name) => {
      expect(personInOrganisationName(name)).toEqual(expect.any(String));
    },
  );
});
