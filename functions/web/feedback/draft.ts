import { seal, unseal, type SessionKeys } from '../session';

/** The answers picked so far, by question id: the chosen answer ids and any words typed. */
export type FeedbackDraft = Readonly<
  Record<string, { readonly choices: readonly string[]; readonly words?: string }>
>;

/** `__Secure-`: the browser keeps it only when it was set over HTTPS with `Secure`. */
export const DRAFT_COOKIE = '__Secure-clw-feedback';
/** An hour is plenty for six questions, and the answers do not outlive a forgotten tab for long. */
const DRAFT_SECONDS = 3600;

const purpose = (token: string) => `${DRAFT_COOKIE}/${token}`;
const cookiePath = (token: string) => `/give-feedback/${token}`;

/**
 * The draft cookie's `Set-Cookie`: sealed (AES-GCM) with this link's token as additional data, so
 * a draft from one link is nothing to another; sent back only to this link's pages (its Path);
 * gone after an hour or when the link expires, whichever is first.
 */
export function draftCookie(
  keys: SessionKeys,
  token: string,
  draft: FeedbackDraft,
  now: Date,
  linkExpiresAt: string,
): string {
  const untilExpiry = Math.floor((Date.parse(linkExpiresAt) - now.getTime()) / 1000);
  const maxAge = Math.max(0, Math.min(DRAFT_SECONDS, untilExpiry));
  const value = seal(keys.encryption, purpose(token), draft);
  return `${DRAFT_COOKIE}=${value}; Max-Age=${maxAge}; Path=${cookiePath(token)}; HttpOnly; Secure; SameSite=Lax`;
}

export function clearedDraftCookie(token: string): string {
  return `${DRAFT_COOKIE}=; Max-Age=0; Path=${cookiePath(token)}; HttpOnly; Secure; SameSite=Lax`;
}

/** The draft this link's cookie holds; empty when there is none or it was not sealed for this link. */
export function readCookieDraft(
  keys: SessionKeys,
  token: string,
  cookies: ReadonlyMap<string, string>,
): FeedbackDraft {
  const text = cookies.get(DRAFT_COOKIE);
  if (!text) return {};
  const value = unseal(keys.encryption, purpose(token), text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const draft: Record<string, { choices: string[]; words?: string }> = {};
  for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { choices, words } = entry as Record<string, unknown>;
    if (!Array.isArray(choices) || !choices.every((c): c is string => typeof c === 'string')) continue;
    draft[id] = { choices, ...(typeof words === 'string' ? { words } : {}) };
  }
  return draft;
}
