// An email that may be unsubscribed from (the nurture cadence) carries its link in the
// List-Unsubscribe header too, so mail clients offer one-click unsubscribe (RFC 2369, RFC 8058).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    t.string('list_unsubscribe', 2048);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    t.dropColumn('list_unsubscribe');
  });
}
