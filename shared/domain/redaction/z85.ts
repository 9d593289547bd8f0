/**
 * Z85 (ZeroMQ RFC 32): four bytes as five characters, none of them a quote or a backslash, so the
 * bundled word lists fit in a plain string literal at 5/4 of their size instead of base64's 4/3.
 * Input whose length is not a multiple of four is padded with zero bytes; the caller keeps the true
 * length.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

export function z85Encode(bytes: Uint8Array): string {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  let out = '';
  for (let at = 0; at < padded.length; at += 4) {
    let value = view.getUint32(at);
    let chunk = '';
    for (let i = 0; i < 5; i++) {
      chunk = (ALPHABET[value % 85] ?? '') + chunk;
      value = Math.floor(value / 85);
    }
    out += chunk;
  }
  return out;
}

export function z85Decode(text: string): Uint8Array {
  const digit = new Map<string, number>();
  for (let i = 0; i < ALPHABET.length; i++) digit.set(ALPHABET.charAt(i), i);
  const out = new Uint8Array((text.length / 5) * 4);
  const view = new DataView(out.buffer);
  for (let at = 0, to = 0; at < text.length; at += 5, to += 4) {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (digit.get(text[at + i] ?? '') ?? 0);
    view.setUint32(to, value);
  }
  return out;
}
