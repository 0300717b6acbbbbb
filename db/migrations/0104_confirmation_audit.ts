// The role a person acted in, stored with each audit entry (confirmations above all), so the
// record says in which capacity someone confirmed long after the workflow's own state is gone.
// Entries written before this migration keep a null role.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('journey_audit', (t) => {
    t.string('actor_role', 32);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('journey_audit', (t) => {
    t.dropColumn('actor_role');
  });
}
