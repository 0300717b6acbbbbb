// /v1/email-templates (ops, admin): read, edit (a new version each time) and preview the emails the
// journeys send. A preview renders the stored template, or the draft parts sent, with sample data.
import { z } from 'zod';
import { templateKinds } from '../../db/emailTemplates';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import {
  findTemplate,
  listTemplates,
  placeholdersOf,
  previewTemplate,
  sampleDataSchema,
  saveTemplate,
  templateKeySchema,
  templateTextSchema,
  type Template,
} from '../emailTemplates';
import { errors, timestamp, type App } from '../schemas';
import { expectedVersionOf, expectedVersionSchema, tagVersion } from '../versioning';

const ROLES = ['ops', 'admin'] as const;

const params = z.strictObject({ key: templateKeySchema });

const summarySchema = z.object({
  key: z.string(),
  kind: z.enum(templateKinds),
  productInterest: z.string().nullable().describe('for auto-responses: the product interest this one answers'),
  subject: z.string(),
  version: z.number().int().describe('0: as seeded or built in'),
  savedBy: z.string().nullable(),
  savedAt: timestamp.nullable(),
});
const templateSchema = summarySchema.extend({
  text: z.string(),
  html: z.string(),
  placeholders: z.array(z.object({ name: z.string(), description: z.string(), sample: z.string() })).describe('what this template may use'),
  history: z.array(z.object({ version: z.number().int(), savedBy: z.string().nullable(), savedAt: timestamp })).describe('every saved version, newest first'),
});
const previewSchema = z.object({ subject: z.string(), text: z.string(), html: z.string(), data: z.record(z.string(), z.string()).describe('the values used') });

const summary = (t: Template) => ({
  key: t.key,
  kind: t.kind,
  productInterest: t.productInterest,
  subject: t.subject,
  version: t.version,
  savedBy: t.savedBy,
  savedAt: t.savedAt?.toISOString() ?? null,
});

export function emailTemplateRoutes(app: App, deps: ApiDeps): void {
  const answer = async (key: string) => {
    const t = await findTemplate(deps.db, key);
    return {
      ...summary(t),
      text: t.text,
      html: t.html,
      placeholders: [...placeholdersOf(t)],
      history: t.history.map((h) => ({ version: h.version, savedBy: h.saved_by, savedAt: h.saved_at.toISOString() })),
    };
  };

  app.get(
    '/v1/email-templates',
    {
      config: { roles: ROLES },
      schema: { tags: ['email templates'], summary: 'Every email template', response: { 200: z.object({ items: z.array(summarySchema) }), ...errors(403) } },
    },
    async () => ({ items: (await listTemplates(deps.db)).map(summary) }),
  );

  app.get(
    '/v1/email-templates/:key',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['email templates'],
        summary: 'One template with its placeholders and history',
        params,
        response: { 200: templateSchema, ...errors(400, 403, 404) },
      },
    },
    async (request, reply) => {
      const body = await answer(request.params.key);
      tagVersion(reply, body.version);
      return body;
    },
  );

  app.put(
    '/v1/email-templates/:key',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['email templates'],
        summary: 'Save a new version of a template; the next email of its kind uses it',
        description:
          'Text identical to the current version changes nothing. A placeholder the template may not use, or a broken one, is 422 invalid_template naming the part, with the placeholders it may use. ' +
          'With expectedVersion (or If-Match) no longer current: 409 stale_version. Emails already queued keep the text they were rendered with.',
        params,
        body: templateTextSchema.extend({ expectedVersion: expectedVersionSchema }),
        response: { 200: templateSchema, ...errors(400, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { expectedVersion, ...next } = request.body;
      await saveTemplate(deps.db, request.params.key, next, expectedVersionOf(request, expectedVersion), userOf(request).id);
      const body = await answer(request.params.key);
      tagVersion(reply, body.version);
      return body;
    },
  );

  app.post(
    '/v1/email-templates/:key/preview',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['email templates'],
        summary: 'Render the template, or the draft parts sent, with sample data',
        description:
          'Placeholders without a value in data show their sample. Unknown or broken placeholders, and data for a placeholder the template lacks, are 422 invalid_template.',
        params,
        body: templateTextSchema.partial().extend({ data: sampleDataSchema.optional() }),
        response: { 200: previewSchema, ...errors(400, 403, 404, 422) },
      },
    },
    async (request) => {
      const { data, ...draft } = request.body;
      return previewTemplate(deps.db, request.params.key, draft, data ?? {});
    },
  );
}
