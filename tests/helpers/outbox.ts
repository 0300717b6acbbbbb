// Waiting for the email outbox to drain: a row claimed by a worker that was killed leaves only
// when its lease runs out (30 s, activities/mail/outbox.ts) and the next sweep picks it up.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../db/connection';

/** Waits (up to a minute) until every outbox row of these journeys is sent; the caller asserts. */
export async function outboxDrained(db: Db, journeyIds: string[]): Promise<void> {
  const unsent = async () => Number((await db('email_outbox').whereIn('journey_id', journeyIds).whereNull('sent_at').count('* as n').first())?.n ?? 0);
  for (const deadline = Date.now() + 60_000; (await unsent()) > 0 && Date.now() < deadline;) await sleep(500);
}
