// Process definitions for ops: drafts (a new version per draft), validation with paths, a diagram,
// and publishing. New journeys start on the latest published version; running ones keep theirs.
import { z } from 'zod';
import { defaultProcess, processDefinitionSchema, toMermaid, type ProcessDefinition } from '../../machines/index';
import { validateAllAtOnce } from '../../machines/schema/validationCauses';
import { userOf } from '../auth';
import { currentVersions, nextVersion, type DefinitionRow } from '../definitions';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../errors';
import { errors, iso, jsonValue, timestamp, type App } from '../schemas';

const ROLES = ['ops', 'admin'] as const;

const validationSchema = z.object({
  ok: z.boolean(),
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        causedBy: z.string().optional().describe('a knock-on: the path of the root error it follows from (fix that one first)'),
      }),
    )
    .describe('every error at once, root causes first'),
});
const summarySchema = z.object({
  key: z.string(),
  version: z.number().int(),
  status: z.enum(['draft', 'published']),
  title: z.string().nullable(),
  builtIn: z.boolean(),
  active: z.boolean().describe("the key's current version: new journeys routed to this key start on it"),
  createdBy: z.string().nullable(),
  createdAt: timestamp.nullable(),
  updatedAt: timestamp.nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: timestamp.nullable(),
});
const detailSchema = summarySchema.extend({ definition: z.record(z.string(), z.unknown()), validation: validationSchema, mermaid: z.string().nullable() });

const versionParams = z.strictObject({
  key: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9-]*$/, 'a key in kebab-case'),
  version: z.coerce.number().int().min(1).max(1_000_000),
});

function validation(definition: unknown): z.infer<typeof validationSchema> {
  const result = validateAllAtOnce(definition);
  return result.ok ? { ok: true, errors: [] } : { ok: false, errors: result.errors };
}

function mermaidOf(definition: ProcessDefinition, valid: boolean): string | null {
  if (!valid) return null;
  try {
    return toMermaid(definition);
  } catch {
    return null;
  }
}

/** The current version of each key (api/definitions.ts). */
type Current = Map<string, number>;

function summary(row: DefinitionRow, current: Current) {
  return {
    key: row.key,
    version: row.version,
    status: row.status,
    title: row.definition.title ?? null,
    builtIn: false,
    active: row.status === 'published' && current.get(row.key) === row.version,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    publishedBy: row.published_by,
    publishedAt: iso(row.published_at),
  };
}

function builtInSummary(current: Current) {
  return {
    key: defaultProcess.key,
    version: defaultProcess.version,
    status: 'published' as const,
    title: defaultProcess.title ?? null,
    builtIn: true,
    active: current.get(defaultProcess.key) === defaultProcess.version,
    createdBy: null,
    createdAt: null,
    updatedAt: null,
    publishedBy: null,
    publishedAt: null,
  };
}

