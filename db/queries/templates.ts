// Ops-editable email templates (overriding the built-in ones of activities/mail/templates.ts).
import type { Knex } from 'knex';
import type { EmailTemplate } from '../emailTemplates';

export interface TemplateRow {
  key: string;
  kind: EmailTemplate['kind'];
  product_interest: string | null;
  subject: string;
  text_body: string;
  html_body: string;
}

export async function findTemplates(db: Knex, keys: string[]): Promise<TemplateRow[]> {
  if (keys.length === 0) return [];
  return (await db('email_templates').whereIn('key', keys)) as TemplateRow[];
}

/** The auto-response written for a product interest (case-insensitive), if ops wrote one. */
export async function autoResponseKeyFor(db: Knex, productInterest: string): Promise<string | undefined> {
  const row = (await db('email_templates')
    .where({ kind: 'auto_response' })
    .whereRaw('lower(product_interest) = lower(?)', [productInterest])
    .orderBy('key')
    .first('key')) as { key: string } | undefined;
  return row?.key;
}
