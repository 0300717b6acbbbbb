// Applying a migration, and pausing, resuming or cancelling it: the apply runs as its own workflow
// (workflows/migration.ts), started once per migration whatever the retries; these send it signals.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { cancelMigrationSignal, pauseMigrationSignal, resumeMigrationSignal } from '../../workflows/messages';
import { planOf } from './plans';

const DEADLINE_MS = 10_000;
const workflowIdOf = (id: string) => `migration-${id}`;

export async function applyMigration(deps: ApiDeps, id: string): Promise<void> {
  const m = await planOf(deps.db, id);
  if (m.status === 'done' || m.status === 'cancelled') throw new ApiError(409, 'migration_finished', `migration ${id} is ${m.status}`, { status: m.status });
  if (m.dry_run_at === null)
    throw new ApiError(409, 'no_dry_run', `migration ${id} has no dry run yet: POST /v1/migrations/${id}/dry-run first`, { status: m.status });
  await deps.temporal.withDeadline(Date.now() + DEADLINE_MS, () =>
    deps.temporal.workflow.start('migrationWorkflow', {
      workflowId: workflowIdOf(id),
      taskQueue: deps.taskQueue,
      args: [{ migrationId: id }],
      // Applying again (a retry, a second click) finds the apply already running.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    }),
  );
  await deps.db('process_migrations').where({ id, status: 'planned' }).update({ status: 'running' });
}

const signals = { pause: pauseMigrationSignal, resume: resumeMigrationSignal, cancel: cancelMigrationSignal };

/** Pauses, resumes or cancels a running apply between batches; cancelling a plan never applied just closes it. */
export async function steerMigration(deps: ApiDeps, id: string, action: keyof typeof signals): Promise<void> {
  const m = await planOf(deps.db, id);
  if (action === 'cancel' && m.status === 'planned') {
    await deps.db('process_migrations').where({ id, status: 'planned' }).update({ status: 'cancelled' });
    return;
  }
  if (m.status !== 'running' && m.status !== 'paused') {
    throw new ApiError(409, 'migration_not_running', `migration ${id} is ${m.status}: only a running or paused migration can be ${action}d`, {
      status: m.status,
    });
  }
  await deps.temporal.withDeadline(Date.now() + DEADLINE_MS, () => deps.temporal.workflow.getHandle(workflowIdOf(id)).signal(signals[action]));
}
