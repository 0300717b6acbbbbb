// Unsubscribe links of the nurture cadence: a token per journey and address, and the addresses
// that used one (lower-cased, so one address however it was typed).
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/** The journey's token for `email`, made on first use; the same one in every email of the cadence. */
export async function unsubscribeToken(trx: Knex.Transaction, journeyId: string, email: string): Promise<string> {
  await trx('unsubscribe_tokens')
    .insert({ token: randomBytes(24).toString('base64url'), journey_id: journeyId, email: email.toLowerCase() })
    .onConflict(['journey_id', 'email'])
    .ignore();
  const row = (await trx('unsubscribe_tokens').where({ journey_id: journeyId, email: email.toLowerCase() }).first('token')) as { token: string };
  return row.token;
}

export async function isUnsubscribed(db: Knex, email: string): Promise<boolean> {
  return (await db('email_unsubscribes').where({ email: email.toLowerCase() }).first('email')) !== undefined;
}

/** Whether `token` is a link we sent, and whether its address has unsubscribed; undefined for an unknown token. */
export async function unsubscribeLink(db: Knex, token: string): Promise<{ unsubscribed: boolean } | undefined> {
  const link = (await db('unsubscribe_tokens').where({ token }).first('email')) as { email: string } | undefined;
  return link ? { unsubscribed: await isUnsubscribed(db, link.email) } : undefined;
}

/** Records the address of `token` as unsubscribed (once; a second use changes nothing); undefined for an unknown token. */
export async function unsubscribe(db: Knex, token: string): Promise<{ email: string; since: Date } | undefined> {
  const link = (await db('unsubscribe_tokens').where({ token }).first('email', 'journey_id')) as { email: string; journey_id: string } | undefined;
  if (!link) return undefined;
  await db('email_unsubscribes').insert({ email: link.email, journey_id: link.journey_id }).onConflict('email').ignore();
  const row = (await db('email_unsubscribes').where({ email: link.email }).first('unsubscribed_at')) as { unsubscribed_at: Date };
  return { email: link.email, since: row.unsubscribed_at };
}
