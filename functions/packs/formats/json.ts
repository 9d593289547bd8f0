import canonicalize from 'canonicalize';
import type { Pack } from '../pack-model';
import { numberTables, validPack } from './common';

/**
 * The pack as canonical JSON (RFC 8785: keys sorted, no whitespace, numbers in their shortest
 * form), so the same pack always gives the same bytes and the same content hash. It holds every
 * published figure with its unit, symbol and the `totalOf` links an auditor needs to re-add each
 * table. The pack is checked against its schema first.
 */
export function renderPackJson(pack: Pack): Uint8Array {
  const valid = validPack(pack);
  numberTables(valid);
  const text = canonicalize(valid);
  if (text === undefined) throw new Error('The pack cannot be written as JSON');
  return new TextEncoder().encode(text);
}
