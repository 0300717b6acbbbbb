// Importing a bank statement: parse (camt.053 or a CSV profile), record each line once (its
// identity is unique: a line seen before, in this file or an overlapping one, counts as a
// duplicate and changes nothing), match new credit lines, undo what reversed lines allocated, then
// send the allocations to their journeys.
import type { Knex } from 'knex';
import { newId } from '../../db/ids';
import { formatCents, toCents } from '../../db/money';
import { accountsByIban, type BankLineRow } from '../../db/queries/bank';
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
  const rows = (await db('invoices')
    .whereIn('currency', currencies)
    .select('id', 'number', 'payment_reference', 'account_id', 'journey_id', 'currency', 'amount_due', 'issued_at')) as {
    id: string;
    number: string;
    payment_reference: string | null;
    account_id: string;
    journey_id: string;
    currency: string;
    amount_due: string;
    issued_at: Date;
  }[];
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    paymentReference: r.payment_reference,
    accountId: r.account_id,
    journeyId: r.journey_id,
    currency: r.currency,
    due: toCents(r.amount_due),
    issuedAt: new Date(r.issued_at),
  }));
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
    state: 'unmatched' as BankLineRow['state'],
    candidates: '[]',
    note: null as string | null,
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
  await trx('bank_allocations')
    .where({ line_id: original.id })
    .whereNull('applied_at')
    .whereNull('cancelled_at')
    .update({ cancelled_at: trx.fn.now(), last_error: `reversed by bank line ${reversal.id}` });
  const applied = (await trx('bank_allocations')
    .join('invoices', 'invoices.id', 'bank_allocations.invoice_id')
    .where({ line_id: original.id })
    .whereNotNull('applied_at')
    .whereNull('cancelled_at')
    .select('invoices.id', 'invoices.number', 'invoices.amount_due', 'invoices.currency', 'bank_allocations.amount')) as {
    id: string;
    number: string;
    amount_due: string;
    currency: string;
    amount: string;
  }[];
  if (applied.length === 0) return { state: 'reversed', candidates: [], note: `reverses bank line ${original.id}; nothing of it had been applied` };
  return {
    state: 'unmatched',
    candidates: applied.map((a) => ({
      invoiceId: a.id,
      number: a.number,
      amountDue: a.amount_due,
      currency: a.currency,
      reasons: [
        `reverses bank line ${original.id}, whose ${formatCents(toCents(a.amount))} ${a.currency} invoice ${a.number}'s journey already took: the invoice is unpaid again by that much; settle it with the customer, then ignore this line with a note`,
      ],
    })),
    note: `reverses bank line ${original.id}, already paid into ${applied.map((a) => a.number).join(', ')}`,
  };
}

/** Rows per multi-row insert or lookup: few round trips, well under PostgreSQL's bind limit. */
const CHUNK = 1_000;

function chunks<T>(items: T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
}

type Decided = { row: ReturnType<typeof lineRow>; allocations: Record<string, unknown>[]; learned: { iban: string; accountId: string } | null };

/**
 * Records a statement's new lines in one transaction, in batches: lines seen before are
 * duplicates; the others are matched in file order (a later line sees what an earlier one left
 * due) and inserted with their state, candidates and allocations; reversals then undo their
 * originals. Answers the ids of the lines this import recorded.
 */
