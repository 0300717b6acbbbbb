// An outbox row is claimed with a lease committed before the SMTP send, instead of a row lock held
// across it: a database restart during the send then cannot undo the claim and let another sender
// mail the row again; the sender records the send as soon as the database answers.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    // While in the future, one sender owns the row; after, the sender is presumed dead.
    t.timestamp('claimed_until', { useTz: true });
    // Claims taken over from a sender whose lease ran out: it may have died after the relay
    // accepted, so the receiver may see this Message-ID twice (the one window SMTP leaves open).
    t.integer('reclaims').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    t.dropColumn('claimed_until');
    t.dropColumn('reclaims');
  });
}
