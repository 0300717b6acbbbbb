// The stuck condition as stored columns, so the stuck monitor reads an index instead of computing
// a CASE over every projection row. Only the SLA depends on the clock, and it does so through one
// instant: a journey is stuck exactly while `stuck_from <= now`, for the reason `stuck_kind`, and
// the monitor lists it by `stuck_since` (oldest first). Kept in step with api/stuck.ts.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table journeys
    add column stuck_kind varchar(32) generated always as (case
      when status = 'parked' then 'activity_failing'
      when stage = 'collections' then 'payment_overdue'
      when status <> 'done' and sla_due_at is not null and pending_role is not null then 'awaiting_confirmation'
      when status <> 'done' and sla_due_at is not null then 'sla_breached'
    end) stored,
    add column stuck_from timestamptz generated always as (case
      when status = 'parked' then coalesce(parked_since, updated_at)
      when stage = 'collections' then stage_entered_at
      when status <> 'done' then sla_due_at
    end) stored,
    add column stuck_since timestamptz generated always as (case
      when status = 'parked' then coalesce(parked_since, updated_at)
      when stage = 'collections' then stage_entered_at
      when pending_role is not null then coalesce(pending_since, stage_entered_at)
      else stage_entered_at
    end) stored`);
  // Oldest first with the limit read straight off the index; rows not yet due are filtered out.
  await knex.raw('create index journeys_stuck on journeys (stuck_since, id) where stuck_from is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists journeys_stuck');
  await knex.raw('alter table journeys drop column stuck_kind, drop column stuck_from, drop column stuck_since');
}
