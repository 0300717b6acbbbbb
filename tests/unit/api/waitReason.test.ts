// Why a journey waits, from the default process's policies and a journey's records (pure).
import { describe, expect, it } from 'vitest';
import { explainWait, type WaitFacts } from '../../../api/waitReason';
import { defaultProcess } from '../../../machines/index';

const now = new Date('2026-03-20T12:00:00Z');
const facts = (over: Partial<WaitFacts>): WaitFacts => ({
  stage: 'opportunity',
  status: 'awaiting_confirmation',
  pendingRole: 'sales_rep',
  slaDueAt: null,
  parked: null,
  holdReason: null,
  quote: null,
  shortages: [],
  invoice: null,
  lastReminderLevel: null,
  ...over,
});

describe('explainWait', () => {
  it("names the discount over the definition's limit, and the checkpoint's deadline", () => {
    const reason = explainWait(
      defaultProcess,
      facts({
        stage: 'quoting',
        pendingRole: 'sales_manager',
        slaDueAt: new Date('2026-03-21T09:00:00Z'),
        quote: { number: 'QUO-2026-000007', maxDiscountPct: 25, validUntil: new Date('2026-04-19T00:00:00Z') },
      }),
      now,
    );
    expect(reason).toEqual({
      kind: 'approval',
      text: '25% discount > 15% limit on quote QUO-2026-000007',
      next: 'a sales manager approves or rejects by 2026-03-21',
      nextAt: '2026-03-21T09:00:00.000Z',
    });
  });

  it('follows a limit changed in the definition', () => {
    const lenient = { ...defaultProcess, policies: { ...defaultProcess.policies, discountApprovalLimitPct: 20 } };
    const quote = { number: 'QUO-1', maxDiscountPct: 22.5, validUntil: now };
    expect(explainWait(lenient, facts({ stage: 'quoting', pendingRole: 'sales_manager', quote }), now).text).toBe('22.5% discount > 20% limit on quote QUO-1');
  });

  it('names each shortage with the purchase order raised for it', () => {
    const reason = explainWait(
      defaultProcess,
      facts({
        stage: 'fulfilment',
        status: 'waiting',
        pendingRole: 'warehouse',
        shortages: [
          { sku: 'CAM-100', quantity: 5, purchaseOrder: 'PO-2026-000001' },
          { sku: 'HUB-1', quantity: 1, purchaseOrder: 'PO-2026-000002' },
        ],
      }),
      now,
    );
    expect(reason.kind).toBe('shortage');
    expect(reason.text).toBe('5 × CAM-100 short, PO-2026-000001 raised; 1 × HUB-1 short, PO-2026-000002 raised');
  });

  it("dates the next dunning level from the invoice's due date and the policy's offsets", () => {
    const invoice = { number: 'INV-2026-000003', dueAt: new Date('2026-03-01T00:00:00Z'), amountDue: '1190.00', currency: 'EUR' };
    const first = explainWait(defaultProcess, facts({ stage: 'awaiting_payment', status: 'awaiting_confirmation', pendingRole: 'finance', invoice }), now);
    expect(first).toMatchObject({ kind: 'payment', text: 'Invoice INV-2026-000003: 1190.00 EUR 19 days overdue', nextAt: '2026-03-08T00:00:00.000Z' });
    expect(first.next).toBe('reminder 1 on 2026-03-08 unless paid');
    const afterSecond = explainWait(defaultProcess, facts({ stage: 'awaiting_payment', invoice, lastReminderLevel: 2 }), now);
    expect(afterSecond.next).toBe('final notice on 2026-04-05 unless paid');
    const notDue = explainWait(defaultProcess, facts({ stage: 'awaiting_payment', invoice: { ...invoice, dueAt: new Date('2026-04-01T00:00:00Z') } }), now);
    expect(notDue.text).toBe('Invoice INV-2026-000003: 1190.00 EUR due 2026-04-01');
  });

  it("says the customer decides until the quote's validity ends", () => {
    const validUntil = new Date('2026-04-19T00:00:00Z');
    const reason = explainWait(
      defaultProcess,
      facts({ stage: 'quote_sent', status: 'waiting', quote: { number: 'QUO-9', maxDiscountPct: 0, validUntil } }),
      now,
    );
    expect(reason).toEqual({
      kind: 'customer',
      text: 'Waiting for the customer to accept quote QUO-9',
      next: 'the quote expires on 2026-04-19',
      nextAt: validUntil.toISOString(),
    });
  });

  it('puts a parked step before anything else, in plain words', () => {
    const reason = explainWait(
      defaultProcess,
      facts({ status: 'parked', parked: { activity: 'issueInvoice', message: 'A record the step needs does not exist.' } }),
      now,
    );
    expect(reason.kind).toBe('parked');
    expect(reason.text).toBe('The step "issue invoice" failed: A record the step needs does not exist.');
  });

  it('is not waiting while the journey works', () => {
    expect(explainWait(defaultProcess, facts({ status: 'running' }), now).kind).toBe('none');
  });
});
