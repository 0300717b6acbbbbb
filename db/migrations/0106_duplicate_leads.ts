// Which inquiry of a person gets the auto-response is decided at capture, under the capture lock,
// and stored on the lead: the activity that sends it may run in any order across journeys, so
// deciding there (by looking for an email already sent) let simultaneous twins both answer.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('leads', (t) => {
    // When this lead was granted the contact's auto-response; null: a repeat within the day.
    t.timestamp('auto_response_at', { useTz: true });
    t.index(['contact_id', 'auto_response_at']);
  });
  // Leads captured before: originals were answered, duplicates were not (within their day).
  await knex('leads')
    .whereNull('duplicate_of')
    .update({ auto_response_at: knex.ref('created_at') });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('leads', (t) => {
    t.dropIndex(['contact_id', 'auto_response_at']);
    t.dropColumn('auto_response_at');
  });
}
