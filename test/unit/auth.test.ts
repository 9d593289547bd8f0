import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/roles';
import { authorise, parseGroups, principalFromClaims } from '../../shared/http/auth';

const pseudonymise = (subject: string) => `pseudo(${subject.length})`;

describe('parseGroups', () => {
  it('reads the string form API Gateway HTTP APIs deliver', () => {
    expect(parseGroups('[provider evaluator]')).toEqual(['evaluator', 'provider']);
  });

  it('reads a JSON array', () => {
    expect(parseGroups(['market'])).toEqual(['market']);
  });

  it('ignores groups that are not roles of this product', () => {
    expect(parseGroups('[superuser provider]')).toEqual(['provider']);
  });

  it('grants nothing for a group whose name has a comma in it', () => {
    expect(parseGroups('[market,evaluator]')).toEqual([]);
    expect(parseGroups('[provider market,evaluator]')).toEqual(['provider']);
    expect(parseGroups(['market,evaluator'])).toEqual([]);
  });
});

describe('principalFromClaims', () => {
  it('keeps only a pseudonym of the subject', () => {
    const principal = principalFromClaims(
      { sub: 'a-real-subject-id', token_use: 'id', 'cognito:groups': '[provider]', 'custom:site': 'london' },
      pseudonymise,
    );
    expect(principal).toEqual({ actor: 'pseudo(17)', roles: ['provider'], site: 'london' });
  });

  it('refuses an access token, and a token that says nothing of its use', () => {
    const claims = { sub: 's', 'cognito:groups': '[evaluator]', scope: 'aws.cognito.signin.user.admin' };
    expect(() => principalFromClaims({ ...claims, token_use: 'access' }, pseudonymise)).toThrow(
      UnauthenticatedError,
    );
    expect(() => principalFromClaims(claims, pseudonymise)).toThrow(UnauthenticatedError);
  });

  it('refuses claims without a subject', () => {
    expect(() => principalFromClaims({ 'cognito:groups': '[provider]' }, pseudonymise)).toThrow(
      UnauthenticatedError,
    );
  });

  it('ignores a site that is not one of the three', () => {
    expect(
      principalFromClaims({ sub: 's', token_use: 'id', 'custom:site': 'mars' }, pseudonymise).site,
    ).toBeUndefined();
  });
});

describe('authorise', () => {
  const provider: Principal = { actor: 'x', roles: ['provider'], site: 'london' };

  it('lets a provider act for their own site', () => {
    expect(() => {
      authorise(provider, ['provider'], 'london');
    }).not.toThrow();
  });

  it("refuses a provider acting for another site's route", () => {
    expect(() => {
      authorise(provider, ['provider'], 'north-east');
    }).toThrow(ForbiddenError);
  });

  it('refuses a role the route does not allow', () => {
    expect(() => {
      authorise({ actor: 'x', roles: ['market'], site: undefined }, ['evaluator'], undefined);
    }).toThrow(ForbiddenError);
  });

  it('lets an evaluator act for any site', () => {
    expect(() => {
      authorise({ actor: 'x', roles: ['evaluator'], site: undefined }, ['evaluator', 'provider'], 'london');
    }).not.toThrow();
  });

  it('refuses a site-scoped user whose token names no site', () => {
    expect(() => {
      authorise({ actor: 'x', roles: ['provider'], site: undefined }, ['provider'], 'london');
    }).toThrow(ForbiddenError);
  });
});
