// Email templates in text and HTML: a row in email_templates (ops-editable, seeded by db/seed/demo)
// wins over the built-in default of the same key (db/emailTemplates.ts). Placeholders: {{name}} is escaped
// in HTML, {{{name}}} is inserted as is (for pre-rendered HTML such as line tables).
import type { Knex } from 'knex';
import { builtInTemplates, type EmailTemplate } from '../../db/emailTemplates';
import { findTemplates } from '../../db/queries/templates';

export type { EmailTemplate };

/** The dunning template for a level when the definition names none we know. */
export function dunningTemplateForLevel(level: number): string {
  return level <= 1 ? 'dunning_reminder' : level === 2 ? 'dunning_second' : 'dunning_final';
}

/** The first of `keys` of this kind found in email_templates, then among the built-ins. */
export async function loadTemplate(db: Knex, kind: EmailTemplate['kind'], keys: (string | null | undefined)[]): Promise<EmailTemplate> {
  const wanted = keys.filter((k): k is string => typeof k === 'string' && k.length > 0);
  const rows = await findTemplates(db, wanted);
  for (const key of wanted) {
    const row = rows.find((r) => r.key === key && r.kind === kind);
    if (row) return { key: row.key, kind: row.kind, subject: row.subject, text: row.text_body, html: row.html_body };
    const fallback = builtInTemplates.find((t) => t.key === key && t.kind === kind);
    if (fallback) return fallback;
  }
  throw new Error(`no email template among ${wanted.join(', ')}`);
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function fill(source: string, vars: Record<string, string>, html: boolean): string {
  return source
    .replace(/\{\{\{(\w+)\}\}\}/g, (_, name: string) => vars[name] ?? '')
    .replace(/\{\{(\w+)\}\}/g, (_, name: string) => (html ? escapeHtml(vars[name] ?? '') : (vars[name] ?? '')));
}

export function renderEmail(template: EmailTemplate, vars: Record<string, string>): { subject: string; text: string; html: string } {
  return {
    subject: fill(template.subject, vars, false).replace(/[\r\n]+/g, ' '),
    text: fill(template.text, vars, false),
    html: `<!doctype html><html><body>${fill(template.html, vars, true)}</body></html>`,
  };
}

export interface RenderedLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: string;
  discountPct: string;
  net: string;
}

/** The document lines as a text block and an HTML table (values escaped). */
export function renderLines(lines: RenderedLine[], currency: string): { linesText: string; linesHtml: string } {
  const linesText = lines
    .map(
      (l) =>
        `${l.quantity} x ${l.name} (${l.sku}) at ${l.unitPrice} ${currency}${Number(l.discountPct) > 0 ? `, -${Number(l.discountPct)}%` : ''}: ${l.net} ${currency}`,
    )
    .join('\n');
  const rows = lines
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.sku)}</td><td>${escapeHtml(l.name)}</td><td>${l.quantity}</td><td>${escapeHtml(l.unitPrice)}</td><td>${Number(l.discountPct)}%</td><td>${escapeHtml(l.net)}</td></tr>`,
    )
    .join('');
  const linesHtml = `<table><thead><tr><th>SKU</th><th>Item</th><th>Qty</th><th>Unit (${escapeHtml(currency)})</th><th>Discount</th><th>Net (${escapeHtml(currency)})</th></tr></thead><tbody>${rows}</tbody></table>`;
  return { linesText, linesHtml };
}
