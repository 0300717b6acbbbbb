// Stuck journeys (DESIGN.md section 4), read from the projection only. One reason per journey, the
// most actionable first: a parked activity, then a credit hold, then collections, then an overdue checkpoint, then an
// SLA. The conditions live in stored columns (db/migrations/0102_journeys_stuck.ts, 0124_order_add_ons.ts): a journey is
// stuck while `stuck_from <= now`, for `stuck_kind`, since `stuck_since`.
import type { Knex } from 'knex';
import type { Db } from '../db/connection';

export const STUCK_REASONS = ['sla_breached', 'awaiting_confirmation', 'activity_failing', 'payment_overdue', 'credit_hold'] as const;

/** The projection with a `stuck_reason` column at `now` (null when not stuck), as a subquery aliased `journeys`. */
export function journeysWithStuck(db: Db, now: Date): Knex.QueryBuilder {
  return db.from(
    db('journeys')
      .select('journeys.*', db.raw('(case when journeys.stuck_from <= ?::timestamptz then journeys.stuck_kind end) as stuck_reason', [now.toISOString()]))
      .as('journeys'),
  );
}

/**
 * Keeps the journeys stuck at `now` (for `reason`, when given). Spelled on the stored columns so
 * PostgreSQL reads the journeys_stuck index; filtering on `stuck_reason` would scan the table.
 */
export function onlyStuck(query: Knex.QueryBuilder, now: Date, reason?: string): Knex.QueryBuilder {
  void query.where('journeys.stuck_from', '<=', now.toISOString());
  if (reason) void query.where('journeys.stuck_kind', reason);
  return query;
}

/** Keeps the journeys not stuck at `now`. */
export function notStuck(query: Knex.QueryBuilder, now: Date): Knex.QueryBuilder {
  return query.where((q) => {
    void q.whereNull('journeys.stuck_from').orWhere('journeys.stuck_from', '>', now.toISOString());
  });
}
