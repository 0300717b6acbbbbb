// Columns that could not hold what the API accepts (machines/bounds.ts declares each field's
// limits; tests/api/bounds.test.ts checks every column it names). Values built from several
// fields, or normalised into more characters than were sent, become text.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table contacts alter column phone_normalized type varchar(64)`);
  // The domain of an email address may be nearly as long as the address.
  await knex.raw(`alter table accounts alter column domain type varchar(320)`);
  // NFKD normalisation may turn one character into several ("ﬃ" → "ffi").
  await knex.raw(`alter table accounts alter column name_key type text`);
  // Company (or name) and product interest; a person's name and company.
  await knex.raw(`alter table opportunities alter column name type text`);
  await knex.raw(`alter table follow_up_tasks alter column title type text`);
  await knex.raw(`alter table invoices alter column payment_terms type varchar(64)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`alter table invoices alter column payment_terms type varchar(32)`);
  await knex.raw(`alter table follow_up_tasks alter column title type varchar(300)`);
  await knex.raw(`alter table opportunities alter column name type varchar(300)`);
  await knex.raw(`alter table accounts alter column name_key type varchar(200)`);
  await knex.raw(`alter table accounts alter column domain type varchar(255)`);
  await knex.raw(`alter table contacts alter column phone_normalized type varchar(20)`);
}
