import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { CursorSigner } from '../domain/cursors';

/**
 * Signs paging cursors with HMAC-SHA256 under a key of their own, derived from the pseudonymisation
 * key by HKDF-SHA256 with the info `paging-cursor` (no salt: the input is already a uniformly random
 * secret). A separate purpose label keeps a cursor signature from ever equalling a pseudonym or a
 * site's reference key, and the signing key from being either of them.
 */
export function cursorSigner(key: Buffer): CursorSigner {
  if (key.byteLength < 32) throw new Error('The pseudonymisation key must be at least 32 bytes.');
  const signingKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'paging-cursor', 32));
  const mac = (text: string) => createHmac('sha256', signingKey).update(text, 'utf8').digest();
  return {
    sign: (text) => mac(text).toString('base64url'),
    verify: (text, signature) => {
      const expected = mac(text);
      const given = Buffer.from(signature, 'base64url');
      return given.byteLength === expected.byteLength && timingSafeEqual(given, expected);
    },
  };
}
