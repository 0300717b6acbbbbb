// The email outbox: rows written in the activity's transaction, sent afterwards under a row lock.
import type { Knex } from 'knex';
import { newId } from '../ids';

export interface OutboxRow {
  id: string;
  journey_id: string;
  step: string;
  kind: string;
  template_key: string;
  message_id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  sent_at: Date | null;
  created_at: Date;
}

export interface NewEmail {
  journeyId: string;
  step: string;
  kind: string;
  templateKey: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

const MESSAGE_ID_DOMAIN = 'lead-to-cash.local';

export async function enqueueEmail(trx: Knex.Transaction, email: NewEmail): Promise<string> {
  const id = newId('email');
  await trx('email_outbox').insert({
    id,
    journey_id: email.journeyId,
    step: email.step,
    kind: email.kind,
    template_key: email.templateKey,
    message_id: `<${id}@${MESSAGE_ID_DOMAIN}>`,
    to_address: email.to,
    subject: email.subject,
    text_body: email.text,
    html_body: email.html,
  });
  return id;
}

/** Ids of the step's emails not yet sent (no lock: the sender locks each row itself). */
export async function unsentForStep(db: Knex, journeyId: string, step: string): Promise<string[]> {
  const rows = (await db('email_outbox').select('id').where({ journey_id: journeyId, step }).whereNull('sent_at').orderBy('created_at')) as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * Locks one unsent row (a given one, or the oldest due one) for the transaction; skips rows another
 * sender holds, so two workers never send the same row.
 */
export async function lockUnsent(trx: Knex.Transaction, which: { id: string } | { due: true }): Promise<OutboxRow | undefined> {
  const query = trx('email_outbox').whereNull('sent_at').forUpdate().skipLocked().first();
  if ('id' in which) query.where({ id: which.id });
  else query.where('next_attempt_at', '<=', trx.fn.now()).orderBy('next_attempt_at');
  return (await query) as OutboxRow | undefined;
}

export async function markSent(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('email_outbox').where({ id }).update({ sent_at: trx.fn.now(), attempts: trx.raw('attempts + 1'), last_error: null });
}

/** Records a failed attempt and backs off: 5 s, 10 s, 20 s … up to 10 minutes. */
export async function markFailed(trx: Knex.Transaction, row: OutboxRow, error: string): Promise<void> {
  const delaySeconds = Math.min(600, 5 * 2 ** Math.min(row.attempts, 10));
  await trx('email_outbox')
    .where({ id: row.id })
    .update({
      attempts: row.attempts + 1,
      last_error: error.slice(0, 2000),
      next_attempt_at: trx.raw(`now() + make_interval(secs => ?)`, [delaySeconds]),
    });
}
