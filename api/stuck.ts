// Stuck journeys (DESIGN.md section 4), read from the projection only. One reason per journey, the
// most actionable first: a parked activity, then collections, then an overdue checkpoint, then an SLA.
import type { Knex } from 'knex';
import type { Db } from '../db/connection';

export const STUCK_REASONS = ['sla_breached', 'awaiting_confirmation', 'activity_failing', 'payment_overdue'] as const;

/** Why a `journeys` row is stuck at the bound time (bound twice), or null. */
const REASON = `case
  when journeys.status = 'parked' then 'activity_failing'
  when journeys.stage = 'collections' then 'payment_overdue'
  when journeys.status <> 'done' and journeys.pending_role is not null and journeys.sla_due_at < ?::timestamptz then 'awaiting_confirmation'
  when journeys.status <> 'done' and journeys.pending_role is null and journeys.sla_due_at < ?::timestamptz then 'sla_breached'
end`;

/** When the condition behind the reason began (age = now - since). */
const SINCE = `case
  when journeys.status = 'parked' then coalesce(journeys.parked_since, journeys.updated_at)
  when journeys.stage = 'collections' then journeys.stage_entered_at
  when journeys.pending_role is not null then coalesce(journeys.pending_since, journeys.stage_entered_at)
  else journeys.stage_entered_at
end`;

/** The projection with `stuck_reason` and `stuck_since` columns, as a subquery aliased `journeys`. */
export function journeysWithStuck(db: Db, now: Date): Knex.QueryBuilder {
  const iso = now.toISOString();
  return db.from(
    db('journeys')
      .select('journeys.*', db.raw(`(${REASON}) as stuck_reason`, [iso, iso]), db.raw(`(${SINCE}) as stuck_since`))
      .as('journeys'),
  );
}
