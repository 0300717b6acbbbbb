// Bank statement imports, their lines, the allocations of lines to invoices, and the counterparty
// IBANs learned from confirmed matches.
import type { Knex } from 'knex';

export type BankLineState = 'unmatched' | 'suggested' | 'matched' | 'ignored' | 'reversed';

export interface BankLineRow {
  id: string;
  identity: string;
  import_id: string;
  account: string;
  statement_id: string | null;
  booking_date: string;
  value_date: string | null;
  amount: string;
  currency: string;
  direction: 'credit' | 'debit';
  reversal: boolean;
  bank_reference: string | null;
  end_to_end_id: string | null;
  counterparty_name: string | null;
  counterparty_iban: string | null;
  remittance: string;
  creditor_reference: string | null;
  state: BankLineState;
  candidates: unknown;
  reversed_by: string | null;
  note: string | null;
  decided_by: string | null;
  created_at: Date;
}

export interface BankAllocationRow {
  id: string;
  line_id: string;
  invoice_id: string;
  journey_id: string;
  amount: string;
  currency: string;
  rule: string;
  actor_id: string;
  created_at: Date;
  applied_at: Date | null;
  cancelled_at: Date | null;
  last_error: string | null;
}

export async function lockBankLine(trx: Knex.Transaction, id: string): Promise<BankLineRow | undefined> {
  return (await trx('bank_lines').where({ id }).forUpdate().first()) as BankLineRow | undefined;
}

/** Allocations that count: not cancelled (by a reversal, or a journey that refused the payment). */
export async function activeAllocations(db: Knex, lineIds: string[]): Promise<BankAllocationRow[]> {
  if (lineIds.length === 0) return [];
  return (await db('bank_allocations').whereIn('line_id', lineIds).whereNull('cancelled_at').orderBy('created_at')) as BankAllocationRow[];
}

/** Allocations recorded but not yet confirmed applied by their journey (a crash, a timeout). */
export async function pendingAllocations(db: Knex, lineIds?: string[]): Promise<BankAllocationRow[]> {
  const query = db('bank_allocations').whereNull('applied_at').whereNull('cancelled_at').orderBy('created_at').limit(500);
  if (lineIds) void query.whereIn('line_id', lineIds);
  return (await query) as BankAllocationRow[];
}

export async function learnIban(db: Knex, iban: string | null, accountId: string): Promise<void> {
  if (!iban) return;
  await db('customer_bank_accounts').insert({ iban, account_id: accountId }).onConflict(['iban', 'account_id']).ignore();
}

export async function accountsByIban(db: Knex): Promise<Map<string, string[]>> {
  const rows = (await db('customer_bank_accounts').select('iban', 'account_id')) as { iban: string; account_id: string }[];
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.iban, [...(map.get(r.iban) ?? []), r.account_id]);
  return map;
}
