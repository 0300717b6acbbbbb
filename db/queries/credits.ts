// Customer credit and its uses: an over-payment's credit is consumed oldest first, by the account's
// next invoice in its currency or by a refund's credit note. Callers lock the open credits first,
// so two uses of one account's credit take turns and never spend the same cents twice.
import type { Knex } from 'knex';
import { formatCents, minCents, toCents } from '../money';

export interface CreditRow {
  id: string;
  account_id: string;
  payment_id: string;
  invoice_id: string;
  amount: string;
  remaining: string;
  currency: string;
  created_at: Date;
}

export interface CreditNoteRow {
  id: string;
  number: string;
  account_id: string;
  amount: string;
  currency: string;
  reason: string;
  created_by: string;
  created_at: Date;
}

export interface CreditUseRow {
  credit_id: string;
  invoice_id: string | null;
  credit_note_id: string | null;
  amount: string;
  currency: string;
  created_at: Date;
}

/** The account's credits in a currency with something left, oldest first, locked until the transaction ends. */
export async function lockOpenCredits(trx: Knex.Transaction, accountId: string, currency: string): Promise<CreditRow[]> {
  return (await trx('customer_credits')
    .where({ account_id: accountId, currency })
    .where('remaining', '>', 0)
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .forUpdate()) as CreditRow[];
}

export const creditLeft = (credits: Pick<CreditRow, 'remaining'>[]): bigint => credits.reduce((sum, c) => sum + toCents(c.remaining), 0n);

/**
 * Consumes up to `cents` from the locked credits, oldest first, as use rows for the invoice or the
 * credit note; answers each credit used with the amount taken from it.
 */
export async function consumeCredits(
  trx: Knex.Transaction,
  credits: CreditRow[],
  cents: bigint,
  target: { invoiceId: string } | { creditNoteId: string },
  at: Date,
): Promise<{ credit: CreditRow; cents: bigint }[]> {
  const used: { credit: CreditRow; cents: bigint }[] = [];
  let left = cents;
  for (const credit of credits) {
    if (left <= 0n) break;
    const take = minCents(left, toCents(credit.remaining));
    if (take <= 0n) continue;
    await trx('credit_uses').insert({
      credit_id: credit.id,
      invoice_id: 'invoiceId' in target ? target.invoiceId : null,
      credit_note_id: 'creditNoteId' in target ? target.creditNoteId : null,
      amount: formatCents(take),
      currency: credit.currency,
      created_at: at,
    });
    await trx('customer_credits')
      .where({ id: credit.id })
      .update({ remaining: formatCents(toCents(credit.remaining) - take) });
    used.push({ credit, cents: take });
    left -= take;
  }
  return used;
}

export async function findCreditNote(db: Knex, id: string): Promise<CreditNoteRow | undefined> {
  return (await db('credit_notes').where({ id }).first()) as CreditNoteRow | undefined;
}

export async function insertCreditNote(trx: Knex.Transaction, note: CreditNoteRow): Promise<void> {
  await trx('credit_notes').insert(note);
}

/** Everything about an account's credit: its credits, their uses, its credit notes. */
export async function accountCredits(db: Knex, accountId: string): Promise<{ credits: CreditRow[]; uses: CreditUseRow[]; notes: CreditNoteRow[] }> {
  const [credits, uses, notes] = await Promise.all([
    db('customer_credits')
      .where({ account_id: accountId })
      .orderBy([{ column: 'created_at' }, { column: 'id' }]) as Promise<CreditRow[]>,
    db('credit_uses')
      .join('customer_credits', 'customer_credits.id', 'credit_uses.credit_id')
      .where('customer_credits.account_id', accountId)
      .orderBy('credit_uses.id')
      .select('credit_uses.*') as Promise<CreditUseRow[]>,
    db('credit_notes')
      .where({ account_id: accountId })
      .orderBy([{ column: 'created_at' }, { column: 'number' }]) as Promise<CreditNoteRow[]>,
  ]);
  return { credits, uses, notes };
}

/** The `limit` accounts whose credit came last (used or not), with what is left per currency. */
export async function accountsWithCredit(
  db: Knex,
  limit: number,
): Promise<{ account_id: string; account_name: string; currency: string; available: string; last_credit_at: Date }[]> {
  const latest = db('customer_credits')
    .groupBy('account_id')
    .select('account_id', db.raw('max(created_at) as last_credit_at'))
    .orderBy([{ column: 'last_credit_at', order: 'desc' }, { column: 'account_id' }])
    .limit(limit)
    .as('latest');
  return (await db
    .from(latest)
    .join('customer_credits', 'customer_credits.account_id', 'latest.account_id')
    .join('accounts', 'accounts.id', 'latest.account_id')
    .groupBy('latest.account_id', 'latest.last_credit_at', 'accounts.name', 'customer_credits.currency')
    .select(
      'latest.account_id',
      'accounts.name as account_name',
      'customer_credits.currency',
      db.raw('sum(customer_credits.remaining)::text as available'),
      'latest.last_credit_at',
    )
    .orderBy([{ column: 'latest.last_credit_at', order: 'desc' }, { column: 'latest.account_id' }, { column: 'customer_credits.currency' }])) as {
    account_id: string;
    account_name: string;
    currency: string;
    available: string;
    last_credit_at: Date;
  }[];
}
