import type { Role } from '../../shared/domain/roles';
import type { SiteId } from '../../shared/domain/sites';
import type { LocalApi } from '../../local/stack';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  /** The raw body: a file when the answer is not JSON (a pack preview). */
  readonly bytes: Uint8Array;
}

/** A small HTTP client for the local API, with demo tokens from the local issuer. */
export function client(api: LocalApi) {
  const tokens = new Map<string, string>();
  const token = async (role: Role, site: SiteId | undefined, user: string) => {
    const key = `${role}/${site ?? ''}/${user}`;
    const existing = tokens.get(key);
    if (existing) return existing;
    const fresh = await api.issuer.sign({ role, site, user });
    tokens.set(key, fresh);
    return fresh;
  };
  return {
    token,
    async request(
      method: string,
      path: string,
      options: {
        as?: { role: Role; site?: SiteId; user?: string };
        token?: string;
        body?: unknown;
        rawBody?: string;
        headers?: Record<string, string>;
      } = {},
    ): Promise<Answer> {
      const headers: Record<string, string> = { ...options.headers };
      const bearer =
        options.token ??
        (options.as ? await token(options.as.role, options.as.site, options.as.user ?? 'u1') : undefined);
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        // A 302 (pack downloads) is answered as it is, so a test can read its Location.
        redirect: 'manual',
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const text = new TextDecoder().decode(bytes);
      const json = /json/.test(response.headers.get('content-type') ?? 'json');
      return {
        status: response.status,
        headers: response.headers,
        body: text && json ? (JSON.parse(text) as Record<string, unknown>) : {},
        bytes,
      };
    },
  };
}

/** A complete, valid check-in. */
export function pulseBody(score = 4, comment?: string) {
  return {
    questionnaireVersion: 1 as const,
    answers: {
      supported: score,
      supervision: score,
      training: score,
      caseload: score,
      safety: score,
      emotionalLoad: score,
      remitClarity: score,
      intentionToStay: score,
    },
    ...(comment ? { comment } : {}),
  };
}
