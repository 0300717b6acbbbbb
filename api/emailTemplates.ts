// Email templates edited by ops: subject, text and HTML body with the placeholders of their kind
// (db/emailTemplates.ts). Each save is a new version kept in the history; emails already in the
// outbox keep the text they were rendered with, the next email of the kind uses the new one.
import { z } from 'zod';
import type { Db } from '../db/connection';
import { builtInTemplates, placeholdersByKind, type Placeholder } from '../db/emailTemplates';
import { allTemplates, lockTemplate, saveTemplateVersion, templateHistory, type StoredTemplate, type TemplateVersionRow } from '../db/queries/templates';
import { placeholderProblems, renderEmail, type TemplateText } from '../db/templateText';
import { text, textBounds } from '../machines/schema/bounds';
import { ApiError, notFound } from './errors';
import { staleVersion } from './versioning';

export const templateKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits and _ . - only');

export const templateTextSchema = z.strictObject({
  subject: text(textBounds.emailSubject).describe('one line; {{name}} placeholders'),
  text: text(textBounds.emailBody).describe('the plain-text body; {{name}} placeholders'),
  html: text(textBounds.emailBody).describe('the HTML body; {{name}} is escaped, {{{name}}} inserted as is (for pre-rendered HTML such as linesHtml)'),
});

export const sampleDataSchema = z
  .record(z.string(), text(textBounds.templateSample))
  .describe("values by placeholder name; the placeholders' samples fill the rest");

export interface Template extends TemplateText {
  key: string;
  kind: StoredTemplate['kind'];
  productInterest: string | null;
  version: number;
  savedBy: string | null;
  savedAt: Date | null;
}

const fromRow = (row: StoredTemplate): Template => ({
  key: row.key,
  kind: row.kind,
  productInterest: row.product_interest,
  subject: row.subject,
  text: row.text_body,
  html: row.html_body,
  version: row.version,
  savedBy: row.saved_by,
  savedAt: row.version > 0 ? row.updated_at : null,
});

const builtIn = (key: string) => builtInTemplates.find((t) => t.key === key);

/** Every template: the stored ones, and the built-in defaults no row overrides yet. */
export async function listTemplates(db: Db): Promise<Template[]> {
  const rows = (await allTemplates(db)).map(fromRow);
  const missing = builtInTemplates
    .filter((t) => !rows.some((r) => r.key === t.key))
    .map((t) => ({ ...t, productInterest: null, version: 0, savedBy: null, savedAt: null }));
  return [...rows, ...missing].sort((a, b) => a.key.localeCompare(b.key));
}

export async function findTemplate(db: Db, key: string): Promise<Template & { history: TemplateVersionRow[] }> {
  const template = (await listTemplates(db)).find((t) => t.key === key);
  if (!template) throw notFound(`email template ${key}`);
  return { ...template, history: await templateHistory(db, key) };
}

export const placeholdersOf = (template: Pick<Template, 'kind'>): readonly Placeholder[] => placeholdersByKind[template.kind];

/** 422 naming each part whose placeholders are unknown or broken, with the ones this template may use. */
function checkPlaceholders(template: Pick<Template, 'kind'>, parts: Partial<TemplateText>): void {
  const allowed = placeholdersOf(template).map((p) => p.name);
  const issues = (Object.entries(parts) as [keyof TemplateText, string | undefined][]).flatMap(([part, source]) =>
    source === undefined ? [] : placeholderProblems(source, allowed, part).map((message) => ({ path: `body.${part}`, message })),
  );
  if (issues.length === 0) return;
  const may = allowed.map((name) => `{{${name}}}`).join(', ');
  throw new ApiError(422, 'invalid_template', `${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}. This template may use ${may}`, {
    issues,
    placeholders: allowed,
  });
}

/** Saves a new version; identical text changes nothing, an edit of an older version is 409. */
export async function saveTemplate(db: Db, key: string, next: TemplateText, expectedVersion: number | undefined, userId: string): Promise<Template> {
  const fallback = builtIn(key);
  return db.transaction(async (trx) => {
    const row = await lockTemplate(
      trx,
      fallback && { key, kind: fallback.kind, subject: fallback.subject, text_body: fallback.text, html_body: fallback.html },
      key,
    );
    if (!row) throw notFound(`email template ${key}`);
    const current = fromRow(row);
    if (current.subject === next.subject && current.text === next.text && current.html === next.html) return current;
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw staleVersion(`email template ${key}`, expectedVersion, current.version);
    checkPlaceholders(current, next);
    const [{ now }] = (await trx.select(trx.raw('now() as now'))) as [{ now: Date }];
    return fromRow(await saveTemplateVersion(trx, row, { subject: next.subject, text_body: next.text, html_body: next.html }, userId, now));
  });
}

/** The template (or the draft parts given) rendered with the sample data, completed from the placeholders' samples. */
export async function previewTemplate(
  db: Db,
  key: string,
  given: { [part in keyof TemplateText]?: string | undefined },
  data: Record<string, string>,
): Promise<TemplateText & { data: Record<string, string> }> {
  const template = await findTemplate(db, key);
  const draft = { subject: given.subject ?? template.subject, text: given.text ?? template.text, html: given.html ?? template.html };
  checkPlaceholders(template, draft);
  const placeholders = placeholdersOf(template);
  const unknown = Object.keys(data).filter((name) => !placeholders.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new ApiError(
      422,
      'invalid_template',
      `no placeholder ${unknown.join(', ')} in this template; it may use ${placeholders.map((p) => p.name).join(', ')}`,
      {
        issues: unknown.map((name) => ({ path: `body.data.${name}`, message: 'not a placeholder of this template' })),
        placeholders: placeholders.map((p) => p.name),
      },
    );
  }
  const values = { ...Object.fromEntries(placeholders.map((p) => [p.name, p.sample])), ...data };
  return { ...renderEmail(draft, values), data: values };
}
