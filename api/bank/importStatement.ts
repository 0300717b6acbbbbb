// Importing a bank statement: parse (camt.053 or a CSV profile), record each line once (its
// identity is unique: a line seen before, in this file or an overlapping one, counts as a
// duplicate and changes nothing), match new credit lines, undo what reversed lines allocated, then
// send the allocations to their journeys.
import type { Knex } from 'knex';
import { newId } from '../../db/ids';
import { formatCents, toCents } from '../../db/money';
import { accountsByIban, learnIban, type BankLineRow } from '../../db/queries/bank';
import type { AuthUser } from '../auth';
import type { ApiDeps } from '../deps';
import { applyPending } from './applyAllocations';
import { InvoiceIndex, type Candidate, type InvoiceForMatching } from './matcher';
import { lineIdentities } from './lineIdentity';
import type { ParsedStatement, StatementLine } from './statement';

export interface ImportResult {
  importId: string;
  lines: number;
  matched: number;
  suggested: number;
  unmatched: number;
  duplicates: number;
  warnings: string[];
}

async function openInvoices(db: Knex, currencies: string[]): Promise<InvoiceForMatching[]> {
  const rows = (await db('invoices').whereIn('currency', currencies).select('id', 'number', 'payment_reference', 'account_id', 'journey_id', 'currency', 'amount_due', 'issued_at')) as {
    id: string; number: string; payment_reference: string | null; account_id: string; journey_id: string; currency: string; amount_due: string; issued_at: Date;
  }[];
  return rows.map((r) => ({ id: r.id, number: r.number, paymentReference: r.payment_reference, accountId: r.account_id, journeyId: r.journey_id, currency: r.currency, due: toCents(r.amount_due), issuedAt: new Date(r.issued_at) }));
}

function lineRow(line: StatementLine, id: string, identity: string, importId: string) {
  return {
    id,
    identity,
    import_id: importId,
    account: line.account.slice(0, 64),
    statement_id: line.statementId?.slice(0, 100) ?? null,
    booking_date: line.bookingDate,
    value_date: line.valueDate,
    amount: line.amount,
    currency: line.currency,
    direction: line.direction,
    reversal: line.reversal,
    bank_reference: line.bankReference?.slice(0, 100) ?? null,
    end_to_end_id: line.endToEndId?.slice(0, 100) ?? null,
    counterparty_name: line.counterpartyName?.slice(0, 200) ?? null,
    counterparty_iban: line.counterpartyIban?.slice(0, 34) ?? null,
    remittance: line.remittance,
    creditor_reference: line.creditorReference?.slice(0, 35) ?? null,
    state: 'unmatched',
  };
}

/**
 * A reversal undoes the line it reverses (same account and amount, the other direction, the same
 * end-to-end id when there is one): the original line is `reversed` and its allocations not yet
 * applied are cancelled. A payment a journey already took cannot be taken back by the process (it
 * has no event for it), so the reversal waits in finance's queue naming the invoices it reopens
 * (`reverses` in the line view); finance settles it with the customer and ignores it with a note.
 */
