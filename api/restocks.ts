// Sends the queued RESTOCKED notices to their journeys, oldest first, as updates whose id is the
// notice's: a notice sent twice (a retry, two API processes, the sweep) is applied once. The
// receipt's request sends its own after answering; the sweep sends whatever a dead process left
// queued, and the notices for stock a cancelled order freed (queued by the worker).
import type { FastifyBaseLogger } from 'fastify';
import { pendingRestocks, restockFailed, restockSent } from '../db/queries/restocks';
import type { ApiDeps } from './deps';
import { toApiError } from './errors';
import { sendEvent } from './journeyClient';

export interface RestockOutcome {
  journeyId: string;
  sent: boolean;
  error?: string;
}

/** How often the sweep looks for notices left queued. */
const SWEEP_EVERY_MS = 30_000;

/** Sends the pending notices (of one receipt, or all), one after the other so older orders reserve first. */
export async function sendRestocks(deps: ApiDeps, receiptId?: string): Promise<RestockOutcome[]> {
  const outcomes: RestockOutcome[] = [];
  for (const notice of await pendingRestocks(deps.db, receiptId)) {
    try {
      await sendEvent(deps, notice.journey_id, { type: 'RESTOCKED', actor: { id: notice.actor_id, roles: notice.actor_roles }, note: notice.note }, notice.id);
      await restockSent(deps.db, notice.id);
      outcomes.push({ journeyId: notice.journey_id, sent: true });
    } catch (error) {
      const mapped = toApiError(error);
      if (!mapped) throw error;
      // Refused for good (the journey no longer waits, or ended): done, with the reason kept.
      if (mapped.status < 500) await restockSent(deps.db, notice.id, mapped.message);
      else await restockFailed(deps.db, notice.id, mapped.message);
      outcomes.push({ journeyId: notice.journey_id, sent: false, error: mapped.message });
    }
  }
  return outcomes;
}

/** Sends a receipt's notices after the answer, so the warehouse does not wait on the journeys; the sweep covers a failure. */
export function sendRestocksSoon(deps: ApiDeps, receiptId: string, log: FastifyBaseLogger): void {
  sendRestocks(deps, receiptId).then(
    (outcomes) => {
      const failed = outcomes.filter((o) => !o.sent);
      if (failed.length > 0) log.warn({ failed }, 'some restock notices were not taken');
    },
    (error: unknown) => log.warn({ err: error }, 'restock notices not sent; the sweep sends them later'),
  );
}

/** Starts the sweep; the returned function stops it. */
export function startRestockSweep(deps: ApiDeps, log: FastifyBaseLogger, everyMs = SWEEP_EVERY_MS): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const outcomes = await sendRestocks(deps);
      if (outcomes.length > 0) log.info({ outcomes }, 'restock notices sent');
    } catch (error) {
      log.warn({ err: error }, 'restock sweep failed; trying again later');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  void sweep();
  return () => clearInterval(timer);
}
