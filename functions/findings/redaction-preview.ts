/**
 * `POST /redactions`: what redaction would remove from a text, so a page can show "this is what will
 * be saved" before saving. Nothing is stored and nothing of the text is logged: the answer is
 * computed and returned, and the request log has only its closed set of fields.
 */
import * as z from 'zod';
import { MAX_NAMES, SUMMARY_MAX_LENGTH } from './interviews';
import { type RedactionKind, PLACEHOLDER, redactFreeText } from '../../shared/domain/redaction';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';

const KINDS = Object.keys(PLACEHOLDER) as RedactionKind[];

export const redactionPreviewBodySchema = z
  .object({
    text: z
      .string()
      .min(1)
      .max(SUMMARY_MAX_LENGTH)
      .regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)
      .meta({ description: 'The free text to redact, as long as an interview summary at most.' }),
    names: z
      .array(z.string().trim().min(2).max(80).regex(WELL_FORMED_TEXT, NOT_WELL_FORMED))
      .max(MAX_NAMES)
      .optional()
      .meta({ description: "People's names to remove wherever they appear, as an evaluator lists them." }),
  })
  .strict()
  .meta({ id: 'RedactionPreviewRequest' });

export const redactionPreviewSchema = z
  .object({
    text: z.string().meta({ description: 'The text as it would be stored.' }),
    removed: z
      .array(z.object({ kind: z.enum(KINDS), count: z.int().min(1) }).strict())
      .max(KINDS.length)
      .meta({
        description: 'Each kind removed and how many times, in a fixed order; never the removed text.',
      }),
  })
  .strict()
  .meta({ id: 'RedactionPreview' });

export type RedactionPreview = z.infer<typeof redactionPreviewSchema>;

/** The text as it would be stored, and the kinds and counts removed. */
export function previewRedaction(body: z.infer<typeof redactionPreviewBodySchema>): RedactionPreview {
  const { text, removed } = redactFreeText(body.text, body.names ? { names: body.names } : {});
  return {
    text,
    removed: KINDS.flatMap((kind) => {
      const count = removed[kind];
      return count ? [{ kind, count }] : [];
    }),
  };
}
