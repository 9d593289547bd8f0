import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { testApp } from './test-app';

/**
 * Logical ids of resources that hold data or accounts. CloudFormation replaces a resource whose
 * logical id changes: for these (all retained) that means a new, empty resource beside the old one,
 * and for the user pool, every account and MFA enrolment lost. Add to these lists; never remove.
 */
const STATEFUL_IDS: Readonly<Record<string, string>> = {
  DataKey17AFBB84: 'AWS::KMS::Key',
  Records091F6ECA: 'AWS::DynamoDB::Table',
  IdempotencyC15CBC33: 'AWS::DynamoDB::Table',
  Audit3D8ADE0A: 'AWS::DynamoDB::Table',
  AccessLogs8B620ECA: 'AWS::S3::Bucket',
  AccessLogsPolicyABDC4D2D: 'AWS::S3::BucketPolicy',
  Uploads4F6EB0FD: 'AWS::S3::Bucket',
  UploadsPolicy148F8199: 'AWS::S3::BucketPolicy',
  Packs8D2756ED: 'AWS::S3::Bucket',
  PacksPolicy4AAD95AB: 'AWS::S3::BucketPolicy',
  PseudonymKey2CD808DE: 'AWS::SecretsManager::Secret',
};

const API_IDS: Readonly<Record<string, string>> = {
  UserPool6BA7E5F2: 'AWS::Cognito::UserPool',
};

const typesById = (template: Template): Record<string, string> =>
  Object.fromEntries(
    Object.entries((template.toJSON() as { Resources: Record<string, { Type: string }> }).Resources).map(
      ([id, resource]) => [id, resource.Type],
    ),
  );

describe('logical ids of resources that hold data', () => {
  const { stateful, api } = testApp();

  it('keeps every stateful resource under the logical id it was first deployed with', () => {
    expect(typesById(Template.fromStack(stateful))).toMatchObject(STATEFUL_IDS);
  });

  it('keeps the user pool under its logical id', () => {
    expect(typesById(Template.fromStack(api))).toMatchObject(API_IDS);
  });
});
