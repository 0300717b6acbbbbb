// Migration plans and dry runs (DESIGN.md section 7.2): ops name a key and two of its versions, the
// stage map is prefilled with the stages both have, a plan that could strand a journey is refused,
// and a dry run judges every journey on the old version from its own live state.
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { newId } from '../../db/ids';
import { judge, planErrors, prefilledStageMap, timerPolicies, verdicts, type Judgement, type LiveJourney, type StageMap } from '../../machines/migrationPlan';
import { processDefinitionSchema, type ProcessDefinition } from '../../machines/index';
import { definitionOf } from '../definitions';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../errors';
import { liveState } from '../journeyClient';
import { idSchema } from '../schemas';
import type { JourneyRow } from '../scoping';

const stageName = processDefinitionSchema.shape.initial;
const version = processDefinitionSchema.shape.version;

export const migrationRequestSchema = z.strictObject({
  key: processDefinitionSchema.shape.key.describe('the process key whose journeys move'),
  fromVersion: version.describe('the version the journeys run on now'),
  toVersion: version.describe('a published version of the same key to move them to'),
  stageMap: z
    .record(stageName, stageName)
    .optional()
    .describe('old stage → new stage; prefilled with every stage whose name exists in both versions, which entries given here replace or add to'),
  timers: z
    .enum(timerPolicies)
    .optional()
    .describe("keep (default): a running timer keeps its absolute deadline; restart: it starts again from the target's durations"),
  filter: z
    .strictObject({
      stages: z.array(stageName).max(200).optional().describe('only journeys in these stages of the old version'),
      journeyIds: z.array(idSchema).max(10_000).optional().describe('only these journeys'),
    })
    .optional(),
});
export type MigrationRequest = z.infer<typeof migrationRequestSchema>;

export const migrationStatuses = ['planned', 'running', 'paused', 'done', 'cancelled'] as const;

export const migrationItemSchema = z.strictObject({
  journeyId: z.string(),
  stage: z.string().describe('the stage the journey was in when judged'),
  verdict: z.enum(verdicts),
  reason: z.string().optional(),
  target: z.string().optional().describe('the stage of the new version it moves to'),
});

export interface MigrationRow {
  id: string;
  definition_key: string;
  from_version: number;
  to_version: number;
  stage_map: StageMap;
  timers: (typeof timerPolicies)[number];
  filter: { stages?: string[]; journeyIds?: string[] };
  status: (typeof migrationStatuses)[number];
  created_by: string;
  created_at: Date;
  dry_run_at: Date | null;
}

async function versionOf(db: Db, key: string, v: number, field: string): Promise<ProcessDefinition> {
  const def = await definitionOf(db, key, v);
  if (!def) throw new ApiError(422, 'unknown_version', `${field}: no published version ${v} of "${key}"`, { field });
  return def;
}

/** Both versions of a plan, published. */
export async function versionsOf(db: Db, m: Pick<MigrationRow, 'definition_key' | 'from_version' | 'to_version'>) {
  const from = await versionOf(db, m.definition_key, m.from_version, 'body.fromVersion');
  const to = await versionOf(db, m.definition_key, m.to_version, 'body.toVersion');
  return { from, to };
}

/** Records a plan, or refuses it (422) with every entry of the stage map that is wrong. */
export async function createPlan(db: Db, request: MigrationRequest, userId: string): Promise<MigrationRow> {
  if (request.fromVersion === request.toVersion) {
    throw new ApiError(422, 'same_version', 'body.toVersion: the journeys already run on this version; name another', { field: 'body.toVersion' });
  }
  const row = { definition_key: request.key, from_version: request.fromVersion, to_version: request.toVersion };
  const { from, to } = await versionsOf(db, row);
  const stageMap = { ...prefilledStageMap(from, to), ...request.stageMap };
  const issues = planErrors(from, to, stageMap).map((e) => ({ path: `body.${e.path}`, message: e.message }));
  if (issues.length > 0) throw new ApiError(422, 'invalid_plan', `the plan would strand journeys: ${issues[0]!.path}: ${issues[0]!.message}`, { issues });
  const [saved] = (await db('process_migrations')
    .insert({
      id: newId('mig'),
      ...row,
      stage_map: JSON.stringify(stageMap),
      timers: request.timers ?? 'keep',
      filter: JSON.stringify(request.filter ?? {}),
      created_by: userId,
    })
    .returning('*')) as MigrationRow[];
  return saved!;
}

export async function planOf(db: Db, id: string): Promise<MigrationRow> {
  const row = (await db('process_migrations').where({ id }).first()) as MigrationRow | undefined;
  if (!row) throw notFound(`migration ${id}`);
  return row;
}

/** The journeys a plan covers: on its key and old version, narrowed by its filter. */
export function journeysOf(db: Db, m: MigrationRow) {
  const query = db('journeys').where({ definition_key: m.definition_key, definition_version: m.from_version });
  if (m.filter.stages) void query.whereIn('stage', m.filter.stages);
  if (m.filter.journeyIds) void query.whereIn('id', m.filter.journeyIds);
  return query.orderBy('created_at').orderBy('id');
}

