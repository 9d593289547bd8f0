import type * as z from 'zod';
import { ValidationError } from './errors';

/**
 * The port that signs paging cursors, so a caller can only hand back a position this API gave out:
 * an unsigned cursor could name any day or key and send a request walking far outside its period.
 */
export interface CursorSigner {
  /** A signature of `text`, URL-safe. */
  sign(text: string): string;
  /** Whether `signature` is this signer's signature of `text` (compared in constant time). */
  verify(text: string, signature: string): boolean;
}

/** The characters a signed cursor is made of: two base64url parts joined by a dot. */
export const SIGNED_CURSOR = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * A page's position as an opaque, signed cursor: `<base64url JSON>.<signature>`.
 * @example encodeCursor(signer, { day: '2026-01-31' }) // 'eyJkYXkiOiIyMDI2LTAxLTMxIn0.k3V...'
 */
export function encodeCursor(signer: CursorSigner, position: unknown): string {
  const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
  return `${payload}.${signer.sign(payload)}`;
}

/**
 * The position in a cursor from `encodeCursor`, or a 400 at `pointer` when the cursor is not one this
 * API signed, or its content is not a position `schema` accepts.
 */
export function decodeCursor<T extends z.ZodType>(
  signer: CursorSigner,
  schema: T,
  raw: string,
  pointer = '/query/cursor',
): z.output<T> {
  const refused = new ValidationError([{ pointer, detail: 'is not a cursor this API gave out' }]);
  const [payload, signature, ...rest] = raw.split('.');
  if (payload === undefined || signature === undefined || rest.length > 0) throw refused;
  if (!signer.verify(payload, signature)) throw refused;
  try {
    return schema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw refused;
  }
}
