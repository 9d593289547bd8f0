import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pseudonymiser } from '../../shared/adapters/pseudonymiser';
import { readConfig } from '../../shared/config';
import { ValidationError } from '../../shared/domain/errors';
import { toProblem } from '../../shared/http/problem';

const validEnv = {
  RECORDS_TABLE: 'r',
  IDEMPOTENCY_TABLE: 'i',
  AUDIT_TABLE: 'a',
  UPLOADS_BUCKET: 'u',
  PSEUDONYM_KEY_FILE: 'key',
};

describe('readConfig', () => {
  it('requires the GuardDuty scan unless S3 is the local emulator', () => {
    expect(readConfig(validEnv).UPLOAD_SCAN).toBe('guardduty');
    expect(() => readConfig({ ...validEnv, UPLOAD_SCAN: 'none' })).toThrow(/UPLOAD_SCAN/);
    expect(
      readConfig({ ...validEnv, UPLOAD_SCAN: 'none', S3_ENDPOINT: 'http://127.0.0.1:4569' }).UPLOAD_SCAN,
    ).toBe('none');
  });

  it('names the variable that is missing', () => {
    expect(() => readConfig({ ...validEnv, AUDIT_TABLE: undefined })).toThrow(/AUDIT_TABLE is not set/);
  });

  it('refuses both key sources at once, naming them', () => {
    expect(() => readConfig({ ...validEnv, PSEUDONYM_SECRET_ARN: 'arn' })).toThrow(/PSEUDONYM_SECRET_ARN/);
  });

  it('defaults the region to London', () => {
    expect(readConfig(validEnv).AWS_REGION).toBe('eu-west-2');
  });
});

describe('toProblem', () => {
  it('names each bad field of a validation error', () => {
    const problem = toProblem(new ValidationError([{ pointer: '/body/x', detail: 'is required' }]), '/p');
    expect(problem).toMatchObject({ status: 400, errors: [{ pointer: '/body/x', detail: 'is required' }] });
  });

  it('says nothing about the cause of an unexpected error', () => {
    const problem = toProblem(new Error('ECONNREFUSED 10.0.0.1 table secret-name'), '/p');
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|secret-name/);
  });
});

describe('pseudonymiser', () => {
  const key = randomBytes(32);

  it('gives the same pseudonym for the same subject', () => {
    expect(pseudonymiser(key)('staff', 'sub-1')).toBe(pseudonymiser(key)('staff', 'sub-1'));
  });

  it('gives another pseudonym under another key, so it cannot be recomputed without the key', () => {
    expect(pseudonymiser(randomBytes(32))('staff', 'sub-1')).not.toBe(pseudonymiser(key)('staff', 'sub-1'));
  });

  it('is not a plain hash of the subject', () => {
    const plain = createHash('sha256').update('sub-1').digest('base64url').slice(0, 22);
    expect(pseudonymiser(key)('staff', 'sub-1')).not.toBe(plain);
  });

  it('refuses a short key', () => {
    expect(() => pseudonymiser(randomBytes(8))).toThrow(/at least 32 bytes/);
  });
});
