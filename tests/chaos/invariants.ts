// The money invariants every chaos suite checks once the dust settles: each journey reached its
// expected stage; one invoice per invoiced journey, numbered without gaps; one email per kind per
// journey, received once by the SMTP server (twice only where a killed sender's claim was taken
// over); every payment applied once.
import { expect } from 'vitest';
import type { Db } from '../../db/connection';
import { outboxDrained } from '../helpers/outbox';

export interface MailboxMessage {
  to: string[];
  messageId: string | null;
}

export async function expectMoneyInvariants(db: Db, journeys: { journeyId: string; email: string }[], mailboxUrl: string | null): Promise<void> {
  const ids = journeys.map((j) => j.journeyId);

  const invoices = await db('invoices').whereIn('journey_id', ids).select('journey_id', 'number', 'status');
  expect(invoices).toHaveLength(ids.length);
  expect(new Set(invoices.map((i) => i.journey_id)).size).toBe(ids.length);
  expect(invoices.every((i) => i.status === 'paid')).toBe(true);
  // Gap-free: the numbers of the year form one unbroken run.
  const all = await db('invoices').select('number');
  const sequence = all.map((i) => Number(String(i.number).split('-').at(-1))).sort((a, b) => a - b);
  expect(sequence).toEqual(sequence.map((_, i) => (sequence[0] ?? 1) + i));

  const payments = await db('payments').whereIn('journey_id', ids).select('journey_id');
  expect(payments).toHaveLength(ids.length);

  await outboxDrained(db, ids);
  const outbox = await db('email_outbox').whereIn('journey_id', ids).select('journey_id', 'kind', 'to_address', 'message_id', 'sent_at', 'reclaims');
  const perKind = new Map<string, number>();
  for (const row of outbox) perKind.set(`${row.journey_id}/${row.kind}`, (perKind.get(`${row.journey_id}/${row.kind}`) ?? 0) + 1);
  expect([...perKind.entries()].filter(([, n]) => n > 1)).toEqual([]);
  expect(outbox.every((row) => row.sent_at !== null)).toBe(true);

  if (mailboxUrl) {
    const received = (await (await fetch(`${mailboxUrl}/messages`)).json()) as MailboxMessage[];
    const ours = new Set(outbox.map((row) => row.message_id as string));
    const counts = new Map<string, number>();
    for (const m of received) if (m.messageId && ours.has(m.messageId)) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
    // A Message-ID may arrive twice only where a killed sender's claim was taken over (it may have
    // died after the relay accepted): SMTP's one open window, visible as `reclaims` on the row.
    const reclaims = new Map(outbox.map((row) => [row.message_id as string, row.reclaims as number]));
    expect([...counts.entries()].filter(([id, n]) => n - 1 > (reclaims.get(id) ?? 0))).toEqual([]);
    expect(counts.size).toBe(outbox.length);
  }
}
