// Sending from the outbox. A sender first claims a row with a lease (committed), then sends it
// over SMTP outside any transaction, then records it as sent, retrying that write until the
// database answers: a database restart during a send neither loses the record nor lets anyone
// mail the row again. Exactly once up to the one unavoidable window (the sender's process dies
// between the relay's acceptance and the record): the lease then expires and the row is sent
// again with the same Message-ID, which lets the receiving side drop the repeat, and the row
// counts it in `reclaims`.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../db/connection';
import { attachmentsOf, claimUnsent, markFailed, markSent, unsentForStep, type OutboxRow } from '../../db/queries/outbox';
import { deliveryFailed } from '../support/failures';
import type { Mailer } from './mailer';

type Outcome = { sent: true } | { sent: false; error: string } | null;

/**
 * Longer than an SMTP exchange may take (the mailer's timeouts), short enough that a row whose
 * sender died leaves again within a minute. During a database outage nobody can claim anything,
 * and the sender records its send within a second of the database's return.
 */
const LEASE_SECONDS = 30;
/** Recording a send late is still better than never: keep trying well past the lease. */
const RECORD_FOR_MS = 5 * 60_000;

/** Retries a bookkeeping write through a database outage, pausing at most a second. */
async function untilWritten(write: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + RECORD_FOR_MS;
  for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + pause > deadline) throw error;
      await sleep(pause);
    }
  }
}

async function sendClaimed(db: Db, mailer: Mailer, which: { id: string } | { due: true }): Promise<Outcome> {
  const row: OutboxRow | undefined = await claimUnsent(db, which, LEASE_SECONDS);
  if (!row) return null;
  try {
    const attachments = await attachmentsOf(db, row.id);
    await mailer.send({
      messageId: row.message_id,
      to: row.to_address,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      attachments,
      listUnsubscribe: row.list_unsubscribe,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await untilWritten(() => markFailed(db, row, message));
    return { sent: false, error: message };
  }
  await untilWritten(() => markSent(db, row.id));
  return { sent: true };
}

/** Sends the unsent emails a step wrote; throws (retryable) when the relay refuses one. */
export async function deliverStep(db: Db, mailer: Mailer, journeyId: string, step: string): Promise<void> {
  const failures: { id: string; error: string }[] = [];
  for (const id of await unsentForStep(db, journeyId, step)) {
    const outcome = await sendClaimed(db, mailer, { id });
    if (outcome && !outcome.sent) failures.push({ id, error: outcome.error });
  }
  if (failures.length > 0) {
    throw deliveryFailed(`email could not be sent: ${failures.map((f) => f.error).join('; ')}`, { journeyId, step, failures });
  }
}

/** Sends every due unsent email (left behind by a crash or a relay outage); the worker calls it periodically. */
export async function deliverOutbox(db: Db, mailer: Mailer, options: { limit?: number } = {}): Promise<{ sent: number; failed: number }> {
  const limit = options.limit ?? 100;
  let sent = 0;
  let failed = 0;
  // A failed row is pushed back by its backoff, so the loop moves on to the next due row.
  while (sent + failed < limit) {
    const outcome = await sendClaimed(db, mailer, { due: true });
    if (!outcome) break;
    if (outcome.sent) sent += 1;
    else failed += 1;
  }
  return { sent, failed };
}
