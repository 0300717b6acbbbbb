// The steps of a migration's apply (workflows/migration.ts): the next journeys to move, one move
// (a journey update whose id is the migration and the journey, so a retried step never moves a
// journey twice), and the migration's status. Results land on the migration's items.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Db } from '../db/connection';
import { defaultProcess, type ProcessDefinition } from '../machines/index';
import type { StageMap, TimerPolicy } from '../machines/migrationPlan';
import { migrateUpdate } from '../workflows/messages';

/** Well inside the move's heartbeat timeout (workflows/migration.ts). */
const HEARTBEAT_MS = 5_000;

export type MigrationStatus = 'planned' | 'running' | 'paused' | 'done' | 'cancelled';

interface Plan {
  definition_key: string;
  from_version: number;
  to_version: number;
  stage_map: StageMap;
  timers: TimerPolicy;
}

async function publishedDefinition(db: Db, key: string, version: number): Promise<ProcessDefinition | undefined> {
  if (key === defaultProcess.key && version === defaultProcess.version) return defaultProcess;
  const row = (await db('process_definitions').where({ key, version, status: 'published' }).first('definition')) as
    { definition: ProcessDefinition } | undefined;
  return row?.definition;
}

export function migrationActivities(deps: { db: Db }) {
  const { db } = deps;
  return {
    /** Up to `size` journeys a dry run found ready that have no result yet, oldest judged first. */
    async nextMigrationBatch({ migrationId, size }: { migrationId: string; size: number }): Promise<string[]> {
      const rows = (await db('process_migration_items')
        .where({ migration_id: migrationId })
        .whereIn('verdict', ['ready', 'ready_at_safe_point'])
        .whereNull('result')
        .orderBy('journey_id')
        .limit(size)
        .select('journey_id')) as { journey_id: string }[];
      return rows.map((r) => r.journey_id);
    },

    async setMigrationStatus({ migrationId, status }: { migrationId: string; status: MigrationStatus }): Promise<void> {
      await db('process_migrations').where({ id: migrationId }).update({ status });
    },

    /** Moves one journey; a refusal (it drifted or ended since the dry run) is its result, not a failure. */
    async migrateJourney({ migrationId, journeyId }: { migrationId: string; journeyId: string }): Promise<string> {
      const plan = (await db('process_migrations').where({ id: migrationId }).first()) as Plan | undefined;
      const item = (await db('process_migration_items').where({ migration_id: migrationId, journey_id: journeyId }).first('stage')) as
        { stage: string } | undefined;
      if (!plan || !item) return 'failed';
      const to = await publishedDefinition(db, plan.definition_key, plan.to_version);
      let result: 'migrated' | 'refused' | 'failed';
      let detail: string | null = null;
      if (!to) {
        result = 'failed';
        detail = `version ${plan.to_version} of ${plan.definition_key} is not published`;
      } else {
        const context = Context.current();
        const beat = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
        try {
          const answer = await context.client.workflow.getHandle(`journey-${journeyId}`).executeUpdate(migrateUpdate, {
            args: [{ migrationId, to, stageMap: plan.stage_map, timers: plan.timers, fromVersion: plan.from_version, expectedStage: item.stage }],
            updateId: `migrate:${migrationId}:${journeyId}`,
          });
          result = answer.result;
          detail = answer.reason ?? null;
        } catch (error) {
          if (error instanceof WorkflowUpdateFailedError) {
            result = 'refused';
            detail = error.cause?.message ?? error.message;
          } else if (error instanceof WorkflowNotFoundError) {
            // Its workflow completed: the journey ended since the dry run.
            result = 'refused';
            detail = 'the journey has ended since the dry run';
          } else throw error;
        } finally {
          clearInterval(beat);
        }
      }
      await db('process_migration_items').where({ migration_id: migrationId, journey_id: journeyId }).update({ result, result_detail: detail });
      return result;
    },
  };
}
