// A migration's apply (DESIGN.md section 7.2) as a workflow of its own, so it survives the API and
// worker going down: it moves the journeys a dry run found ready, a bounded batch at a time, and
// can be paused, resumed and cancelled between batches. Each journey moves through its own update,
// judged again there (a journey that drifted since the dry run is refused, not moved).
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { migrationActivities, MigrationStatus } from '../activities/migrations';
import { cancelMigrationSignal, pauseMigrationSignal, resumeMigrationSignal } from './messages';

/** Journeys moved side by side: bounded, so a migration never floods the workers the journeys run on. */
const BATCH = 10;

const { nextMigrationBatch, setMigrationStatus } = proxyActivities<ReturnType<typeof migrationActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// A move waits for the journey's quiet point (an activity's result, a parked activity's retry), which
// may take long; its heartbeat lets a dead worker's move be taken up again within seconds.
const { migrateJourney } = proxyActivities<ReturnType<typeof migrationActivities>>({
  startToCloseTimeout: '1 day',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function migrationWorkflow({ migrationId }: { migrationId: string }): Promise<{ status: MigrationStatus; moved: number }> {
  let paused = false;
  let cancelled = false;
  setHandler(pauseMigrationSignal, () => void (paused = true));
  setHandler(resumeMigrationSignal, () => void (paused = false));
  setHandler(cancelMigrationSignal, () => void (cancelled = true));

  let moved = 0;
  await setMigrationStatus({ migrationId, status: 'running' });
  for (;;) {
    if (paused && !cancelled) {
      await setMigrationStatus({ migrationId, status: 'paused' });
      await condition(() => !paused || cancelled);
      if (!cancelled) await setMigrationStatus({ migrationId, status: 'running' });
    }
    if (cancelled) break;
    const batch = await nextMigrationBatch({ migrationId, size: BATCH });
    if (batch.length === 0) break;
    const results = await Promise.all(batch.map((journeyId) => migrateJourney({ migrationId, journeyId })));
    moved += results.filter((r) => r === 'migrated').length;
  }
  const status: MigrationStatus = cancelled ? 'cancelled' : 'done';
  await setMigrationStatus({ migrationId, status });
  return { status, moved };
}
