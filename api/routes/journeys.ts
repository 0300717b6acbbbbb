// Journeys as people see them: the scoped list (filters, cursor pagination) from the projection,
// the 360 view that merges the projection, documents, notifications, the audit timeline and the
// workflow's live state (allowed events for the caller, pending checkpoint, parked activity), and
// handing a journey to another owner. The 360 view is a strict schema: only the fields it declares
// leave the API, never the workflow's internal context.
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { journeyAddresses, journeyAddressesSchema } from '../addresses';
import { userOf } from '../auth';
import { assertAssignable, reassign } from '../reassign';
import type { ApiDeps } from '../deps';
import { documentsOf, documentsSchema, leadOf, leadSchema, notificationSchema, notificationsOf, timelineEntrySchema, timelineOf } from '../documents';
import { badRequest, notFound } from '../errors';
import { liveState, workflowIdOf } from '../journeyClient';
import { whereSearchMatches } from '../journeySearch';
import { pricingOf, pricingSchema } from '../pricingOf';
import { applyScope, scopeOf, type JourneyRow } from '../scoping';
import { errors, idSchema, iso, journeyParams, moneySchema, timestamp, type App } from '../schemas';
import { lastErrorOf, lastErrorShape, safeParked, safeTimelineDetail } from '../safeErrors';
import { parkedSchema, pendingCheckpointSchema } from '../../machines/schema/journeyState';
import { journeysWithStuck, notStuck, onlyStuck, STUCK_REASONS } from '../stuck';
import { waitReasonsOf } from '../waitFacts';
import { waitReasonSchema } from '../waitReason';

type StuckRow = JourneyRow & { stuck_reason: string | null; stuck_since: Date | null; owner_name?: string | null; hold_reason?: string | null };

const ownerSchema = z.strictObject({ id: z.string(), name: z.string().nullable() }).nullable();
const stuckSchema = z
  .strictObject({
    reason: z.enum(STUCK_REASONS),
    since: timestamp,
    hold: z.string().nullable().describe('for credit_hold: the reason, e.g. "credit hold: order total … exceeds the account\'s limit …"'),
    ...lastErrorShape,
  })
  .nullable();

const journeySummary = z.strictObject({
  id: z.string(),
  stage: z.string(),
  status: z.string(),
  definition: z.strictObject({ key: z.string(), version: z.number().int() }),
  owner: ownerSchema,
  lead: z.strictObject({ name: z.string().nullable(), email: z.string().nullable(), company: z.string().nullable() }),
  amount: moneySchema.nullable(),
  stageEnteredAt: timestamp,
  pendingRole: z.string().nullable(),
  stuck: stuckSchema,
  createdAt: timestamp,
});

const listQuery = z.strictObject({
  stage: z.string().min(1).max(64).optional(),
  status: z.string().min(1).max(32).optional(),
  owner: z
    .union([z.literal('me'), idSchema])
    .optional()
    .describe('a user id, or "me"'),
  stuck: z
    .enum(['true', 'false', ...STUCK_REASONS])
    .optional()
    .describe('true, false, or one reason'),
  q: z.string().min(1).max(200).optional().describe('search lead name, email or company, order or invoice number, payment reference (RF or as paid)'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'a nextCursor this API gave')
    .optional()
    .describe('nextCursor of the previous page (base64url)'),
});

const journeyDetail = z.strictObject({
  ...journeySummary.shape,
  lead: leadSchema.nullable(),
  leadSummary: z.strictObject({ name: z.string().nullable(), email: z.string().nullable(), company: z.string().nullable() }),
  addresses: journeyAddressesSchema.nullable(),
  allowedEvents: z.array(z.string()).describe('events the caller may send now'),
  pendingCheckpoint: pendingCheckpointSchema.nullable(),
  parked: parkedSchema.nullable(),
  live: z.boolean().describe('false when the workflow did not answer; projection data only'),
  documents: documentsSchema,
  pricing: pricingSchema,
  notifications: z.array(notificationSchema),
  timeline: z.array(timelineEntrySchema),
  temporalUrl: z.string().nullable().describe('the workflow in Temporal’s UI, for ops and admin; null for others or without a UI'),
  waitReason: waitReasonSchema.nullable().describe('why the journey waits, in business terms, and what happens next; null when unknown'),
});