async function reverse(trx: Knex.Transaction, reversal: BankLineRow): Promise<{ state: BankLineRow['state']; candidates: Candidate[]; note: string }> {
  const original = (await trx('bank_lines')
    .where({ account: reversal.account, amount: reversal.amount, currency: reversal.currency, reversal: false })
    .whereNot({ direction: reversal.direction })
    .whereNot({ id: reversal.id })
    .whereNull('reversed_by')
    .modify((q) => {
      if (reversal.end_to_end_id) void q.where({ end_to_end_id: reversal.end_to_end_id });
    })
    .orderBy('booking_date', 'desc')
    .forUpdate()
    .first()) as BankLineRow | undefined;
  if (!original) return { state: 'unmatched', candidates: [], note: 'a reversal whose original line is not among the imported lines' };
  await trx('bank_lines').where({ id: original.id }).update({ state: 'reversed', reversed_by: reversal.id });
  await trx('bank_allocations').where({ line_id: original.id }).whereNull('applied_at').whereNull('cancelled_at').update({ cancelled_at: trx.fn.now(), last_error: `reversed by bank line ${reversal.id}` });
  const applied = (await trx('bank_allocations').join('invoices', 'invoices.id', 'bank_allocations.invoice_id').where({ line_id: original.id }).whereNotNull('applied_at').whereNull('cancelled_at')
    .select('invoices.id', 'invoices.number', 'invoices.amount_due', 'invoices.currency', 'bank_allocations.amount')) as { id: string; number: string; amount_due: string; currency: string; amount: string }[];
  if (applied.length === 0) return { state: 'reversed', candidates: [], note: `reverses bank line ${original.id}; nothing of it had been applied` };
  return {
    state: 'unmatched',
    candidates: applied.map((a) => ({ invoiceId: a.id, number: a.number, amountDue: a.amount_due, currency: a.currency, reasons: [`reverses bank line ${original.id}, whose ${formatCents(toCents(a.amount))} ${a.currency} invoice ${a.number}'s journey already took: the invoice is unpaid again by that much; settle it with the customer, then ignore this line with a note`] })),
    note: `reverses bank line ${original.id}, already paid into ${applied.map((a) => a.number).join(', ')}`,
  };
}

export async function importStatement(deps: ApiDeps, parsed: ParsedStatement, user: AuthUser): Promise<ImportResult> {
  const { db } = deps;
  // Allocations a crash left pending go first, with their own ids.
  await applyPending(deps, user);
  const identities = lineIdentities(parsed.lines);
  const importId = newId('bimp');
  const newLineIds: string[] = [];

  await db.transaction(async (trx) => {
    await trx('bank_imports').insert({ id: importId, format: parsed.format, imported_by: user.id, lines: parsed.lines.length, warnings: JSON.stringify(parsed.warnings) });
    const index = new InvoiceIndex(await openInvoices(trx, [...new Set(parsed.lines.map((l) => l.currency))]), await accountsByIban(trx));
    for (const [i, line] of parsed.lines.entries()) {
      const id = newId('bln');
      const inserted = (await trx('bank_lines').insert(lineRow(line, id, identities[i] as string, importId)).onConflict('identity').ignore().returning('*')) as BankLineRow[];
      const row = inserted[0];
      if (!row) continue;
      newLineIds.push(id);
      let update: { state: BankLineRow['state']; candidates: Candidate[]; note?: string };
      if (line.reversal) update = await reverse(trx, row);
      else if (line.direction === 'debit') update = { state: 'ignored', candidates: [], note: 'an outgoing payment, not a customer\'s' };
      else {
        const match = index.match(line);
        update = { state: match.state, candidates: match.candidates };
        if (match.state === 'matched') {
          for (const { invoice, amount } of match.allocations) {
            await trx('bank_allocations').insert({ id: newId('bal'), line_id: id, invoice_id: invoice.id, journey_id: invoice.journeyId, amount: formatCents(amount), currency: invoice.currency, rule: match.rule, actor_id: user.id });
            // Later lines of the same file see what is left.
            invoice.due = invoice.due > amount ? invoice.due - amount : 0n;
          }
          // A reference or an invoice number confirms whose IBAN this is.
          if (match.rule !== 'counterparty_iban') await learnIban(trx, line.counterpartyIban, (match.allocations[0] as { invoice: InvoiceForMatching }).invoice.accountId);
        }
      }
      await trx('bank_lines').where({ id }).update({ state: update.state, candidates: JSON.stringify(update.candidates), note: update.note ?? null });
    }
    await trx('bank_imports').where({ id: importId }).update({ duplicates: parsed.lines.length - newLineIds.length });
  });

  await applyPending(deps, user, newLineIds);
  // A journey may have refused a payment: count the states the lines ended in.
  const states = newLineIds.length === 0 ? [] : ((await db('bank_lines').whereIn('id', newLineIds).groupBy('state').select('state').count('* as n')) as { state: string; n: string }[]);
  const count = (state: string) => Number(states.find((s) => s.state === state)?.n ?? 0);
  return { importId, lines: parsed.lines.length, matched: count('matched'), suggested: count('suggested'), unmatched: count('unmatched'), duplicates: parsed.lines.length - newLineIds.length, warnings: parsed.warnings };
}
