import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SiteId } from '../domain/sites';

/** Seals a participant's reference for one site and opens it again for that site only. */
export interface ReferenceVault {
  seal(site: SiteId, reference: string): string;
  /** Throws if `sealed` was not sealed for `site`, or was altered. */
  open(site: SiteId, sealed: string): string;
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals provider references with AES-256-GCM, one key per site, so the follow-up list can show a
 * site its own references again and nobody else can read them, not even another site's staff with
 * the same function. Each site's key is derived from the pseudonymisation key by HKDF-SHA256 with the
 * info `participant-ref:<site>` (no salt: the input is already a uniformly random secret); the site
 * is also the additional authenticated data, so a sealed reference copied to another site's summary
 * fails to open. A fresh random 12-byte IV per seal: the same reference never seals the same way twice.
 *
 * @example participantRefCipher(key).seal('london', 'CLW-0042') // 'v1.<iv>.<ciphertext>.<tag>'
 */
export function participantRefCipher(key: Buffer): ReferenceVault {
  if (key.byteLength < 32) throw new Error('The pseudonymisation key must be at least 32 bytes.');
  const siteKeys = new Map<SiteId, Buffer>();
  const siteKey = (site: SiteId): Buffer => {
    let derived = siteKeys.get(site);
    if (!derived) {
      derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `participant-ref:${site}`, 32));
      siteKeys.set(site, derived);
    }
    return derived;
  };
  return {
    seal(site, reference) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', siteKey(site), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(site, 'utf8'));
      const data = Buffer.concat([cipher.update(reference, 'utf8'), cipher.final()]);
      return [FORMAT, iv, data, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(site, sealed) {
      const [format, iv, data, tag] = sealed.split('.');
      if (format !== FORMAT || iv === undefined || data === undefined || tag === undefined) {
        throw new Error('Not a sealed participant reference.');
      }
      const decipher = createDecipheriv('aes-256-gcm', siteKey(site), Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(site, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      // final() throws when the tag does not match: wrong site, wrong key or altered data.
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
