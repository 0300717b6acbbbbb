// The work queues (api/queues.ts): one list per queue, and the counts the console's navigation shows.
import { z } from 'zod';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { forbidden } from '../errors';
import { countQueue, QUEUE_ROLES, queueItemSchema, QUEUES, queuesOf, readQueue } from '../queues';
import { scopeOf } from '../scoping';
import { errors, type App } from '../schemas';

const queueParams = z.strictObject({
  queue: z.enum(QUEUES).describe("approvals (sales managers), warehouse, invoices (finance), mine (sales reps), team (a manager's stuck journeys)"),
});
const queueQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  // Digits only: an empty value is no number of days (a coerced '' would read as 0).
  dueWithinDays: z
    .string()
    .regex(/^(?:[0-9]|[1-9][0-9]|[12][0-9]{2}|3[0-5][0-9]|36[0-5])$/, 'a whole number of days from 0 to 365')
    .default('7')
    .transform(Number)
    .describe('invoices: also those falling due within this many days, 0 to 365 (overdue ones are always listed)'),
});

export function queueRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  app.get(
    '/v1/queues',
    {
      schema: {
        tags: ['queues'],
        summary: "The caller's work queues with how many items wait in each",
        response: { 200: z.strictObject({ items: z.array(z.strictObject({ queue: z.enum(QUEUES), count: z.number().int() })) }) },
      },
    },
    async (request) => {
      const user = userOf(request);
      const scope = await scopeOf(db, user);
      const at = now();
      return { items: await Promise.all(queuesOf(user).map(async (queue) => ({ queue, count: await countQueue(db, queue, user, scope, at) }))) };
    },
  );

  app.get(
    '/v1/queues/:queue',
    {
      schema: {
        tags: ['queues'],
        summary: 'One work queue, oldest wait first, each item with why it waits',
        description:
          'approvals: checkpoints waiting for a sales manager (sales_manager); warehouse: orders in fulfilment with lines, picked/packed, ship-by, ship-to and shortages (warehouse, ops); ' +
          'invoices: unpaid invoices overdue or due within dueWithinDays days, with the last reminder (finance, ops); mine: the caller’s own journeys waiting on them (sales_rep, sales_manager); team: the stuck journeys of a manager’s reports, with the reason (sales_manager). ' +
          'Scoped like GET /v1/journeys; admin may read every queue.',
        params: queueParams,
        querystring: queueQuery,
        response: { 200: z.strictObject({ queue: z.enum(QUEUES), items: z.array(queueItemSchema) }), ...errors(400, 403) },
      },
    },
    async (request) => {
      const user = userOf(request);
      const { queue } = request.params;
      if (!queuesOf(user).includes(queue)) {
        throw forbidden(`the ${queue} queue needs one of the roles ${QUEUE_ROLES[queue].join(', ')}`, { requiredRoles: QUEUE_ROLES[queue] });
      }
      const items = await readQueue(db, queue, user, await scopeOf(db, user), now(), request.query);
      return { queue, items };
    },
  );
}
