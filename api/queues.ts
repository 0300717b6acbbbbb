// Each role's work queue, read from the projection and the records (never from the workflows):
// approvals waiting for a sales manager, orders for the warehouse to pick, pack and ship, invoices
// overdue or due soon for finance, a rep's own journeys waiting on them, and a manager's team's
// stuck journeys. Scoped like the journey list: a rep sees their own, a manager their reports'.
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Db } from '../db/connection';
import { addressSchema } from '../machines/index';
import { rolePermits, type Role } from '../machines/roles';
import type { AuthUser } from './auth';
import { applyScope, type JourneyRow, type Scope } from './scoping';
import { onlyStuck, STUCK_REASONS } from './stuck';
import { iso, moneySchema, timestamp } from './schemas';
import { waitReasonsOf } from './waitFacts';
import { waitReasonSchema } from './waitReason';

export const QUEUES = ['approvals', 'warehouse', 'invoices', 'mine', 'team'] as const;
export type Queue = (typeof QUEUES)[number];

/** Who works each queue (admin may use every one). */
export const QUEUE_ROLES: Record<Queue, Role[]> = {
  approvals: ['sales_manager'],
  warehouse: ['warehouse', 'ops'],
  invoices: ['finance', 'ops'],
  mine: ['sales_rep', 'sales_manager'],
  team: ['sales_manager'],
};

export const queuesOf = (user: AuthUser): Queue[] => QUEUES.filter((q) => rolePermits(user.roles, QUEUE_ROLES[q]));

const orderInQueue = z.strictObject({
  number: z.string(),
  lines: z.array(z.strictObject({ sku: z.string(), name: z.string(), quantity: z.number().int() })),
  picked: z.boolean(),
  packed: z.boolean(),
  shipBy: timestamp.nullable().describe("the fulfilment checkpoint's SLA deadline"),
  shipTo: addressSchema.nullable(),
  shortages: z.array(z.strictObject({ sku: z.string(), quantity: z.number().int(), purchaseOrder: z.string().describe('the purchase order raised for it') })),
});

const invoiceInQueue = z.strictObject({
  number: z.string(),
  dueDate: timestamp,
  amountDue: moneySchema,
  daysOverdue: z.number().int().describe('days past the due date; negative while not yet due'),
  lastReminder: z.strictObject({ level: z.number().int(), sentAt: timestamp }).nullable(),
});

