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
  version: number;
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

export interface StoredTemplate extends TemplateRow {
  version: number;
  saved_by: string | null;
  updated_at: Date;
}

export interface TemplateVersionRow {
  version: number;
  saved_by: string | null;
  saved_at: Date;
}

export async function allTemplates(db: Knex): Promise<StoredTemplate[]> {
  return (await db('email_templates').orderBy('key')) as StoredTemplate[];
}

/** The template's row under its lock, written first from the built-in default when it has none. */
export async function lockTemplate(
  trx: Knex.Transaction,
  fallback: Omit<TemplateRow, 'product_interest' | 'version'> | undefined,
  key: string,
): Promise<StoredTemplate | undefined> {
  if (fallback) {
    await trx('email_templates')
      .insert({ key, kind: fallback.kind, subject: fallback.subject, text_body: fallback.text_body, html_body: fallback.html_body })
      .onConflict('key')
      .ignore();
  }
  return (await trx('email_templates').where({ key }).forUpdate().first()) as StoredTemplate | undefined;
}

export async function templateHistory(db: Knex, key: string): Promise<TemplateVersionRow[]> {
  return (await db('email_template_versions').where({ key }).orderBy('version', 'desc').select('version', 'saved_by', 'saved_at')) as TemplateVersionRow[];
}

/** Writes the next version as current; the one it replaces goes to the history first when it is not there yet (the seeded one). */
export async function saveTemplateVersion(
  trx: Knex.Transaction,
  current: StoredTemplate,
  next: { subject: string; text_body: string; html_body: string },
  savedBy: string,
  now: Date,
): Promise<StoredTemplate> {
  const { key } = current;
  await trx('email_template_versions')
    .insert({
      key,
      version: current.version,
      subject: current.subject,
      text_body: current.text_body,
      html_body: current.html_body,
      saved_by: current.saved_by,
      saved_at: current.updated_at,
    })
    .onConflict(['key', 'version'])
    .ignore();
  const version = current.version + 1;
  await trx('email_template_versions').insert({ key, version, ...next, saved_by: savedBy, saved_at: now });
  const [row] = (await trx('email_templates')
    .where({ key })
    .update({ ...next, version, saved_by: savedBy, updated_at: now })
    .returning('*')) as StoredTemplate[];
  return row!;
}
