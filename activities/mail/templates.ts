// Email templates in text and HTML: a row in email_templates (ops edit it through the API, each save
// a new version) wins over the built-in default of the same key (db/emailTemplates.ts). The
// placeholder language is db/templateText.ts.
import type { Knex } from 'knex';
import { builtInTemplates, type EmailTemplate } from '../../db/emailTemplates';
import { findTemplates } from '../../db/queries/templates';
import { escapeHtml, renderEmail } from '../../db/templateText';

export type { EmailTemplate };
export { renderEmail };

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
    if (row) return { key: row.key, kind: row.kind, version: row.version, subject: row.subject, text: row.text_body, html: row.html_body };
    const fallback = builtInTemplates.find((t) => t.key === key && t.kind === kind);
    if (fallback) return fallback;
  }
  throw new Error(`no email template among ${wanted.join(', ')}`);
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
