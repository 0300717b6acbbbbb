// Matching a credit line to open invoices, in order, one candidate or none: (a) an RF creditor
// reference names one open invoice; (b) invoice numbers in the remittance name exactly one open
// invoice; (c) the counterparty IBAN is known for one customer, and the amount equals one open
// residual or the sum of all its open residuals (allocated oldest first). Anything else is a
// suggestion with reasons, never applied on its own. Pure: the caller loads the invoices.
import { creditorReferencesIn, isCreditorReference } from '../../db/creditorReference';
import { formatCents, toCents } from '../../db/money';
import type { StatementLine } from './statement';

export interface InvoiceForMatching {
  id: string;
  number: string;
  paymentReference: string | null;
  accountId: string;
  journeyId: string;
  currency: string;
  /** Integer cents still due; zero when paid. */
  due: bigint;
  issuedAt: Date;
}

export interface Candidate {
  invoiceId: string;
  number: string;
  amountDue: string;
  currency: string;
  reasons: string[];
}

export type MatchRule = 'creditor_reference' | 'invoice_number' | 'counterparty_iban';

export type Match =
  | { state: 'matched'; rule: MatchRule; allocations: { invoice: InvoiceForMatching; amount: bigint }[]; candidates: Candidate[] }
  | { state: 'suggested' | 'unmatched'; candidates: Candidate[] };

export class InvoiceIndex {
  private readonly byReference = new Map<string, InvoiceForMatching>();
  private readonly byNumber = new Map<string, InvoiceForMatching>();
  private readonly byAccount = new Map<string, InvoiceForMatching[]>();
  private readonly byDue = new Map<string, InvoiceForMatching[]>();

  constructor(
    invoices: InvoiceForMatching[],
    /** Customer accounts per counterparty IBAN, learned from confirmed matches. */
    private readonly accountsByIban: Map<string, string[]>,
  ) {
    const sorted = [...invoices].sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime() || a.number.localeCompare(b.number));
    for (const invoice of sorted) {
      if (invoice.paymentReference) this.byReference.set(invoice.paymentReference, invoice);
      this.byNumber.set(invoice.number.toUpperCase(), invoice);
      if (invoice.due <= 0n) continue;
      push(this.byAccount, invoice.accountId, invoice);
      push(this.byDue, `${invoice.currency}:${invoice.due}`, invoice);
    }
  }

  match(line: StatementLine): Match {
    const amount = toCents(line.amount);
    const open = (i: InvoiceForMatching): boolean => i.due > 0n && i.currency === line.currency;
    const candidates = new Map<string, Candidate>();
    const suggest = (invoice: InvoiceForMatching, reason: string) => {
      const c = candidates.get(invoice.id) ?? {
        invoiceId: invoice.id,
        number: invoice.number,
        amountDue: formatCents(invoice.due),
        currency: invoice.currency,
        reasons: [],
      };
      c.reasons.push(reason);
      candidates.set(invoice.id, c);
    };
    const matched = (rule: MatchRule, allocations: { invoice: InvoiceForMatching; amount: bigint }[], reason: string): Match => {
      for (const a of allocations) suggest(a.invoice, reason);
      return { state: 'matched', rule, allocations, candidates: [...candidates.values()] };
    };

    // (a) RF creditor reference: structured first, then anywhere in the text.
    const structured = line.creditorReference?.replace(/\s+/g, '').toUpperCase();
    const references = [...new Set([...(structured && isCreditorReference(structured) ? [structured] : []), ...creditorReferencesIn(line.remittance)])];
    const byReference = references.map((r) => this.byReference.get(r)).filter((i): i is InvoiceForMatching => Boolean(i));
    const openByReference = byReference.filter(open);
    if (references.length > 0 && openByReference.length === 1 && new Set(byReference.map((i) => i.id)).size === 1) {
      const [invoice] = openByReference as [InvoiceForMatching];
      return matched('creditor_reference', [{ invoice, amount }], `creditor reference ${invoice.paymentReference} is invoice ${invoice.number}`);
    }
    for (const invoice of byReference)
      suggest(
        invoice,
        open(invoice)
          ? `creditor reference ${invoice.paymentReference} (one of several references)`
          : `creditor reference ${invoice.paymentReference} names invoice ${invoice.number}, which is not open in ${line.currency}`,
      );

    // (b) invoice numbers in the remittance text.
    const numbers = [...new Set([...line.remittance.toUpperCase().matchAll(/INV[-\s]?(\d{4})[-\s]?(\d{6})/g)].map((m) => `INV-${m[1]}-${m[2]}`))];
    const named = numbers.map((n) => this.byNumber.get(n)).filter((i): i is InvoiceForMatching => Boolean(i));
    const openNamed = named.filter(open);
    if (candidates.size === 0 && numbers.length === 1 && openNamed.length === 1) {
      const [invoice] = openNamed as [InvoiceForMatching];
      return matched('invoice_number', [{ invoice, amount }], `the remittance names invoice ${invoice.number}`);
    }
    for (const invoice of named)
      suggest(
        invoice,
        open(invoice)
          ? `the remittance names invoice ${invoice.number} (with ${numbers.length - 1} other invoice number(s))`
          : `the remittance names invoice ${invoice.number}, which is not open in ${line.currency}`,
      );

    // (c) a counterparty IBAN known for exactly one customer, and an amount that settles exactly.
    const accounts = line.counterpartyIban ? (this.accountsByIban.get(line.counterpartyIban) ?? []) : [];
    if (accounts.length === 1) {
      const invoices = (this.byAccount.get(accounts[0] as string) ?? []).filter(open);
      const exact = invoices.filter((i) => i.due === amount);
      const total = invoices.reduce((sum, i) => sum + i.due, 0n);
      if (candidates.size === 0 && exact.length === 1)
        return matched(
          'counterparty_iban',
          [{ invoice: exact[0] as InvoiceForMatching, amount }],
          `IBAN ${line.counterpartyIban} is this customer's and the amount equals the invoice's amount due`,
        );
      if (candidates.size === 0 && exact.length === 0 && invoices.length > 1 && total === amount) {
        return matched(
          'counterparty_iban',
          invoices.map((invoice) => ({ invoice, amount: invoice.due })),
          `IBAN ${line.counterpartyIban} is this customer's and the amount equals all its open invoices`,
        );
      }
      for (const invoice of invoices)
        suggest(
          invoice,
          exact.length > 1 && invoice.due === amount
            ? `IBAN ${line.counterpartyIban} is this customer's; ${exact.length} of its invoices are due exactly this amount`
            : `IBAN ${line.counterpartyIban} is this customer's`,
        );
    } else if (accounts.length > 1) {
      for (const accountId of accounts)
        for (const invoice of (this.byAccount.get(accountId) ?? []).filter(open))
          suggest(invoice, `IBAN ${line.counterpartyIban} is known for ${accounts.length} customers`);
    }

    // Nothing certain: open invoices due exactly this amount are worth a look (a few at most).
    if (candidates.size === 0)
      for (const invoice of (this.byDue.get(`${line.currency}:${amount}`) ?? []).slice(0, 5)) suggest(invoice, "the amount equals the invoice's amount due");
    const list = [...candidates.values()];
    return { state: list.length > 0 ? 'suggested' : 'unmatched', candidates: list };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
