// Gap-free document numbers (INV-2026-000001): one counter row per series and year, incremented
// in the caller's transaction. The row lock serialises concurrent issuers, and a rolled-back
// transaction gives its number back, so numbers are unique and without gaps.
import type { Knex } from 'knex';

export type Series = 'INV' | 'SO' | 'PO' | 'QUO' | 'CN';

export async function nextDocumentNumber(trx: Knex.Transaction, series: Series, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  const result = await trx.raw<{ rows: { last_number: number }[] }>(
    `insert into document_counters (series, year, last_number) values (?, ?, 1)
     on conflict (series, year) do update set last_number = document_counters.last_number + 1
     returning last_number`,
    [series, year],
  );
  const n = result.rows[0]?.last_number;
  if (n === undefined) throw new Error(`no number for ${series}-${year}`);
  return `${series}-${year}-${String(n).padStart(6, '0')}`;
}
