// Response rules and email templates edited by ops: every saved version is kept with who saved it
// and when. response_rules and email_templates stay the current state the activities read; these
// tables are the history, and the latest version number is what a stale edit is checked against.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('response_rule_versions', (t) => {
    t.increments('version');
    // The ordered list as the API shows it: [{name, when, team?, ownerId?, templateKey?}]
    t.jsonb('rules').notNullable();
    t.string('saved_by', 64).notNullable();
    t.timestamp('saved_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.alterTable('email_templates', (t) => {
    // 0: as seeded (or built in); each save by ops adds one.
    t.integer('version').notNullable().defaultTo(0);
    t.string('saved_by', 64);
  });
  await knex.schema.createTable('email_template_versions', (t) => {
    t.string('key', 100).notNullable();
    t.integer('version').notNullable();
    t.string('subject', 300).notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    // Null for the seeded version 0.
    t.string('saved_by', 64);
    t.timestamp('saved_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['key', 'version']);
  });
  await knex.schema.alterTable('email_outbox', (t) => {
    // The template version the email was rendered with (its text is kept on the row itself).
    t.integer('template_version');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('email_outbox', (t) => {
    t.dropColumn('template_version');
  });
  await knex.schema.dropTableIfExists('email_template_versions');
  await knex.schema.alterTable('email_templates', (t) => {
    t.dropColumn('version');
    t.dropColumn('saved_by');
  });
  await knex.schema.dropTableIfExists('response_rule_versions');
}
