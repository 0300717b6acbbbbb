// A worker process killed with SIGKILL in the middle of journeys: a new worker finishes them, and
// every business effect happened exactly once (rows and emails counted).
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemo } from '../../db/seed/demo';
import { defaultProcess } from '../../machines/index';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { outboxDrained } from '../helpers/outbox';
import { actors, send, startJourney, uniqueLead, type JourneyHandle } from '../helpers/journeys';
import { connectClient, uniqueTaskQueue } from '../helpers/temporal';
import { demoLines, walk } from '../helpers/walk';
import { killHard, spawnWorkerProcess } from '../helpers/worker';

let t: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectClient>>;
let worker: ChildProcess | undefined;
const taskQueue = uniqueTaskQueue('crash');

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  temporal = await connectClient();
  worker = await spawnWorkerProcess(t.url, taskQueue);
});

afterAll(async () => {
  if (worker) await killHard(worker);
  await temporal?.close();
  await t?.drop();
});

async function restartWorker(afterMs: number): Promise<void> {
  await new Promise((r) => setTimeout(r, afterMs));
  if (worker) await killHard(worker);
  worker = await spawnWorkerProcess(t.url, taskQueue);
}

async function count(table: string, journeyId: string): Promise<number> {
  const [row] = await t.db(table).where({ journey_id: journeyId }).count<{ count: string }[]>('* as count');
  return Number(row?.count ?? 0);
}

describe('a worker killed mid-journey', () => {
  it('is replaced by a new worker that finishes every journey, with each effect once', { timeout: 240_000 }, async () => {
    const leads = [uniqueLead(), uniqueLead(), uniqueLead()];
    const handles: JourneyHandle[] = [];
    for (const lead of leads) handles.push(await startJourney(temporal.client, taskQueue, defaultProcess, lead));

    // Kill while lead capture runs, while quotes are priced and sent, and while orders are made.
    await restartWorker(50);
    await Promise.all(handles.map((h) => walk(h, 'opportunity')));
    const proposals = Promise.all(handles.map((h) => send(h, actors.rep, 'PROPOSE', { lines: demoLines })));
    await restartWorker(30);
    await proposals;
    const accepts = Promise.all(handles.map((h) => walk(h, 'quote_sent').then(() => send(h, actors.rep, 'ACCEPT'))));
    await restartWorker(40);
    await accepts;
    const finals = await Promise.all(handles.map((h) => walk(h)));
    expect(finals.map((f) => f.stage)).toEqual(['closed', 'closed', 'closed']);

    await outboxDrained(
      t.db,
      finals.map((f) => f.journeyId),
    );
    const mailbox = (await (await fetch(`${inject('stack').mailboxUrl}/messages`)).json()) as { to: string[]; subject: string; messageId: string }[];
    for (const [i, final] of finals.entries()) {
      const id = final.journeyId;
      expect(await count('quotes', id)).toBe(1);
      expect(await count('sales_orders', id)).toBe(1);
      expect(await count('invoices', id)).toBe(1);
      expect(await count('payments', id)).toBe(1);
      const shipments = await t.db('shipments').join('sales_orders', 'sales_orders.id', 'shipments.order_id').where('sales_orders.journey_id', id);
      expect(shipments).toHaveLength(1);
      const outbox = await t.db('email_outbox').where({ journey_id: id });
      const kinds = outbox.map((o) => o.kind).sort();
      expect(kinds).toEqual([...new Set(kinds)]);
      expect(kinds).toEqual(expect.arrayContaining(['auto_response', 'quote', 'shipment', 'invoice']));
      const received = mailbox.filter((m) => m.to.includes(leads[i]!.email.toLowerCase()) || m.to.includes(leads[i]!.email));
      // The SMTP server received each of them, and any twice only where a killed sender's claim was
      // taken over (it may have died after the relay accepted): `reclaims` on the row.
      expect(new Set(received.map((m) => m.messageId))).toEqual(new Set(outbox.map((o) => o.message_id)));
      const allowed = outbox.reduce((sum, o) => sum + Number(o.reclaims), 0);
      expect(received.length - outbox.length).toBeLessThanOrEqual(allowed);
    }
  });
});
