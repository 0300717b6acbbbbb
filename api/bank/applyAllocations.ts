// Exactly once into the journey: an allocation is recorded first (with the line), then sent as
// PAYMENT_RECEIVED on the invoice's journey through an update whose id is the allocation's id. A
// crash between the two leaves it pending; sending it again later uses the same id, and the journey
// applies an update id once only, so the invoice is never paid twice.
import { formatCents, toCents } from '../../db/money';
import type { BankAllocationRow, BankLineRow } from '../../db/queries/bank';
import { pendingAllocations } from '../../db/queries/bank';
import type { AuthUser } from '../auth';
import type { ApiDeps } from '../deps';
import { toApiError } from '../errors';
import { transition } from '../routes/events';

export interface Applied {
  allocationId: string;
  applied: boolean;
  error?: { code: string; message: string };
}

const CONCURRENCY = 4;

/** What the payment says on the journey: the bank's reference for the line, else ours. */
function paymentReference(line: Pick<BankLineRow, 'id' | 'bank_reference' | 'end_to_end_id'>): string {
  return (line.end_to_end_id ?? line.bank_reference ?? line.id).slice(0, 100);
}

export async function applyAllocation(deps: ApiDeps, allocation: BankAllocationRow, actor: AuthUser): Promise<Applied> {
  const { db } = deps;
  const line = (await db('bank_lines').where({ id: allocation.line_id }).first('id', 'bank_reference', 'end_to_end_id')) as Pick<
    BankLineRow,
    'id' | 'bank_reference' | 'end_to_end_id'
  >;
  const data = { amount: formatCents(toCents(allocation.amount)), currency: allocation.currency, reference: paymentReference(line) };
  try {
    await transition(deps, allocation.journey_id, actor, 'PAYMENT_RECEIVED', data, `bank line ${allocation.line_id} (${allocation.rule})`, {
      updateId: allocation.id,
    });
    await db('bank_allocations').where({ id: allocation.id }).update({ applied_at: db.fn.now(), last_error: null });
    return { allocationId: allocation.id, applied: true };
  } catch (error) {
    const mapped = toApiError(error);
    if (!mapped) throw error;
    if (mapped.status === 409 || mapped.status === 404) {
      // The journey takes no payment now (not awaiting payment, or ended): the line goes back to
      // finance's queue with the reason, and nothing was applied.
      await db.transaction(async (trx) => {
        await trx('bank_allocations').where({ id: allocation.id }).update({ cancelled_at: trx.fn.now(), last_error: mapped.message });
        const left = (await trx('bank_allocations').where({ line_id: allocation.line_id }).whereNull('cancelled_at').count('* as n').first()) as { n: string };
        if (Number(left.n) === 0) {
          const invoice = (await trx('invoices').where({ id: allocation.invoice_id }).first('number', 'amount_due', 'currency')) as {
            number: string;
            amount_due: string;
            currency: string;
          };
          const reasons = [`the journey of invoice ${invoice.number} refused the payment: ${mapped.message}`];
          await trx('bank_lines')
            .where({ id: allocation.line_id })
            .update({
              state: 'suggested',
              candidates: JSON.stringify([
                {
                  invoiceId: allocation.invoice_id,
                  number: invoice.number,
                  amountDue: formatCents(toCents(invoice.amount_due)),
                  currency: invoice.currency,
                  reasons,
                },
              ]),
            });
        }
      });
    } else {
      await db('bank_allocations').where({ id: allocation.id }).update({ last_error: mapped.message });
    }
    return { allocationId: allocation.id, applied: false, error: { code: mapped.code, message: mapped.message } };
  }
}

/** Sends every pending allocation (of these lines, or all), a few at a time. */
export async function applyPending(deps: ApiDeps, actor: AuthUser, lineIds?: string[]): Promise<Applied[]> {
  const pending = await pendingAllocations(deps.db, lineIds);
  const results: Applied[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, pending.length) }, async () => {
      while (next < pending.length) {
        const allocation = pending[next++] as BankAllocationRow;
        results.push(await applyAllocation(deps, allocation, actor));
      }
    }),
  );
  return results;
}