function summary(row: StuckRow, roles: readonly string[]) {
  return {
    id: row.id,
    stage: row.stage,
    status: row.status,
    definition: { key: row.definition_key, version: Number(row.definition_version) },
    owner: row.owner_id ? { id: row.owner_id, name: row.owner_name ?? null } : null,
    lead: { name: row.lead_name, email: row.lead_email, company: row.company },
    amount: row.amount !== null && row.currency ? { amount: row.amount, currency: row.currency } : null,
    stageEnteredAt: iso(row.stage_entered_at) ?? '',
    pendingRole: row.pending_role,
    stuck: row.stuck_reason
      ? {
          reason: row.stuck_reason as (typeof STUCK_REASONS)[number],
          since: iso(row.stuck_since) ?? '',
          hold: row.stuck_reason === 'credit_hold' ? (row.hold_reason ?? null) : null,
          ...lastErrorOf(row, roles),
        }
      : null,
    createdAt: iso(row.created_at) ?? '',
  };
}

/** Cursor: the last row's created_at in microseconds since the epoch and its id. */
function encodeCursor(row: { created_us: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.created_us, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && /^\d{1,20}$/.test(String(value[0])) && typeof value[1] === 'string' && value[1].length <= 64) {
      return [String(value[0]), value[1]];
    }
  } catch {
    // fall through to the refusal
  }
  throw badRequest('the cursor is not valid; use nextCursor from a previous page', [{ path: 'querystring.cursor', message: 'is not a cursor this API gave' }]);
}

async function ownerOf(db: Db, id: string | null): Promise<z.infer<typeof ownerSchema>> {
  if (!id) return null;
  const user = (await db('users').where({ id }).first('name')) as { name: string } | undefined;
  return { id, name: user?.name ?? null };
}

const ownerBody = z.strictObject({
  ownerId: idSchema.describe('an active user holding sales_rep or sales_manager'),
  note: z.string().max(2000).optional(),
});

export function withOwnerName(db: Db, query: ReturnType<typeof journeysWithStuck>) {
  return query.leftJoin('users as owner', 'owner.id', 'journeys.owner_id').select('journeys.*', 'owner.name as owner_name');
}

