// The email outbox: rows written in the activity's transaction, sent afterwards under a lease.
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
  list_unsubscribe: string | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  claimed_until: Date | null;
  reclaims: number;
  sent_at: Date | null;
  created_at: Date;
}

export interface NewEmail {
  journeyId: string;
  step: string;
  kind: string;
  templateKey: string;
  /** 0 for a template as seeded or built in. */
  templateVersion?: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stored with the row, so every send (a resend after a crash too) carries the same bytes. */
  attachments?: EmailAttachment[];
  /** The unsubscribe link, for the List-Unsubscribe header of an email one may stop. */
  listUnsubscribe?: string;
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
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
    template_version: email.templateVersion ?? null,
    message_id: `<${id}@${MESSAGE_ID_DOMAIN}>`,
    to_address: email.to,
    subject: email.subject,
    text_body: email.text,
    html_body: email.html,
    list_unsubscribe: email.listUnsubscribe ?? null,
  });
  const attachments = email.attachments ?? [];
  if (attachments.length > 0) {
    await trx('email_attachments').insert(
      attachments.map((a, position) => ({ email_id: id, position, filename: a.filename, content_type: a.contentType, content: a.content })),
    );
  }
  return id;
}

export async function attachmentsOf(db: Knex, emailId: string): Promise<EmailAttachment[]> {
  const rows = (await db('email_attachments').where({ email_id: emailId }).orderBy('position').select('filename', 'content_type', 'content')) as {
    filename: string;
    content_type: string;
    content: Buffer;
  }[];
  return rows.map((r) => ({ filename: r.filename, contentType: r.content_type, content: r.content }));
}

/** Ids of the step's emails not yet sent (no claim: the sender claims each row itself). */
export async function unsentForStep(db: Knex, journeyId: string, step: string): Promise<string[]> {
  const rows = (await db('email_outbox').select('id').where({ journey_id: journeyId, step }).whereNull('sent_at').orderBy('created_at')) as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * Claims one unsent row (a given one, or the oldest due one) for `leaseSeconds`, committed at once:
 * rows under another sender's live lease are skipped, so two senders never mail the same row.
 */
export async function claimUnsent(db: Knex, which: { id: string } | { due: true }, leaseSeconds: number): Promise<OutboxRow | undefined> {
  const candidate = db('email_outbox')
    .select('id')
    .whereNull('sent_at')
    .where((q) => {
      q.whereNull('claimed_until').orWhere('claimed_until', '<', db.fn.now());
    })
    .limit(1)
    .forUpdate()
    .skipLocked();
  if ('id' in which) candidate.where({ id: which.id });
  else candidate.where('next_attempt_at', '<=', db.fn.now()).orderBy('next_attempt_at');
  const [row] = (await db('email_outbox')
    .whereIn('id', candidate)
    .update({
      claimed_until: db.raw('now() + make_interval(secs => ?)', [leaseSeconds]),
      // A lease still set here ran out with its sender (senders clear it when they finish).
      reclaims: db.raw('reclaims + (claimed_until is not null)::int'),
    })
    .returning('*')) as OutboxRow[];
  return row;
}

export async function markSent(db: Knex, id: string): Promise<void> {
  await db('email_outbox')
    .where({ id })
    .update({ sent_at: db.fn.now(), claimed_until: null, attempts: db.raw('attempts + 1'), last_error: null });
}

/** Records a failed attempt, frees the row and backs off: 5 s, 10 s, 20 s … up to 10 minutes. */
export async function markFailed(db: Knex, row: OutboxRow, error: string): Promise<void> {
  const delaySeconds = Math.min(600, 5 * 2 ** Math.min(row.attempts, 10));
  await db('email_outbox')
    .where({ id: row.id })
    .update({
      attempts: row.attempts + 1,
      last_error: error.slice(0, 2000),
      claimed_until: null,
      next_attempt_at: db.raw(`now() + make_interval(secs => ?)`, [delaySeconds]),
    });
}
