import { describe, expect, it } from 'vitest';
import { InvoiceIndex, type InvoiceForMatching } from '../../../api/bank/matcher';
import type { StatementLine } from '../../../api/bank/statement';
import { creditorReference, isCreditorReference } from '../../../db/creditorReference';

const invoice = (n: number, due: string, accountId = 'acc-1', issued = `2026-01-${String(n).padStart(2, '0')}`): InvoiceForMatching => {
  const number = `INV-2026-${String(n).padStart(6, '0')}`;
  return {
    id: `inv-${n}`,
    number,
    paymentReference: creditorReference(number),
    accountId,
    journeyId: `jrn-${n}`,
    currency: 'EUR',
    due: BigInt(Math.round(Number(due) * 100)),
    issuedAt: new Date(issued),
  };
};

const line = (overrides: Partial<StatementLine>): StatementLine => ({
  account: 'DE89370400440532013000',
  statementId: null,
  bookingDate: '2026-03-10',
  valueDate: null,
  amount: '100.00',
  currency: 'EUR',
  direction: 'credit',
  reversal: false,
  bankReference: null,
  entryReference: null,
  detailIndex: 0,
  endToEndId: null,
  counterpartyName: null,
  counterpartyIban: null,
  remittance: '',
  creditorReference: null,
  ...overrides,
});

describe('RF creditor references (ISO 11649)', () => {
  it('checks mod 97 and derives a valid reference from an invoice number', () => {
    expect(isCreditorReference('RF18 5390 0754 7034')).toBe(true);
    expect(isCreditorReference('RF18 5390 0754 7035')).toBe(false);
    expect(isCreditorReference(creditorReference('INV-2026-000001'))).toBe(true);
  });
});

describe('matching: one candidate or none', () => {
  const a = invoice(1, '100.00');
  const b = invoice(2, '250.00');
  const c = invoice(3, '100.00', 'acc-2');
  const paid = invoice(4, '0.00');
  const index = new InvoiceIndex(
    [a, b, c, paid],
    new Map([
      ['DE02120300000000202051', ['acc-1']],
      ['DE44500105175407324931', ['acc-1', 'acc-2']],
    ]),
  );

  it('(a) a structured RF reference names one open invoice; the whole amount goes to it (partial or over-payment)', () => {
    const partial = index.match(line({ amount: '40.00', creditorReference: b.paymentReference }));
    expect(partial).toMatchObject({ state: 'matched', rule: 'creditor_reference' });
    expect(partial.state === 'matched' && partial.allocations.map((x) => [x.invoice.id, x.amount])).toEqual([['inv-2', 4000n]]);
    const over = index.match(line({ amount: '300.00', remittance: `pay ${String(b.paymentReference).replace(/(.{4})/g, '$1 ')} thx` }));
    expect(over.state === 'matched' && over.allocations.map((x) => [x.invoice.id, x.amount])).toEqual([['inv-2', 30000n]]);
  });

  it('(a) a reference with a wrong check digit matches nothing by reference', () => {
    const ref = String(a.paymentReference);
    const broken = `${ref.slice(0, 2)}${ref[2] === '9' ? '0' : '9'}${ref.slice(3)}`;
    expect(index.match(line({ amount: '7.00', creditorReference: broken })).state).toBe('unmatched');
  });

  it('(a) an RF reference of a paid invoice is a suggestion with its reason', () => {
    const m = index.match(line({ creditorReference: paid.paymentReference }));
    expect(m.state).toBe('suggested');
    expect(m.candidates[0]?.reasons[0]).toMatch(/not open/);
  });

  it('(b) one invoice number in the remittance names one open invoice; two are refused', () => {
    expect(index.match(line({ amount: '12.00', remittance: 'Rechnung INV 2026 000002' }))).toMatchObject({ state: 'matched', rule: 'invoice_number' });
    const two = index.match(line({ amount: '350.00', remittance: 'INV-2026-000001 and INV-2026-000002' }));
    expect(two.state).toBe('suggested');
    expect(two.candidates.map((x) => x.invoiceId).sort()).toEqual(['inv-1', 'inv-2']);
  });

  it('(c) a known IBAN and an amount equal to one residual, or to all residuals oldest first', () => {
    const one = index.match(line({ amount: '250.00', counterpartyIban: 'DE02120300000000202051' }));
    expect(one.state === 'matched' && one.allocations.map((x) => x.invoice.id)).toEqual(['inv-2']);
    const all = index.match(line({ amount: '350.00', counterpartyIban: 'DE02120300000000202051' }));
    expect(all.state === 'matched' && all.allocations.map((x) => [x.invoice.id, x.amount])).toEqual([
      ['inv-1', 10000n],
      ['inv-2', 25000n],
    ]);
    expect(index.match(line({ amount: '99.00', counterpartyIban: 'DE02120300000000202051' })).state).toBe('suggested');
  });

  it('refuses to choose between two candidates: same amount due, or an IBAN known for two customers', () => {
    const twin = new InvoiceIndex([a, invoice(5, '100.00')], new Map([['DE02120300000000202051', ['acc-1']]]));
    const m = twin.match(line({ amount: '100.00', counterpartyIban: 'DE02120300000000202051' }));
    expect(m.state).toBe('suggested');
    expect(m.candidates.map((x) => x.invoiceId)).toEqual(['inv-1', 'inv-5']);
    expect(index.match(line({ amount: '100.00', counterpartyIban: 'DE44500105175407324931' })).state).toBe('suggested');
  });

  it('an amount alone is only a suggestion; nothing at all is unmatched', () => {
    const m = index.match(line({ amount: '250.00' }));
    expect(m).toMatchObject({ state: 'suggested', candidates: [{ invoiceId: 'inv-2', reasons: ["the amount equals the invoice's amount due"] }] });
    expect(index.match(line({ amount: '1.23' }))).toEqual({ state: 'unmatched', candidates: [] });
  });
});