export async function recordStatement(db: Knex, parsed: ParsedStatement, user: Pick<AuthUser, 'id'>, importId: string): Promise<string[]> {
  const identities = lineIdentities(parsed.lines);
  return db.transaction(async (trx) => {
    await trx('bank_imports').insert({
      id: importId,
      format: parsed.format,
      imported_by: user.id,
      lines: parsed.lines.length,
      warnings: JSON.stringify(parsed.warnings),
    });
    const known = new Set<string>();
    for (const batch of chunks(identities)) {
      for (const r of (await trx('bank_lines').whereIn('identity', batch).select('identity')) as { identity: string }[]) known.add(r.identity);
    }
    const index = new InvoiceIndex(await openInvoices(trx, [...new Set(parsed.lines.map((l) => l.currency))]), await accountsByIban(trx));
    const decided: Decided[] = [];
    for (const [i, line] of parsed.lines.entries()) {
      const identity = identities[i] as string;
      // Seen before, or twice in this file with the same bank reference: counted as a duplicate.
      if (known.has(identity)) continue;
      known.add(identity);
      const row = lineRow(line, newId('bln'), identity, importId);
      const decision: Decided = { row, allocations: [], learned: null };
      decided.push(decision);
      if (line.reversal) continue;
      if (line.direction === 'debit') {
        Object.assign(row, { state: 'ignored', note: "an outgoing payment, not a customer's" });
        continue;
      }
      const match = index.match(line);
      Object.assign(row, { state: match.state, candidates: JSON.stringify(match.candidates) });
      if (match.state !== 'matched') continue;
      for (const { invoice, amount } of match.allocations) {
        decision.allocations.push({
          id: newId('bal'),
          line_id: row.id,
          invoice_id: invoice.id,
          journey_id: invoice.journeyId,
          amount: formatCents(amount),
          currency: invoice.currency,
          rule: match.rule,
          actor_id: user.id,
        });
        // Later lines of the same file see what is left.
        invoice.due = invoice.due > amount ? invoice.due - amount : 0n;
      }
      // A reference or an invoice number confirms whose IBAN this is.
      if (match.rule !== 'counterparty_iban' && line.counterpartyIban)
        decision.learned = { iban: line.counterpartyIban.slice(0, 34), accountId: (match.allocations[0] as { invoice: InvoiceForMatching }).invoice.accountId };
    }

    // A concurrent import of the same lines wins the constraint: what it took is not ours to apply.
    const inserted = new Set<string>();
    for (const batch of chunks(decided)) {
      const rows = (await trx('bank_lines')
        .insert(batch.map((d) => d.row))
        .onConflict('identity')
        .ignore()
        .returning('id')) as { id: string }[];
      for (const r of rows) inserted.add(r.id);
    }
    const ours = decided.filter((d) => inserted.has(d.row.id));
    for (const batch of chunks(ours.flatMap((d) => d.allocations))) await trx('bank_allocations').insert(batch);
    const learned = [
      ...new Map(
        ours.flatMap((d) =>
          d.learned ? [[`${d.learned.iban}|${d.learned.accountId}`, { iban: d.learned.iban, account_id: d.learned.accountId }] as const] : [],
        ),
      ).values(),
    ];
    for (const batch of chunks(learned)) await trx('customer_bank_accounts').insert(batch).onConflict(['iban', 'account_id']).ignore();

    for (const { row } of ours.filter((d) => d.row.reversal)) {
      const update = await reverse(trx, (await trx('bank_lines').where({ id: row.id }).first()) as BankLineRow);
      await trx('bank_lines')
        .where({ id: row.id })
        .update({ state: update.state, candidates: JSON.stringify(update.candidates), note: update.note });
    }
    await trx('bank_imports')
      .where({ id: importId })
      .update({ duplicates: parsed.lines.length - ours.length });
    return ours.map((d) => d.row.id);
  });
}

export async function importStatement(deps: ApiDeps, parsed: ParsedStatement, user: AuthUser): Promise<ImportResult> {
  const { db } = deps;
  // Allocations a crash left pending go first, with their own ids.
  await applyPending(deps, user);
  const importId = newId('bimp');
  const newLineIds = await recordStatement(db, parsed, user, importId);
  await applyPending(deps, user, newLineIds);
  // A journey may have refused a payment: count the states the lines ended in.
  const states =
    newLineIds.length === 0
      ? []
      : ((await db('bank_lines').where({ import_id: importId }).groupBy('state').select('state').count('* as n')) as { state: string; n: string }[]);
  const count = (state: string) => Number(states.find((s) => s.state === state)?.n ?? 0);
  return {
    importId,
    lines: parsed.lines.length,
    matched: count('matched'),
    suggested: count('suggested'),
    unmatched: count('unmatched'),
    duplicates: parsed.lines.length - newLineIds.length,
    warnings: parsed.warnings,
  };
}
