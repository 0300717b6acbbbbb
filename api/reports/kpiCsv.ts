// The KPI report as CSV, for spreadsheets: one row per figure, with the same values as the JSON.
// Columns: group (`all`, or `owner:<id>`, `team:<name>`, `month:<yyyy-mm>`), figure (a dotted
// path such as `pipeline.byStage.opportunity.weighted`), value, currency (for money).
import type { GroupBy } from './kpis';
import type { KpiFigures, KpiReport } from './kpiSchema';

type Row = [group: string, figure: string, value: string, currency: string];

function rowsOf(group: string, value: unknown, path: string, out: Row[]): void {
  if (value === null || typeof value !== 'object') {
    out.push([group, path, value === null || value === undefined ? '' : String(value), '']);
    return;
  }
  if ('amount' in value && 'currency' in value) {
    const money = value as { amount: string; currency: string };
    out.push([group, path, money.amount, money.currency]);
    return;
  }
  if (Array.isArray(value)) {
    // Items are named by their stage, or by the step they measure (`lead-opportunity`).
    for (const item of value as Record<string, unknown>[]) {
      const name = 'stage' in item ? String(item.stage) : `${String(item.from)}-${String(item.to)}`;
      for (const [key, v] of Object.entries(item)) {
        if (key !== 'stage' && key !== 'from' && key !== 'to') rowsOf(group, v, `${path}.${name}.${key}`, out);
      }
    }
    return;
  }
  for (const [key, v] of Object.entries(value)) rowsOf(group, v, path ? `${path}.${key}` : key, out);
}

/** Quoted per RFC 4180; a text cell that a spreadsheet would run as a formula is made inert. */
function cell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function kpiCsv(report: KpiReport, groupBy: GroupBy | undefined): string {
  const rows: Row[] = [];
  const { groups, ...all } = report;
  rowsOf('all', all satisfies KpiFigures, '', rows);
  for (const { group, label: _label, ...figures } of groups ?? []) rowsOf(`${groupBy}:${group ?? ''}`, figures, '', rows);
  return [['group', 'figure', 'value', 'currency'], ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
