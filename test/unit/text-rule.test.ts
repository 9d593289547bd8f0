import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { programmeChangeSchema } from '../../functions/admin/admin';
import { communityResourceBodySchema } from '../../functions/engagement/community-resources';
import { themeBodySchema } from '../../functions/findings/codebook';
import { referralBarrierBodySchema } from '../../functions/referrals/referral-barriers';
import { pulseBodySchema } from '../../functions/wellbeing/wellbeing';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';
import { pulseBody } from '../support/client';

const HALF_EMOJI = 'Busy week \ud83d then quiet';
const resource = {
  organisationName: 'Greenfield Food Bank',
  type: 'community-asset',
  status: 'new',
  seedFunded: false,
  openAccess: true,
  suits: [],
  linksMade: 0,
};

/** Each free-text field of a request, with a valid body it belongs to. */
const FIELDS: readonly { name: string; schema: z.ZodType; valid: Record<string, unknown>; field: string }[] =
  [
    { name: 'check-in comment', schema: pulseBodySchema, valid: pulseBody(4), field: 'comment' },
    {
      name: 'referral barrier note',
      schema: referralBarrierBodySchema,
      valid: { reporterRole: 'prison-staff', source: 'provider-feedback', referring: 'no' },
      field: 'note',
    },
    {
      name: 'resource name',
      schema: communityResourceBodySchema,
      valid: resource,
      field: 'organisationName',
    },
    {
      name: 'resource description',
      schema: communityResourceBodySchema,
      valid: resource,
      field: 'suitsDescription',
    },
    { name: 'resource locality', schema: communityResourceBodySchema, valid: resource, field: 'locality' },
    { name: 'pause reason', schema: programmeChangeSchema, valid: { state: 'paused' }, field: 'reason' },
    { name: 'theme name', schema: themeBodySchema, valid: { area: '4.5' }, field: 'name' },
  ];

describe('the one free-text rule', () => {
  it.each(FIELDS)('refuses half an emoji (a lone surrogate) in the $name', ({ schema, valid, field }) => {
    const result = schema.safeParse({ ...valid, [field]: HALF_EMOJI });

    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [[field], NOT_WELL_FORMED],
    ]);
  });

  it.each(FIELDS)('accepts whole emoji and accented letters in the $name', ({ schema, valid, field }) => {
    expect(schema.safeParse({ ...valid, [field]: 'Café drop-ins 👍 on Tuesdays' }).success).toBe(true);
  });

  it('accepts exactly the strings that are well-formed Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        // UTF-8 round-trips a string exactly when it is well-formed; a lone surrogate becomes U+FFFD.
        expect(WELL_FORMED_TEXT.test(text)).toBe(Buffer.from(text, 'utf8').toString('utf8') === text);
      }),
    );
  });
});
