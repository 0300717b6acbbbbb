// Which process a new lead starts on (DESIGN.md section 7.2): one routing document (a default key
// and rules, first match wins), replaced as a whole by ops; every version is kept with who saved it.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('process_routing', (t) => {
    t.increments('version');
    // {default: key, rules: [{when: {source?, country?, productInterest?}, key}]}
    t.jsonb('routing').notNullable();
    t.string('saved_by', 64).notNullable();
    t.timestamp('saved_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('process_routing');
}
