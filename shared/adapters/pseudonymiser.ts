import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A keyed pseudonym (HMAC-SHA256) of an identifier. Stable for the same key, so a person's check-ins
 * can be told apart from another's, but without the key it cannot be reversed or brute-forced the way
 * a plain hash of a short identifier can.
 *
 * @example pseudonymiser(key)('staff', 'a1b2-...') // 'q3J0...' (22 characters)
 */
export function pseudonymiser(key: Buffer): (namespace: string, value: string) => string {
  if (key.byteLength < 32) throw new Error('The pseudonymisation key must be at least 32 bytes.');
  return (namespace, value) =>
    createHmac('sha256', key).update(`${namespace}\u0000${value}`).digest('base64url').slice(0, 22);
}

/** Loads the key: from Secrets Manager in AWS, from a file the local stack made on a laptop. */
export async function loadPseudonymKey(source: {
  region: string;
  secretArn?: string | undefined;
  keyFile?: string | undefined;
}): Promise<Buffer> {
  if (source.keyFile) return Buffer.from((await readFile(source.keyFile, 'utf8')).trim(), 'base64');
  const client = new SecretsManagerClient({ region: source.region });
  const secret = await client.send(new GetSecretValueCommand({ SecretId: source.secretArn }));
  if (!secret.SecretString) throw new Error('The pseudonymisation secret is empty.');
  return Buffer.from(secret.SecretString, 'utf8');
}
