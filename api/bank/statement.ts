// What a bank statement says, whatever its format: the lines of booked entries (one per
// transaction detail), and the balances it claims. Amounts stay decimal strings ("1250.00").

export interface StatementLine {
  /** The bank account the statement is for (IBAN, or the CSV profile's account). */
  account: string;
  statementId: string | null;
  bookingDate: string;
  valueDate: string | null;
  /** Positive decimal string; the direction says which way it went. */
  amount: string;
  currency: string;
  direction: 'credit' | 'debit';
  /** RvslInd: this entry undoes an earlier one (a credit's reversal is a debit). */
  reversal: boolean;
  /** The bank's reference for the transaction (TxDtls AcctSvcrRef, else the entry's). */
  bankReference: string | null;
  entryReference: string | null;
  /** Position of the transaction within its entry (batch entries have several). */
  detailIndex: number;
  endToEndId: string | null;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  /** Unstructured remittance text (and structured references, joined). */
  remittance: string;
  /** A structured creditor reference (RmtInf/Strd/CdtrRefInf/Ref), as given. */
  creditorReference: string | null;
}

export interface ParsedStatement {
  format: string;
  lines: StatementLine[];
  warnings: string[];
}

/** A file that cannot be read as a statement: 400 with where. */
export class StatementError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

const AMOUNT = /^\d{1,15}(\.\d{1,5})?$/;

/** A positive decimal amount as given by the bank, or a StatementError at `path`. */
export function decimalAmount(value: unknown, path: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!AMOUNT.test(text)) throw new StatementError(`not an amount: ${String(value)}`, path);
  return text;
}
