// Idempotency records: the first result of each (journey, step), written in the effect's transaction.
import type { Knex } from 'knex';

export interface ActivityResultRow {
  journey_id: string;
  step: string;
  activity: string;
  result: unknown;
  created_at: Date;
}

/**
 * Serialises attempts of one step: a second attempt running at the same time (a timed-out attempt
 * still alive) waits here, then finds the first one's result.
 */
export async function lockStep(trx: Knex.Transaction, journeyId: string, step: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [JSON.stringify(['step', journeyId, step])]);
}

export async function findStepResult(trx: Knex.Transaction, journeyId: string, step: string): Promise<ActivityResultRow | undefined> {
  return (await trx('activity_results').where({ journey_id: journeyId, step }).first()) as ActivityResultRow | undefined;
}

export async function saveStepResult(trx: Knex.Transaction, row: { journeyId: string; step: string; activity: string; result: unknown }): Promise<void> {
  await trx('activity_results').insert({ journey_id: row.journeyId, step: row.step, activity: row.activity, result: JSON.stringify(row.result) });
}
