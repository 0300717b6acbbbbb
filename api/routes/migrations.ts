// Migrations of running journeys (DESIGN.md section 7.2), for ops: make a plan, dry-run it, read it.
import { z } from 'zod';
import { processDefinitionSchema } from '../../machines/index';
import { timerPolicies, verdicts } from '../../machines/migrationPlan';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { applyMigration, steerMigration } from '../migrations/apply';
import { createPlan, dryRun, listMigrations, migrationItemSchema, migrationRequestSchema, migrationStatuses, migrationView } from '../migrations/plans';
import { errors, idSchema, type App } from '../schemas';

const ROLES = ['ops', 'admin'] as const;
const params = z.strictObject({ id: idSchema });

const migrationSummarySchema = z.strictObject({
  id: z.string(),
  key: z.string(),
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
  stageMap: z.record(z.string(), z.string()).describe('old stage → new stage, with the prefilled entries'),
  timers: z.enum(timerPolicies),
  filter: z.strictObject({ stages: z.array(z.string()).optional(), journeyIds: z.array(z.string()).optional() }),
  status: z.enum(migrationStatuses),
  createdBy: z.string(),
  createdAt: z.string(),
  dryRunAt: z.string().nullable().describe('when the verdicts below were given; null before the first dry run'),
  counts: z.record(z.enum(verdicts), z.number().int()).describe('journeys per verdict of the latest dry run'),
});
const migrationSchema = migrationSummarySchema.extend({
  items: z.array(
    migrationItemSchema.extend({
      result: z.string().nullable().describe('once applied: migrated, refused (it drifted since the dry run) or failed'),
      resultDetail: z.string().optional(),
    }),
  ),
});

export function migrationRoutes(app: App, deps: ApiDeps): void {
  app.post(
    '/v1/migrations',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'Plan moving the running journeys of one version of a process to another',
        description:
          'The stage map is prefilled with every stage both versions have. A plan is refused (422, every wrong entry under `details.issues`) when it names a stage ' +
          'that does not exist or maps a stage to one from which no final stage can be reached. Nothing moves until the plan is applied.',
        body: migrationRequestSchema,
        response: { 201: migrationSchema, ...errors(400, 403, 422) },
      },
    },
    async (request, reply) => {
      const plan = await createPlan(deps.db, request.body, userOf(request).id);
      return reply.code(201).send(await migrationView(deps.db, plan.id));
    },
  );

  app.post(
    '/v1/migrations/:id/dry-run',
    {
      // Without a key, running it again gives the verdicts of that moment; with one, a retry replays them.
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: "A verdict for every journey the plan covers, from the journey's live state; nothing moves",
        description:
          'ready: it moves as soon as applied; ready_at_safe_point: an activity is in flight (or parked), it moves after that; blocked_unmapped_stage: ' +
          'the plan maps nothing to its stage; blocked_checkpoint_changed: it waits on a checkpoint whose role or approving event differs in the target; ' +
          'blocked_no_path_to_final: its target stage cannot reach an end; skipped_final: it has ended.',
        params,
        response: { 200: z.strictObject({ items: z.array(migrationItemSchema) }), ...errors(403, 404, 409, 422, 503) },
      },
    },
    async (request) => dryRun(deps, request.params.id),
  );

  app.post(
    '/v1/migrations/:id/apply',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'Move the journeys the latest dry run found ready, in bounded batches, as a durable background run',
        description:
          'Each journey is judged again when it moves: one that changed since the dry run is refused (result `refused`), not moved. ' +
          'Follow the progress on GET /v1/migrations/{id}. Applying again changes nothing.',
        params,
        response: { 202: migrationSchema, ...errors(403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      await applyMigration(deps, request.params.id);
      return reply.code(202).send(await migrationView(deps.db, request.params.id));
    },
  );

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(
      `/v1/migrations/:id/${action}`,
      {
        config: { roles: ROLES },
        schema: {
          tags: ['process definitions'],
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a migration's apply between batches (the status follows on GET)`,
          params,
          response: { 202: migrationSchema, ...errors(403, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        await steerMigration(deps, request.params.id, action);
        return reply.code(202).send(await migrationView(deps.db, request.params.id));
      },
    );
  }

  app.get(
    '/v1/migrations',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'The migration plans, newest first, with their status and counts per verdict (their journeys on GET /v1/migrations/{id})',
        querystring: z.strictObject({
          key: processDefinitionSchema.shape.key.optional().describe('only plans of this process key'),
          status: z.enum(migrationStatuses).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50).describe('at most this many plans (default 50)'),
        }),
        response: { 200: z.strictObject({ items: z.array(migrationSummarySchema) }), ...errors(400, 403) },
      },
    },
    async (request) => ({ items: await listMigrations(deps.db, request.query) }),
  );

  app.get(
    '/v1/migrations/:id',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'A migration: its plan, status, counts per verdict and each journey’s verdict and result',
        params,
        response: { 200: migrationSchema, ...errors(403, 404) },
      },
    },
    async (request) => migrationView(deps.db, request.params.id),
  );
}
