// Sending from the outbox. Each row is sent inside its own transaction holding the row lock
// (for update skip locked) and marked sent in that transaction: a second sender skips the row,
// a crash before the commit leaves it unsent for the retry or deliverOutbox. Exactly once up to
// the one unavoidable window (SMTP accepted, commit lost), where the stable Message-ID lets the
// receiving side drop the repeat.
import type { Db } from '../../db/connection';
import { lockUnsent, markFailed, markSent, unsentForStep, type OutboxRow } from '../../db/queries/outbox';
import { deliveryFailed } from '../support/failures';
import type { Mailer } from './mailer';

type Outcome = { sent: true } | { sent: false; error: string } | null;

async function sendLocked(db: Db, mailer: Mailer, which: { id: string } | { due: true }): Promise<Outcome> {
  return db.transaction(async (trx) => {
    const row: OutboxRow | undefined = await lockUnsent(trx, which);
    if (!row) return null;
    try {
      await mailer.send({ messageId: row.message_id, to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await markFailed(trx, row, message);
      return { sent: false, error: message };
    }
    await markSent(trx, row.id);
    return { sent: true };
  });
}

/** Sends the unsent emails a step wrote; throws (retryable) when the relay refuses one. */
export async function deliverStep(db: Db, mailer: Mailer, journeyId: string, step: string): Promise<void> {
  const failures: { id: string; error: string }[] = [];
  for (const id of await unsentForStep(db, journeyId, step)) {
    const outcome = await sendLocked(db, mailer, { id });
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
    const outcome = await sendLocked(db, mailer, { due: true });
    if (!outcome) break;
    if (outcome.sent) sent += 1;
    else failed += 1;
  }
  return { sent, failed };
}
