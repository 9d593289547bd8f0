import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import type { Principal } from '../../shared/domain/roles';
import { type SiteId, siteIdSchema } from '../../shared/domain/sites';

/**
 * What an interview attachment may be: the written record of an interview or focus group (notes,
 * a transcript, a summary), as PDF, plain text or Word. Recordings and images are left out on
 * purpose: a voice or a face identifies a person and no redaction can be applied to them, and the
 * bucket keeps every version, so one uploaded by mistake could not be cleanly removed. Nothing
 * with active content (HTML, SVG, macro-enabled Office files) either.
 */
export const UPLOAD_CONTENT_TYPES = [
  'application/pdf',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;

/** 10 MiB: a long transcript as PDF or Word is well under 2 MiB; this leaves room for a scanned page or two. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** How long a presigned upload URL lasts: long enough to start an upload, too short to be passed around. */
export const UPLOAD_URL_EXPIRY_SECONDS = 300;

export const uploadBodySchema = z
  .object({
    contentType: z.enum(UPLOAD_CONTENT_TYPES),
    bytes: z.int().min(1).max(MAX_UPLOAD_BYTES).meta({ description: 'The exact size of the file.' }),
    site: siteIdSchema.meta({ description: 'The site whose interview the file belongs to.' }),
  })
  .strict()
  .meta({ id: 'UploadRequest' });

export type UploadBody = z.infer<typeof uploadBodySchema>;

export const uploadTicketSchema = z
  .object({
    uploadId: z.uuid().meta({ description: 'Refer to the file by this in an interview finding.' }),
    url: z.url().max(4096),
    method: z.literal('PUT'),
    headers: z
      .object({ 'content-type': z.string().max(100), 'content-length': z.string().max(10) })
      .strict()
      .meta({ description: 'Send exactly these headers: they are part of the signature.' }),
    expiresAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'UploadTicket' });

export type UploadTicket = z.infer<typeof uploadTicketSchema>;

/** An object in the uploads bucket: what a presigned URL allows to be put there. */
export interface UploadObject {
  readonly key: string;
  readonly contentType: string;
  readonly bytes: number;
}

/** What was found in the bucket for an upload. */
export interface FoundUpload {
  readonly contentType: string | undefined;
  readonly bytes: number;
  /** The object's version, where the bucket keeps versions (S3 does; the local emulator does not). */
  readonly versionId?: string | undefined;
}

/** The port to the uploads bucket. */
export interface UploadStore {
  /** A URL its holder can PUT exactly this object to (type and size are signed) until it expires. */
  presignPut(object: UploadObject, expiresInSeconds: number): Promise<string>;
  /** The object at `key`, or `undefined` when nothing has been uploaded there. */
  find(key: string): Promise<FoundUpload | undefined>;
  /** The first `bytes` bytes of the object at `key` (fewer if it is shorter): a ranged read. */
  readStart(key: string, bytes: number): Promise<Uint8Array>;
  /** The malware scan's verdict tagged on the object (`GuardDutyMalwareScanStatus`), if any yet. */
  scanStatus(key: string): Promise<string | undefined>;
  /** Copies the object at `from` to `to`; answers the copy's version where the bucket keeps versions. */
  copy(from: string, to: string): Promise<{ versionId?: string | undefined }>;
  /** Removes the object at `key`: that version for good when `versionId` is given. Absent is fine. */
  remove(key: string, versionId?: string): Promise<void>;
}

/** Where an upload is recorded: only as an audit event, until an interview finding refers to it. */
export interface UploadAuditLog {
  recordUpload(event: AuditEvent): Promise<void>;
}

export interface UploadDeps {
  readonly uploads: Pick<UploadStore, 'presignPut'>;
  readonly uploadLog: UploadAuditLog;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * Where an upload lands: under `incoming/`, which the bucket expires after two days, until a finding
 * attaches it. Only the site and a generated id: a file name chosen by a user could carry a person's
 * name into keys, logs and access logs.
 * @example uploadKey('london', 'e3b0...') // 'incoming/london/e3b0...'
 */
export function uploadKey(site: SiteId, uploadId: string): string {
  return `${INCOMING_PREFIX}${site}/${uploadId}`;
}

/** The only prefix a finding may attach a file from: not `quarantine/`, nor anywhere else. */
export const INCOMING_PREFIX = 'incoming/';

/**
 * Where an attached file is kept, once checked: one object per finding, so erasing the finding
 * knows exactly what to remove.
 * @example attachmentKey('london', '5f1c...') // 'attachments/london/5f1c...'
 */
export function attachmentKey(site: SiteId, findingId: string): string {
  return `attachments/${site}/${findingId}`;
}

/** How much of a file is read to check its type: enough for a Word file's first zip entry names. */
export const SNIFF_BYTES = 4096;

/** GuardDuty Malware Protection for S3 tags each scanned object with this key... */
export const SCAN_STATUS_TAG = 'GuardDutyMalwareScanStatus';
/** ...and this value when it found nothing. */
export const NO_THREATS_FOUND = 'NO_THREATS_FOUND';

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];

/**
 * Whether a file's first bytes are what its declared type says, since the type itself is only what
 * the uploader claimed. PDF starts `%PDF-`; a Word file is a zip (local file header `PK\x03\x04`)
 * whose entries include `[Content_Types].xml`, which Word writes first; plain text is valid UTF-8 with
 * no NUL (checked over the bytes read; a character cut at the end of them is not an error).
 */
export function contentMatchesType(contentType: string, start: Uint8Array): boolean {
  const bytes = Buffer.from(start.buffer, start.byteOffset, start.byteLength);
  switch (contentType) {
    case 'application/pdf':
      return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return (
        ZIP_LOCAL_HEADER.every((byte, i) => bytes[i] === byte) &&
        bytes.includes(Buffer.from('[Content_Types].xml', 'latin1'))
      );
    case 'text/plain':
      if (bytes.includes(0)) return false;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
        return true;
      } catch {
        return false;
      }
    default:
      return false;
  }
}

/**
 * Hands out a short-lived presigned PUT for one interview attachment of the given type and size.
 * The audit event is written before the URL is returned: no URL is ever handed out unrecorded.
 */
export async function createUpload(
  deps: UploadDeps,
  principal: Principal,
  body: UploadBody,
): Promise<UploadTicket> {
  const uploadId = deps.newId();
  const at = deps.now();
  const url = await deps.uploads.presignPut(
    { key: uploadKey(body.site, uploadId), contentType: body.contentType, bytes: body.bytes },
    UPLOAD_URL_EXPIRY_SECONDS,
  );
  await deps.uploadLog.recordUpload({
    id: deps.newId(),
    at: at.toISOString(),
    actor: principal.actor,
    action: 'upload.create',
    subjectType: 'upload',
    subjectId: uploadId,
  });
  return {
    uploadId,
    url,
    method: 'PUT',
    headers: { 'content-type': body.contentType, 'content-length': String(body.bytes) },
    expiresAt: new Date(at.getTime() + UPLOAD_URL_EXPIRY_SECONDS * 1000).toISOString(),
  };
}
