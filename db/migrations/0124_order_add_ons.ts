// Order add-ons and the credit hold: the suggestions recommendAccessories computed for an order,
// kept with it so the console can offer them; and a hold on the journey projection, so the stuck
// monitor lists journeys whose confirmation waits on finance releasing a credit hold.
import type { Knex } from 'knex';

/** The stuck columns of 0102, with `credit_hold` ranked after a parked activity. */
async function stuckColumns(knex: Knex, withHold: boolean): Promise<void> {
  const hold = (then: string) => (withHold ? `when status <> 'done' and hold_reason is not null then ${then}` : '');
  await knex.raw('drop index if exists journeys_stuck');
  await knex.raw('alter table journeys drop column stuck_kind, drop column stuck_from, drop column stuck_since');
  await knex.raw(`alter table journeys
    add column stuck_kind varchar(32) generated always as (case
      when status = 'parked' then 'activity_failing'
      ${hold("'credit_hold'")}
      when stage = 'collections' then 'payment_overdue'
      when status <> 'done' and sla_due_at is not null and pending_role is not null then 'awaiting_confirmation'
      when status <> 'done' and sla_due_at is not null then 'sla_breached'
    end) stored,
    add column stuck_from timestamptz generated always as (case
      when status = 'parked' then coalesce(parked_since, updated_at)
      ${hold('hold_since')}
      when stage = 'collections' then stage_entered_at
      when status <> 'done' then sla_due_at
    end) stored,
    add column stuck_since timestamptz generated always as (case
      when status = 'parked' then coalesce(parked_since, updated_at)
      ${hold('hold_since')}
      when stage = 'collections' then stage_entered_at
      when pending_role is not null then coalesce(pending_since, stage_entered_at)
      else stage_entered_at
    end) stored`);
  await knex.raw('create index journeys_stuck on journeys (stuck_since, id) where stuck_from is not null');
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('order_suggestions', (t) => {
    t.string('order_id', 64).notNullable().references('id').inTable('sales_orders');
    t.string('sku', 64).notNullable().references('sku').inTable('products');
    t.string('reason', 16).notNullable();
    // The ordered product the suggestion goes with (the accessory's base, the substitute's original).
    t.string('for_sku', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['order_id', 'sku']);
    t.check("reason in ('accessory', 'substitute')", [], 'order_suggestions_reason');
  });
  await knex.schema.alterTable('journeys', (t) => {
    t.text('hold_reason');
    t.timestamp('hold_since', { useTz: true });
  });
  await stuckColumns(knex, true);
}

export async function down(knex: Knex): Promise<void> {
  await stuckColumns(knex, false);
  await knex.schema.alterTable('journeys', (t) => {
    t.dropColumn('hold_reason');
    t.dropColumn('hold_since');
  });
  await knex.schema.dropTable('order_suggestions');
}
