/**
 * A CSV file of records, as a person would export it from a spreadsheet: nested fields become dotted
 * columns (`sessions.booked`), true/false become yes/no, lists are joined with `;`.
 */
export function csvOf(records: readonly object[]): string {
  const rows = records.map((record) => flatten(record));
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: string | undefined) =>
    value !== undefined && /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : (value ?? '');
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\n');
}

function flatten(value: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(v)) out[name] = v.map(String).join(';');
    else if (v !== null && typeof v === 'object') Object.assign(out, flatten(v as object, name));
    else if (typeof v === 'boolean') out[name] = v ? 'yes' : 'no';
    else if (v !== undefined) out[name] = String(v as string | number);
  }
  return out;
}
