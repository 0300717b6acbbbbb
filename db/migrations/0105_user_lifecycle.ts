// Users change after they are made: roles, manager, active, token. Each change is kept in
// user_changes (who changed what, when), and the hierarchy gets what its checks need: nobody
// manages themselves, and a manager's reports are found by an index.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['manager_id']);
  });
  await knex.raw('alter table users add constraint users_not_own_manager check (manager_id is null or manager_id <> id)');
  await knex.schema.createTable('user_changes', (t) => {
    t.bigIncrements('id');
    t.string('user_id', 64).notNullable().references('id').inTable('users');
    t.string('actor_id', 64).notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // {roles?: {from, to}, managerId?: {from, to}, active?: {from, to}, token?: "rotated"}; never a token.
    t.jsonb('change').notNullable();
    t.index(['user_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_changes');
  await knex.raw('alter table users drop constraint users_not_own_manager');
  await knex.schema.alterTable('users', (t) => {
    t.dropIndex(['manager_id']);
    t.dropColumn('updated_at');
  });
}