/** A journey as the projection last saw it, for one whose workflow is gone. */
function fromProjection(row: JourneyRow, from: ProcessDefinition): LiveJourney {
  const checkpoint = from.stages[row.stage]?.checkpoint;
  return {
    stage: row.stage,
    status: row.status,
    pendingCheckpoint: row.pending_role !== null && checkpoint ? { role: row.pending_role, approveEvent: checkpoint.approve } : null,
  };
}

/** Reads each journey's live state (a few at a time) and judges it against the plan. */
async function judgeAll(deps: ApiDeps, rows: JourneyRow[], m: MigrationRow, from: ProcessDefinition, to: ProcessDefinition) {
  const judged: (Judgement & { journeyId: string; stage: string })[] = new Array(rows.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < rows.length; i = next++) {
      const row = rows[i]!;
      let journey: LiveJourney;
      if (row.status === 'done') journey = fromProjection(row, from);
      else {
        try {
          const state = await liveState(deps, row.id, []);
          journey = { stage: state.stage, status: state.status, pendingCheckpoint: state.pendingCheckpoint };
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          journey = fromProjection(row, from);
        }
      }
      judged[i] = { journeyId: row.id, stage: journey.stage, ...judge(journey, from, to, m.stage_map) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, rows.length) }, worker));
  return judged;
}

/** A dry run: a verdict for every journey the plan covers, stored (the latest run replaces the one before). */
export async function dryRun(deps: ApiDeps, id: string) {
  const m = await planOf(deps.db, id);
  if (m.status !== 'planned')
    throw new ApiError(409, 'migration_started', `migration ${id} is ${m.status}: a dry run is for a plan not yet applied`, { status: m.status });
  const { from, to } = await versionsOf(deps.db, m);
  const rows = (await journeysOf(deps.db, m)) as JourneyRow[];
  const items = await judgeAll(deps, rows, m, from, to);
  const judgedAt = new Date();
  await deps.db.transaction(async (trx) => {
    await trx('process_migration_items').where({ migration_id: id }).delete();
    for (let i = 0; i < items.length; i += 1_000) {
      await trx('process_migration_items').insert(
        items.slice(i, i + 1_000).map((item) => ({
          migration_id: id,
          journey_id: item.journeyId,
          stage: item.stage,
          verdict: item.verdict,
          reason: item.reason ?? null,
          judged_at: judgedAt,
        })),
      );
    }
    await trx('process_migrations').where({ id }).update({ dry_run_at: judgedAt });
  });
  return { items };
}

interface ItemRow {
  journey_id: string;
  stage: string;
  verdict: (typeof verdicts)[number];
  reason: string | null;
  result: string | null;
  result_detail: string | null;
}

const emptyCounts = () => Object.fromEntries(verdicts.map((v) => [v, 0])) as Record<(typeof verdicts)[number], number>;

/** A plan as the API shows it, without its journeys. */
function summaryOf(m: MigrationRow, counts: Record<(typeof verdicts)[number], number>) {
  return {
    id: m.id,
    key: m.definition_key,
    fromVersion: m.from_version,
    toVersion: m.to_version,
    stageMap: m.stage_map,
    timers: m.timers,
    filter: m.filter,
    status: m.status,
    createdBy: m.created_by,
    createdAt: m.created_at.toISOString(),
    dryRunAt: m.dry_run_at?.toISOString() ?? null,
    counts,
  };
}

/** The plans, newest first, with their counts per verdict. */
export async function listMigrations(db: Db, q: { key?: string | undefined; status?: MigrationRow['status'] | undefined; limit: number }) {
  const query = db('process_migrations').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit);
  if (q.key) void query.where({ definition_key: q.key });
  if (q.status) void query.where({ status: q.status });
  const plans = (await query) as MigrationRow[];
  const rows = (await db('process_migration_items')
    .whereIn(
      'migration_id',
      plans.map((m) => m.id),
    )
    .groupBy('migration_id', 'verdict')
    .select('migration_id', 'verdict', db.raw('count(*)::int as n'))) as { migration_id: string; verdict: (typeof verdicts)[number]; n: number }[];
  return plans.map((m) => {
    const counts = emptyCounts();
    for (const r of rows) if (r.migration_id === m.id) counts[r.verdict] = r.n;
    return summaryOf(m, counts);
  });
}

/** A plan with its counts per verdict and its journeys' verdicts and results. */
export async function migrationView(db: Db, id: string) {
  const m = await planOf(db, id);
  const items = (await db('process_migration_items').where({ migration_id: id }).orderBy('journey_id')) as ItemRow[];
  const counts = emptyCounts();
  for (const i of items) counts[i.verdict]++;
  return {
    ...summaryOf(m, counts),
    items: items.map((i) => ({
      journeyId: i.journey_id,
      stage: i.stage,
      verdict: i.verdict,
      ...(i.reason === null ? {} : { reason: i.reason }),
      ...(Object.hasOwn(m.stage_map, i.stage) ? { target: m.stage_map[i.stage] } : {}),
      result: i.result,
      ...(i.result_detail === null ? {} : { resultDetail: i.result_detail }),
    })),
  };
}
