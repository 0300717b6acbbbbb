// The finance stuck monitor: every stuck journey with its reason, age, amount at risk, owner and
// last error; and bulk actions (retry, cancel, reassign) with a result per journey.
import { z } from 'zod';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { lastErrorOf, lastErrorShape } from '../safeErrors';
import { notFound, toApiError } from '../errors';
import { text, textBounds } from '../../machines/schema/bounds';
import { applyScope, scopeOf, type JourneyRow } from '../scoping';
import { addDuration } from '../../machines/duration';
import { distinct, errors, idSchema, iso, isoDuration, moneySchema, timestamp, type App } from '../schemas';
import { journeysWithStuck, onlyStuck, STUCK_REASONS } from '../stuck';
import { withOwnerName } from './journeys';
import { transition } from './events';
import { assertAssignable, reassign } from '../reassign';

const stuckQuery = z.strictObject({
  reason: z.enum(STUCK_REASONS).optional(),
  olderThan: isoDuration.optional().describe('only journeys stuck for longer than this ISO-8601 duration, e.g. P1D'),
  owner: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const stuckRow = z.object({
  journeyId: z.string(),
  reason: z.enum(STUCK_REASONS),
  since: timestamp,
  ageSeconds: z.number().int(),
  stage: z.string(),
  status: z.string(),
  amount: moneySchema.nullable().describe('amount at risk'),
  owner: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  pendingRole: z.string().nullable().describe('the role a checkpoint waits on'),
  parkedActivity: z.string().nullable(),
  hold: z.string().nullable().describe("why the checkpoint's approval is held, e.g. credit hold: order total … exceeds the account's limit …"),
  ...lastErrorShape,
  lead: z.object({ name: z.string().nullable(), company: z.string().nullable() }),
});

const journeyIds = distinct(z.array(idSchema).min(1).max(100), 'journey ids');
const note = text(textBounds.note).optional();
const actionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('retry'), journeyIds, note }),
  z.strictObject({ action: z.literal('cancel'), journeyIds, note }),
  z.strictObject({ action: z.literal('reassign'), journeyIds, ownerId: idSchema, note }),
]);

const actionResult = z.object({
  journeyId: z.string(),
  ok: z.boolean(),
  status: z.number().int().describe('the HTTP status this journey alone would have answered'),
  stage: z.string().optional(),
  ownerId: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).optional(),
});

type Row = JourneyRow & { stuck_reason: (typeof STUCK_REASONS)[number]; stuck_since: Date; owner_name: string | null; hold_reason: string | null };
type Result = z.infer<typeof actionResult>;

const CONCURRENCY = 8;

export function financeRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  app.get(
    '/v1/finance/stuck',
    {
      config: { roles: ['finance', 'ops', 'admin'] },
      schema: {
        tags: ['finance'],
        summary: 'Stuck journeys, oldest first, with reason, age, amount at risk, owner and last error',
        querystring: stuckQuery,
        response: { 200: z.object({ items: z.array(stuckRow) }), ...errors(400, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const at = now();
      const user = userOf(request);
      const scope = await scopeOf(db, user);
      const query = onlyStuck(applyScope(withOwnerName(db, journeysWithStuck(db, at)), scope), at, q.reason)
        .orderBy([
          { column: 'journeys.stuck_since', order: 'asc' },
          { column: 'journeys.id', order: 'asc' },
        ])
        .limit(q.limit);
      if (q.owner) void query.where('journeys.owner_id', q.owner);
      // The duration's pattern bounds it (some 800 years), so the instant is always a date.
      if (q.olderThan) void query.where('journeys.stuck_since', '<', addDuration(at, q.olderThan, -1).toISOString());
      const rows = (await query) as Row[];
      return {
        items: rows.map((r) => ({
          journeyId: r.id,
          reason: r.stuck_reason,
          since: iso(r.stuck_since) ?? '',
          ageSeconds: Math.max(0, Math.floor((at.getTime() - new Date(r.stuck_since).getTime()) / 1000)),
          stage: r.stage,
          status: r.status,
          amount: r.amount !== null && r.currency ? { amount: r.amount, currency: r.currency } : null,
          owner: r.owner_id ? { id: r.owner_id, name: r.owner_name } : null,
          pendingRole: r.pending_role,
          parkedActivity: r.parked_activity,
          hold: r.hold_reason,
          ...lastErrorOf(r, user.roles),
          lead: { name: r.lead_name, company: r.company },
        })),
      };
    },
  );

  app.post(
    '/v1/finance/stuck/actions',
    {
      config: { roles: ['finance', 'ops', 'admin'] },
      schema: {
        tags: ['finance'],
        summary: 'Retry, cancel or reassign stuck journeys, with a result per journey',
        description:
          "retry sends RETRY, cancel sends CANCEL (each as the caller, so the definition's roles apply); reassign makes ownerId (a sales_rep or sales_manager) the owner.",
        body: actionBody,
        response: {
          200: z.object({ action: z.string(), succeeded: z.number().int(), failed: z.number().int(), results: z.array(actionResult) }),
          ...errors(400, 403),
        },
      },
    },
    async (request) => {
      const user = userOf(request);
      const body = request.body;
      const scope = await scopeOf(db, user);
      if (body.action === 'reassign') await assertAssignable(db, body.ownerId, scope);
      const rows = (await applyScope(db('journeys').whereIn('id', body.journeyIds), scope)) as JourneyRow[];
      const byId = new Map(rows.map((r) => [r.id, r]));

      const act = async (journeyId: string): Promise<Result> => {
        const row = byId.get(journeyId);
        try {
          if (!row) throw notFound(`journey ${journeyId}`);
          if (body.action === 'reassign') {
            const state = await reassign(deps, row.id, user, body.ownerId, body.note);
            return { journeyId, ok: true, status: 200, stage: state.stage, ownerId: body.ownerId };
          }
          const state = await transition(deps, row.id, user, body.action === 'retry' ? 'RETRY' : 'CANCEL', undefined, body.note);
          return { journeyId, ok: true, status: 200, stage: state.stage };
        } catch (error) {
          const mapped = toApiError(error);
          if (!mapped) throw error;
          return {
            journeyId,
            ok: false,
            status: mapped.status,
            error: { code: mapped.code, message: mapped.message, ...(mapped.details === undefined ? {} : { details: mapped.details }) },
          };
        }
      };

      const results: Result[] = new Array(body.journeyIds.length);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, body.journeyIds.length) }, async () => {
          while (next < body.journeyIds.length) {
            const i = next++;
            results[i] = await act(body.journeyIds[i] as string);
          }
        }),
      );
      const succeeded = results.filter((r) => r.ok).length;
      return { action: body.action, succeeded, failed: results.length - succeeded, results };
    },
  );
}
