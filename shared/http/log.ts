/**
 * Structured logs. The fields are a closed set on purpose: no body, no claim, no free text and no
 * identifier of a person can be logged, because there is no field to put it in.
 */
export interface LogFields {
  readonly operationId?: string;
  readonly status?: number;
  readonly durationMs?: number;
  readonly requestId?: string;
  readonly errorName?: string;
  readonly replayed?: boolean;
}

export function logRequest(level: 'info' | 'error', message: string, fields: LogFields): void {
  // LOG_LEVEL=error keeps only failures; silent (tests) keeps nothing.
  const threshold = process.env.LOG_LEVEL;
  if (threshold === 'silent' || (threshold === 'error' && level === 'info')) return;
  const line = JSON.stringify({ level, message, ...fields, time: new Date().toISOString() });
  if (level === 'error') console.error(line);
  else process.stdout.write(`${line}\n`);
}