export function journeyRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  app.get(
    '/v1/journeys',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Journeys the caller may see, newest first',
        querystring: listQuery,
        response: { 200: z.strictObject({ items: z.array(journeySummary), nextCursor: z.string().nullable() }), ...errors(400) },
      },
    },
    async (request) => {
      const user = userOf(request);
      const q = request.query;
      const scope = await scopeOf(db, user);
      const at = now();
      const query = applyScope(withOwnerName(db, journeysWithStuck(db, at)), scope)
        .select(db.raw(`(extract(epoch from journeys.created_at) * 1000000)::bigint::text as created_us`))
        .orderBy([
          { column: 'journeys.created_at', order: 'desc' },
          { column: 'journeys.id', order: 'desc' },
        ])
        .limit(q.limit + 1);
      if (q.stage) void query.where('journeys.stage', q.stage);
      if (q.status) void query.where('journeys.status', q.status);
      if (q.owner) void query.where('journeys.owner_id', q.owner === 'me' ? user.id : q.owner);
      if (q.stuck === 'true') onlyStuck(query, at);
      else if (q.stuck === 'false') notStuck(query, at);
      else if (q.stuck) onlyStuck(query, at, q.stuck);
      if (q.q) whereSearchMatches(query, q.q);
      if (q.cursor) {
        const [micros, id] = decodeCursor(q.cursor);
        void query.whereRaw(`(journeys.created_at, journeys.id) < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?)`, [micros, id]);
      }
      const rows = (await query) as (StuckRow & { created_us: string })[];
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return { items: page.map((row) => summary(row, user.roles)), nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
    },
  );

  app.get(
    '/v1/journeys/:id',
    {
      schema: {
        tags: ['journeys'],
        summary: 'The journey 360: projection, documents, notifications, timeline and live state',
        params: journeyParams,
        response: { 200: journeyDetail, ...errors(400, 404) },
      },
    },
    async (request) => {
      const user = userOf(request);
      const scope = await scopeOf(db, user);
      const row = (await applyScope(withOwnerName(db, journeysWithStuck(db, now())), scope)
        .where('journeys.id', request.params.id)
        .first()) as StuckRow | undefined;
      if (!row) throw notFound(`journey ${request.params.id}`);
      const [lead, addresses, documents, pricing, notifications, timeline, live] = await Promise.all([
        leadOf(db, row.id),
        journeyAddresses(db, row.id),
        documentsOf(db, row.id),
        pricingOf(db, row.id),
        notificationsOf(db, row.id),
        timelineOf(db, row.id),
        liveState(deps, row.id, user.roles).catch((error: unknown) => {
          request.log.warn({ err: error, journeyId: row.id }, 'live state unavailable; answering from the projection');
          return null;
        }),
      ]);
      // Explained from the live stage when there is one: the projection follows it by an activity.
      const current = live ? { ...row, stage: live.stage, status: live.status, pending_role: live.pendingCheckpoint?.role ?? row.pending_role } : row;
      const reasons = await waitReasonsOf(db, [current], now());
      const base = summary(row, user.roles);
      // The live owner is newer than the projection's too (a reassignment just made).
      const owner = live && live.ownerId !== row.owner_id ? await ownerOf(db, live.ownerId) : base.owner;
      const namespace = deps.temporal.options.namespace;
      return {
        ...base,
        // The live state is newer than the projection, which is written right after it.
        ...(live ? { stage: live.stage, status: live.status, amount: live.amount ?? base.amount } : {}),
        owner,
        lead,
        leadSummary: base.lead,
        addresses,
        allowedEvents: live?.allowedEvents ?? [],
        // Without the live state the projection's pendingRole (in the summary) is what is known.
        pendingCheckpoint: live?.pendingCheckpoint ?? null,
        parked: safeParked(live?.parked ?? null, user.roles),
        live: live !== null,
        documents,
        pricing,
        notifications,
        timeline: timeline.map((entry) => ({ ...entry, detail: safeTimelineDetail(entry.type, entry.detail, user.roles) })),
        // The workflow's page in Temporal's UI is for those who run the engine.
        temporalUrl:
          deps.temporalUiUrl && user.roles.some((r) => r === 'ops' || r === 'admin')
            ? `${deps.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(row.workflow_id || workflowIdOf(row.id))}`
            : null,
        waitReason: reasons.get(row.id) ?? null,
      };
    },
  );

  app.put(
    '/v1/journeys/:id/owner',
    {
      config: { roles: ['ops', 'sales_manager'] },
      schema: {
        tags: ['journeys'],
        summary: 'Hand the journey to another owner',
        description:
          'ops and admin for any journey; a sales_manager for journeys of their reports (and their own), to themselves or a report. The new owner must hold sales_rep or sales_manager. Recorded on the timeline as REASSIGN.',
        params: journeyParams,
        body: ownerBody,
        response: { 200: z.strictObject({ journeyId: z.string(), stage: z.string(), owner: ownerSchema.unwrap() }), ...errors(400, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const user = userOf(request);
      const scope = await scopeOf(db, user);
      const row = (await applyScope(db('journeys'), scope).where('journeys.id', request.params.id).first('id')) as { id: string } | undefined;
      if (!row) throw notFound(`journey ${request.params.id}`);
      const owner = await assertAssignable(db, request.body.ownerId, scope);
      const state = await reassign(deps, row.id, user, owner.id, request.body.note);
      return { journeyId: row.id, stage: state.stage, owner: { id: owner.id, name: owner.name } };
    },
  );
}
