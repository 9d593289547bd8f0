import { Busboy } from '@fastify/busboy';

/**
 * The largest file a form takes, a little over the API's 5 MB import limit: a larger file stops
 * being read there, and what was read is still over the API's limit, so the API refuses it whole
 * (never part of a file).
 */
const MAX_FILE_BYTES = 6 * 1024 * 1024;

/**
 * The fields of a `multipart/form-data` body (a form with a file input), each file as its text,
 * in one list like a URL-encoded form's. Undefined when the body is not a well-formed form.
 */
export function multipartForm(body: Buffer, contentType: string): Promise<URLSearchParams | undefined> {
  return new Promise((resolve) => {
    const form = new URLSearchParams();
    const files: Promise<void>[] = [];
    let parser;
    try {
      parser = Busboy({
        headers: { 'content-type': contentType },
        limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 100, fieldSize: 64 * 1024 },
      });
    } catch {
      resolve(undefined);
      return;
    }
    parser.on('field', (name, value) => {
      form.append(name, value);
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      files.push(
        new Promise((done) => {
          stream.on('end', () => {
            form.append(name, Buffer.concat(chunks).toString('utf8'));
            done();
          });
        }),
      );
    });
    parser.on('finish', () => {
      void Promise.all(files).then(() => {
        resolve(form);
      });
    });
    parser.on('error', () => {
      resolve(undefined);
    });
    parser.end(body);
  });
}