export const queueItemSchema = z.strictObject({
  journeyId: z.string(),
  stage: z.string(),
  status: z.string(),
  lead: z.strictObject({ name: z.string().nullable(), company: z.string().nullable() }),
  owner: z.strictObject({ id: z.string(), name: z.string().nullable() }).nullable(),
  amount: moneySchema.nullable(),
  since: timestamp.describe('since when it waits'),
  waitReason: waitReasonSchema,
  stuck: z
    .strictObject({ reason: z.enum(STUCK_REASONS), since: timestamp })
    .nullable()
    .describe('set when the journey is stuck (DESIGN section 4)'),
  order: orderInQueue.nullable().describe('warehouse: the order to pick, pack and ship'),
  invoice: invoiceInQueue.nullable().describe('invoices: the invoice overdue or due soon'),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export interface QueueOptions {
  limit: number;
  dueWithinDays: number;
}

type Row = JourneyRow & { owner_name: string | null } & Record<string, unknown>;

/** The journeys of a queue, scoped, as a query (selects come after). */
function journeysOf(db: Db, queue: Queue, user: AuthUser, scope: Scope, now: Date, options: QueueOptions): Knex.QueryBuilder {
  const query = applyScope(db('journeys').leftJoin('users as owner', 'owner.id', 'journeys.owner_id'), scope);
  switch (queue) {
    case 'approvals':
      return (
        query
          .where({ 'journeys.pending_role': 'sales_manager', 'journeys.status': 'awaiting_confirmation' })
          // Never the caller's own quote: its author may not approve it (segregation of duties).
          .whereNotExists(db('quotes as q').whereRaw('q.journey_id = journeys.id').where({ 'q.status': 'draft', 'q.author_id': user.id }))
          .orderBy('journeys.pending_since')
      );
    case 'warehouse':
      return query
        .where('journeys.stage', 'fulfilment')
        .whereNot('journeys.status', 'done')
        .orderByRaw('journeys.sla_due_at asc nulls last, journeys.stage_entered_at');
    case 'invoices':
      return query
        .join('invoices as i', 'i.journey_id', 'journeys.id')
        .whereNotIn('i.status', ['paid', 'written_off'])
        .where('i.amount_due', '>', 0)
        .where('i.due_at', '<=', new Date(now.getTime() + options.dueWithinDays * 86_400_000))
        .orderBy('i.due_at');
    case 'mine':
      return query
        .where('journeys.owner_id', user.id)
        .where((w) => void w.whereIn('journeys.pending_role', user.roles).orWhere('journeys.status', 'parked'))
        .whereIn('journeys.status', ['awaiting_confirmation', 'waiting', 'parked'])
        .orderByRaw('coalesce(journeys.pending_since, journeys.stage_entered_at)');
    case 'team':
      return onlyStuck(query, now).orderBy('journeys.stuck_since');
  }
}

export async function countQueue(db: Db, queue: Queue, user: AuthUser, scope: Scope, now: Date): Promise<number> {
  const row = (await journeysOf(db, queue, user, scope, now, { limit: 0, dueWithinDays: 7 }).clearOrder().count({ n: '*' }).first()) as
    { n: string | number } | undefined;
  return Number(row?.n ?? 0);
}

async function ordersOf(db: Db, journeyIds: string[]): Promise<Map<string, z.infer<typeof orderInQueue>>> {
  const [orders, lines, marks, shortages] = await Promise.all([
    db('sales_orders').whereIn('journey_id', journeyIds).where('status', 'open').select('id', 'journey_id', 'number', 'ship_to') as Promise<Row[]>,
    db('sales_order_lines as l')
      .join('sales_orders as o', 'o.id', 'l.order_id')
      .whereIn('o.journey_id', journeyIds)
      .orderBy('l.line_no')
      .select('l.order_id', 'l.sku', 'l.name', 'l.quantity') as Promise<Row[]>,
    // PICKED and PACKED leave the stage as it was: the audit keeps that they happened.
    db('journey_audit')
      .whereIn('journey_id', journeyIds)
      .where('stage', 'fulfilment')
      .whereIn('event', ['PICKED', 'PACKED'])
      .select('journey_id', 'event') as Promise<Row[]>,
    db('purchase_orders as po')
      .join('sales_orders as o', 'o.id', 'po.order_id')
      .whereIn('o.journey_id', journeyIds)
      .where('po.status', 'open')
      .orderBy('po.number')
      .select('po.order_id', 'po.number', 'po.sku', 'po.quantity') as Promise<Row[]>,
  ]);
  const done = new Set(marks.map((m) => `${String(m.journey_id)}:${String(m.event)}`));
  return new Map(
    orders.map((o) => {
      const journeyId = String(o.journey_id);
      const shipTo = addressSchema.safeParse(o.ship_to);
      return [
        journeyId,
        {
          number: String(o.number),
          lines: lines.filter((l) => l.order_id === o.id).map((l) => ({ sku: String(l.sku), name: String(l.name), quantity: Number(l.quantity) })),
          picked: done.has(`${journeyId}:PICKED`),
          packed: done.has(`${journeyId}:PACKED`),
          shipBy: null,
          shipTo: shipTo.success ? shipTo.data : null,
          shortages: shortages
            .filter((p) => p.order_id === o.id)
            .map((p) => ({ sku: String(p.sku), quantity: Number(p.quantity), purchaseOrder: String(p.number) })),
        },
      ];
    }),
  );
}

function invoiceOf(row: Row, now: Date): z.infer<typeof invoiceInQueue> {
  const dueAt = new Date(row.invoice_due_at as Date);
  return {
    number: String(row.invoice_number),
    dueDate: dueAt.toISOString(),
    amountDue: { amount: String(row.invoice_amount_due), currency: String(row.invoice_currency) },
    daysOverdue: Math.floor((now.getTime() - dueAt.getTime()) / 86_400_000),
    lastReminder: row.reminder_level == null ? null : { level: Number(row.reminder_level), sentAt: iso(row.reminder_at as Date) ?? '' },
  };
}

export async function readQueue(db: Db, queue: Queue, user: AuthUser, scope: Scope, now: Date, options: QueueOptions): Promise<QueueItem[]> {
  const query = journeysOf(db, queue, user, scope, now, options).select('journeys.*', 'owner.name as owner_name').limit(options.limit);
  if (queue === 'invoices') {
    const lastNotice = db('dunning_notices as d').whereRaw('d.invoice_id = i.id').orderBy('d.level', 'desc').limit(1);
    void query.select(
      'i.number as invoice_number',
      'i.due_at as invoice_due_at',
      'i.amount_due as invoice_amount_due',
      'i.currency as invoice_currency',
      lastNotice.clone().select('d.level').as('reminder_level'),
      lastNotice.clone().select('d.created_at').as('reminder_at'),
    );
  }
  const rows = (await query) as Row[];
  const ids = rows.map((r) => r.id);
  const [reasons, orders] = await Promise.all([waitReasonsOf(db, rows, now), queue === 'warehouse' ? ordersOf(db, ids) : Promise.resolve(new Map())]);
  return rows.flatMap((row) => {
    const waitReason = reasons.get(row.id);
    if (!waitReason) return [];
    const order = orders.get(row.id);
    return [
      {
        journeyId: row.id,
        stage: row.stage,
        status: row.status,
        lead: { name: row.lead_name, company: row.company },
        owner: row.owner_id ? { id: row.owner_id, name: row.owner_name } : null,
        amount: row.amount !== null && row.currency ? { amount: row.amount, currency: row.currency } : null,
        since: iso(row.pending_since ?? row.stage_entered_at) ?? '',
        waitReason,
        stuck:
          row.stuck_from && new Date(row.stuck_from as Date) <= now && row.stuck_kind
            ? { reason: row.stuck_kind as (typeof STUCK_REASONS)[number], since: iso(row.stuck_since as Date) ?? '' }
            : null,
        order: order ? { ...order, shipBy: iso(row.sla_due_at) } : null,
        invoice: queue === 'invoices' ? invoiceOf(row, now) : null,
      },
    ];
  });
}
