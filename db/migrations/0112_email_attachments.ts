// An email's attachments (the quote's or invoice's PDF), rendered once and stored with its outbox
// row in the same transaction: a resend after a crash sends the very same bytes.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('email_attachments', (t) => {
    t.string('email_id', 64).notNullable().references('id').inTable('email_outbox').onDelete('CASCADE');
    t.smallint('position').notNullable();
    t.string('filename', 200).notNullable();
    t.string('content_type', 100).notNullable();
    t.binary('content').notNullable();
    t.primary(['email_id', 'position']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('email_attachments');
}
