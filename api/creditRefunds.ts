// Refunding an account's credit: one credit note per refund, numbered gap-free (CN-2026-000001) in
// the transaction that consumes the credit, oldest first; a rollback gives the number back. Never
// more than the credit left in the currency (422 with what is available). A credit note id already
// booked changes nothing again.
import type { Db } from '../db/connection';
import { nextDocumentNumber } from '../db/queries/counters';
import { consumeCredits, creditLeft, findCreditNote, insertCreditNote, lockOpenCredits, type CreditNoteRow } from '../db/queries/credits';
import { formatCents, money, toCents } from '../db/money';
import type { AuthUser } from './auth';
import { ApiError, notFound } from './errors';

export interface Refund {
  id: string;
  amount: string;
  currency: string;
  reason: string;
}

export async function refundCredit(db: Db, accountId: string, refund: Refund, user: AuthUser, at: Date): Promise<{ note: CreditNoteRow; booked: boolean }> {
  return db.transaction(async (trx) => {
    // The account's row lock makes its refunds take turns, so a repeat finds the note its twin made;
    // NO KEY UPDATE leaves the account's invoices and payments (which reference it) free to be written.
    const account = (await trx('accounts').where({ id: accountId }).forNoKeyUpdate().first('id', 'name')) as { id: string; name: string } | undefined;
    if (!account) throw notFound(`account ${accountId}`);
    const earlier = await findCreditNote(trx, refund.id);
    if (earlier) return { note: earlier, booked: false };
    const credits = await lockOpenCredits(trx, accountId, refund.currency);
    const available = creditLeft(credits);
    const cents = toCents(refund.amount);
    if (cents > available) {
      const message = `${account.name} has ${formatCents(available)} ${refund.currency} of credit available; ${refund.amount} ${refund.currency} cannot be refunded`;
      throw new ApiError(422, 'insufficient_credit', message, {
        available: money(available, refund.currency),
        issues: [{ path: 'body.amount', message: `at most ${formatCents(available)} ${refund.currency}` }],
      });
    }
    const note: CreditNoteRow = {
      id: refund.id,
      number: await nextDocumentNumber(trx, 'CN', at),
      account_id: accountId,
      amount: formatCents(cents),
      currency: refund.currency,
      reason: refund.reason,
      created_by: user.id,
      created_at: at,
    };
    await insertCreditNote(trx, note);
    await consumeCredits(trx, credits, cents, { creditNoteId: note.id }, at);
    return { note, booked: true };
  });
}
