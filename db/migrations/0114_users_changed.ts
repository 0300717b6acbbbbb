// Every change to `users` (a deactivation, a token rotation, new roles or a new manager) is
// announced on the channel `users_changed`, so each API process drops its cached sign-ins and
// scopes at once (api/userCache.ts). One notice per statement, sent when the transaction commits.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function notify_users_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('users_changed', '');
      return null;
    end $$`);
  await knex.raw(`
    create trigger users_changed after insert or update or delete or truncate on users
    for each statement execute function notify_users_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger users_changed on users');
  await knex.raw('drop function notify_users_changed()');
}