export function processDefinitionRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;

  async function find(key: string, version: number): Promise<DefinitionRow> {
    const row = (await db('process_definitions').where({ key, version }).first()) as DefinitionRow | undefined;
    if (!row) throw notFound(`process definition ${key} version ${version}`);
    return row;
  }

  app.get(
    '/v1/process-definitions',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'Drafts and published versions, the built-in default included',
        response: { 200: z.object({ items: z.array(summarySchema) }), ...errors(403) },
      },
    },
    async () => {
      const active = await currentVersions(db);
      const rows = (await db('process_definitions').orderBy([{ column: 'key' }, { column: 'version', order: 'desc' }])) as DefinitionRow[];
      return { items: [builtInSummary(active), ...rows.map((r) => summary(r, active))] };
    },
  );

  app.get(
    '/v1/process-definitions/:key/versions/:version',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'One version with its validation and a Mermaid diagram',
        params: versionParams,
        response: { 200: detailSchema, ...errors(400, 403, 404) },
      },
    },
    async (request) => {
      const { key, version } = request.params;
      const active = await currentVersions(db);
      if (key === defaultProcess.key && version === defaultProcess.version) {
        return {
          ...builtInSummary(active),
          definition: defaultProcess as unknown as Record<string, unknown>,
          validation: validation(defaultProcess),
          mermaid: mermaidOf(defaultProcess, true),
        };
      }
      const row = await find(key, version);
      const checked = validation(row.definition);
      return {
        ...summary(row, active),
        definition: row.definition as unknown as Record<string, unknown>,
        validation: checked,
        mermaid: mermaidOf(row.definition, checked.ok),
      };
    },
  );

  app.post(
    '/v1/process-definitions/validate',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'Validate a definition: every error with its path',
        body: z.strictObject({ definition: jsonValue.describe('any JSON; validation reports what is wrong with it') }),
        response: { 200: validationSchema, ...errors(400, 403) },
      },
    },
    async (request) => validation(request.body.definition),
  );

  app.post(
    '/v1/process-definitions',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'Save a draft as the next version of its key (the version in the body is replaced)',
        body: z.strictObject({ definition: processDefinitionSchema }),
        response: { 201: detailSchema, ...errors(400, 403) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const draft = request.body.definition;
      for (let attempt = 0; ; attempt++) {
        const version = await nextVersion(db, draft.key);
        const definition = { ...draft, version };
        try {
          const [row] = (await db('process_definitions')
            .insert({ key: draft.key, version, status: 'draft', definition: JSON.stringify(definition), created_by: user.id })
            .returning('*')) as DefinitionRow[];
          const checked = validation(definition);
          const active = await currentVersions(db);
          return reply
            .code(201)
            .send({ ...summary(row as DefinitionRow, active), definition, validation: checked, mermaid: mermaidOf(definition, checked.ok) });
        } catch (error) {
          // Two drafts of one key at once: the second takes the next number.
          if ((error as { code?: string }).code !== '23505' || attempt >= 3) throw error;
        }
      }
    },
  );

  app.put(
    '/v1/process-definitions/:key/versions/:version',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'Replace a draft (published versions never change)',
        params: versionParams,
        body: z.strictObject({ definition: processDefinitionSchema }),
        response: { 200: detailSchema, ...errors(400, 403, 404, 409) },
      },
    },
    async (request) => {
      const { key, version } = request.params;
      const row = await find(key, version);
      if (row.status !== 'draft') throw new ApiError(409, 'already_published', `${key} version ${version} is published; save a new draft instead`);
      const definition = { ...request.body.definition, key, version };
      const [updated] = (await db('process_definitions')
        .where({ key, version, status: 'draft' })
        .update({ definition: JSON.stringify(definition), updated_at: db.fn.now() })
        .returning('*')) as DefinitionRow[];
      if (!updated) throw new ApiError(409, 'already_published', `${key} version ${version} was just published`);
      const checked = validation(definition);
      return { ...summary(updated, await currentVersions(db)), definition, validation: checked, mermaid: mermaidOf(definition, checked.ok) };
    },
  );

  app.post(
    '/v1/process-definitions/:key/versions/:version/publish',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: "Publish a valid draft: it becomes its key's current version; running journeys keep theirs",
        params: versionParams,
        response: { 200: summarySchema, ...errors(400, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const user = userOf(request);
      const { key, version } = request.params;
      const row = await find(key, version);
      if (row.status === 'published') throw new ApiError(409, 'already_published', `${key} version ${version} is already published`);
      const checked = validation(row.definition);
      if (!checked.ok)
        throw new ApiError(422, 'invalid_definition', `${key} version ${version} is not valid: ${checked.errors.length} error(s)`, { errors: checked.errors });
      const [published] = (await db('process_definitions')
        .where({ key, version, status: 'draft' })
        .update({ status: 'published', published_by: user.id, published_at: db.fn.now(), updated_at: db.fn.now() })
        .returning('*')) as DefinitionRow[];
      if (!published) throw new ApiError(409, 'already_published', `${key} version ${version} was just published`);
      return summary(published, await currentVersions(db));
    },
  );
}
