// People and the front of the funnel: users (sales, warehouse, finance; the API authenticates them
// by token hash), accounts and contacts, leads with their merges, the demo enrichment data, the
// response rules that route leads, scores, opportunities and follow-up tasks.
// Ids are strings (prefix + uuid) chosen by the application, so a retried insert can reuse them.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 64).primary();
    t.string('name', 200).notNullable();
    t.string('email', 320).notNullable();
    t.specificType('roles', 'text[]').notNullable().defaultTo('{}');
    t.string('manager_id', 64).references('id').inTable('users');
    t.string('team', 64);
    // sha-256 of the bearer token; the token itself is never stored.
    t.string('token_hash', 128).unique();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team']);
  });
  await knex.raw('create unique index users_email_lower on users (lower(email))');

  await knex.schema.createTable('accounts', (t) => {
    t.string('id', 64).primary();
    t.string('name', 200).notNullable();
    // Normalised name (lower case, no punctuation or legal form) for fuzzy duplicate search.
    t.string('name_key', 200).notNullable();
    t.string('domain', 255).unique();
    t.string('country', 2);
    t.integer('company_size');
    t.string('industry', 100);
    t.string('currency', 3).notNullable().defaultTo('EUR');
    // Null: no credit limit set, orders are not held for credit.
    t.decimal('credit_limit', 18, 2);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['name_key']);
  });

  await knex.schema.createTable('contacts', (t) => {
    t.string('id', 64).primary();
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.string('name', 200).notNullable();
    t.string('email', 320).notNullable();
    t.string('email_normalized', 320).notNullable().unique();
    t.string('phone', 40);
    // Digits with the country calling code, e.g. "+4930123456"; null when no phone was given.
    t.string('phone_normalized', 20);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['phone_normalized']);
    t.index(['account_id']);
  });

  await knex.schema.createTable('leads', (t) => {
    t.string('id', 64).primary();
    // No foreign key: the journey projection may be written after the lead.
    t.string('journey_id', 64).notNullable();
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.string('contact_id', 64).notNullable().references('id').inTable('contacts');
    t.string('source', 32).notNullable();
    t.string('channel', 32).notNullable();
    t.string('name', 200).notNullable();
    t.string('email', 320).notNullable();
    t.string('phone', 40);
    t.string('company', 200);
    t.integer('company_size');
    t.string('industry', 100);
    t.string('country', 2);
    t.string('product_interest', 100);
    t.text('message');
    t.string('duplicate_of', 64).references('id').inTable('leads');
    t.string('owner_id', 64).references('id').inTable('users');
    t.string('team', 64);
    t.string('rule_id', 64);
    t.integer('score');
    t.string('grade', 8);
    t.string('status', 32).notNullable().defaultTo('new');
    t.timestamp('enriched_at', { useTz: true });
    t.timestamp('assigned_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['journey_id']);
    t.index(['contact_id']);
    t.index(['owner_id']);
  });

  await knex.schema.createTable('lead_merges', (t) => {
    t.bigIncrements('id').primary();
    t.string('lead_id', 64).notNullable().references('id').inTable('leads');
    t.string('merged_into', 64).notNullable().references('id').inTable('leads');
    // What matched: email, phone, name_and_company.
    t.string('matched_on', 32).notNullable();
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['lead_id']);
  });

  await knex.schema.createTable('company_profiles', (t) => {
    t.string('domain', 255).primary();
    t.string('name', 200).notNullable();
    t.integer('company_size');
    t.string('industry', 100);
    t.string('country', 2);
    t.decimal('credit_limit', 18, 2);
    t.string('currency', 3).notNullable().defaultTo('EUR');
  });

  await knex.schema.createTable('response_rules', (t) => {
    t.string('id', 64).primary();
    t.string('name', 100).notNullable().unique();
    // Lower runs first; the first rule whose criteria all match wins. Null criteria match anything.
    t.integer('priority').notNullable();
    t.string('country', 2);
    t.integer('min_company_size');
    t.integer('max_company_size');
    t.string('product_interest', 100);
    t.string('team', 64);
    // A fixed owner wins over round robin within the team.
    t.string('owner_id', 64).references('id').inTable('users');
    t.string('template_key', 100);
    t.boolean('active').notNullable().defaultTo(true);
  });

  // One counter row per team, incremented under its row lock: concurrent assignments rotate.
  await knex.schema.createTable('team_rotation', (t) => {
    t.string('team', 64).primary();
    t.bigInteger('counter').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('lead_scores', (t) => {
    t.string('id', 64).primary();
    t.string('lead_id', 64).notNullable().references('id').inTable('leads');
    t.integer('score').notNullable();
    t.integer('fit').notNullable();
    t.integer('engagement').notNullable();
    t.string('grade', 8).notNullable();
    t.decimal('mql_threshold', 10, 2).notNullable();
    t.decimal('sql_threshold', 10, 2).notNullable();
    t.jsonb('factors').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['lead_id']);
  });

  await knex.schema.createTable('opportunities', (t) => {
    t.string('id', 64).primary();
    t.string('lead_id', 64).notNullable().unique().references('id').inTable('leads');
    t.string('journey_id', 64).notNullable();
    t.string('account_id', 64).notNullable().references('id').inTable('accounts');
    t.string('contact_id', 64).notNullable().references('id').inTable('contacts');
    t.string('owner_id', 64).references('id').inTable('users');
    t.string('name', 300).notNullable();
    t.string('status', 32).notNullable().defaultTo('open');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('follow_up_tasks', (t) => {
    t.string('id', 64).primary();
    t.string('opportunity_id', 64).notNullable().references('id').inTable('opportunities');
    t.string('owner_id', 64).references('id').inTable('users');
    t.string('title', 300).notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.string('status', 32).notNullable().defaultTo('open');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['owner_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'follow_up_tasks',
    'opportunities',
    'lead_scores',
    'team_rotation',
    'response_rules',
    'company_profiles',
    'lead_merges',
    'leads',
    'contacts',
    'accounts',
    'users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
