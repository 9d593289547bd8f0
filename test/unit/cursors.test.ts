import { createHmac, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { cursorSigner } from '../../shared/adapters/cursor-signer';
import { decodeCursor, encodeCursor } from '../../shared/domain/cursors';
import { ValidationError } from '../../shared/domain/errors';

const key = randomBytes(32);
const positionSchema = z.object({ day: z.iso.date() }).strict();

describe('signed cursors', () => {
  it('reads back the position it signed', () => {
    const signer = cursorSigner(key);
    expect(decodeCursor(signer, positionSchema, encodeCursor(signer, { day: '2026-01-31' }))).toEqual({
      day: '2026-01-31',
    });
  });

  it('refuses a cursor signed with another key', () => {
    const cursor = encodeCursor(cursorSigner(randomBytes(32)), { day: '2026-01-31' });
    expect(() => decodeCursor(cursorSigner(key), positionSchema, cursor)).toThrow(ValidationError);
  });

  it('refuses a cursor whose position was changed, or whose signature was cut short', () => {
    const signer = cursorSigner(key);
    const [, signature = ''] = encodeCursor(signer, { day: '2026-01-31' }).split('.');
    const moved = `${Buffer.from(JSON.stringify({ day: '2999-01-01' })).toString('base64url')}.${signature}`;
    expect(() => decodeCursor(signer, positionSchema, moved)).toThrow(ValidationError);
    const cut = encodeCursor(signer, { day: '2026-01-31' }).slice(0, -2);
    expect(() => decodeCursor(signer, positionSchema, cut)).toThrow(ValidationError);
  });

  it('signs with a key derived for cursors, not with the pseudonymisation key itself', () => {
    const text = 'eyJkYXkiOiIyMDI2LTAxLTMxIn0';
    expect(cursorSigner(key).sign(text)).not.toBe(createHmac('sha256', key).update(text).digest('base64url'));
    expect(cursorSigner(key).sign(text)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
