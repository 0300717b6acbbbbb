// Bank CSV exports through named profiles: delimiter, decimal comma, date format, and either one
// signed amount column or separate debit and credit columns. Amounts stay decimal strings.
import { parse } from 'csv-parse/sync';
import { calendarDayPattern } from '../../machines/schema/bounds';
import { decimalAmount, StatementError, type ParsedStatement, type StatementLine } from './statement';

export interface CsvProfile {
  delimiter: string;
  decimalComma: boolean;
  dateFormat: 'YYYY-MM-DD' | 'DD.MM.YYYY' | 'MM/DD/YYYY';
  /** Header names of the columns; `amount` is signed, else `debit` and `credit`. */
  columns: {
    bookingDate: string;
    valueDate?: string;
    amount?: string;
    debit?: string;
    credit?: string;
    currency?: string;
    counterpartyName?: string;
    counterpartyIban?: string;
    remittance?: string;
    reference?: string;
    account?: string;
  };
  /** When the file has no currency or account column. */
  currency?: string;
}

export const CSV_PROFILES = {
  /** Comma, ISO dates, signed amount with a decimal point. */
  generic: {
    delimiter: ',',
    decimalComma: false,
    dateFormat: 'YYYY-MM-DD',
    columns: {
      bookingDate: 'date',
      valueDate: 'value_date',
      amount: 'amount',
      currency: 'currency',
      counterpartyName: 'name',
      counterpartyIban: 'iban',
      remittance: 'description',
      reference: 'reference',
      account: 'account',
    },
  },
  /** German online banking: semicolon, DD.MM.YYYY, signed amount with a decimal comma. */
  'de-semicolon': {
    delimiter: ';',
    decimalComma: true,
    dateFormat: 'DD.MM.YYYY',
    columns: {
      bookingDate: 'Buchungstag',
      valueDate: 'Valutadatum',
      amount: 'Betrag',
      currency: 'Waehrung',
      counterpartyName: 'Beguenstigter/Zahlungspflichtiger',
      counterpartyIban: 'Kontonummer/IBAN',
      remittance: 'Verwendungszweck',
      reference: 'Kundenreferenz (End-to-End)',
      account: 'Auftragskonto',
    },
  },
  /** Separate debit and credit columns (both positive), US dates. */
  'debit-credit': {
    delimiter: ',',
    decimalComma: false,
    dateFormat: 'MM/DD/YYYY',
    columns: {
      bookingDate: 'Date',
      debit: 'Debit',
      credit: 'Credit',
      counterpartyName: 'Payee',
      remittance: 'Memo',
      reference: 'Reference',
      account: 'Account',
    },
    currency: 'USD',
  },
} satisfies Record<string, CsvProfile>;

export type CsvProfileName = keyof typeof CSV_PROFILES;
export const csvProfileNames = Object.keys(CSV_PROFILES) as [CsvProfileName, ...CsvProfileName[]];

function dateOf(value: string, format: CsvProfile['dateFormat'], path: string): string {
  const v = value.trim();
  const m =
    format === 'YYYY-MM-DD'
      ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
      : format === 'DD.MM.YYYY'
        ? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(v)
        : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (!m) throw new StatementError(`not a date in ${format}: ${value}`, path);
  const [y, mo, d] = format === 'YYYY-MM-DD' ? [m[1], m[2], m[3]] : format === 'DD.MM.YYYY' ? [m[3], m[2], m[1]] : [m[3], m[1], m[2]];
  const iso = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (!calendarDayPattern.test(iso)) throw new StatementError(`not a calendar date: ${value}`, path);
  return iso;
}

/** "-1.234,56" (decimal comma) or "-1,234.56" into a sign and a plain decimal "1234.56". */
function signedAmount(value: string, decimalComma: boolean, path: string): { negative: boolean; amount: string } {
  let v = value.trim().replace(/\s/g, '');
  const negative = v.startsWith('-');
  v = v.replace(/^[-+]/, '');
  v = decimalComma ? v.replace(/\./g, '').replace(',', '.') : v.replace(/,/g, '');
  return { negative, amount: decimalAmount(v, path) };
}

export function parseCsvStatement(body: string, profileName: CsvProfileName): ParsedStatement {
  const profile: CsvProfile = CSV_PROFILES[profileName];
  let rows: Record<string, string>[];
  try {
    rows = parse(body, { columns: true, delimiter: profile.delimiter, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (error) {
    throw new StatementError(`the CSV cannot be read with profile ${profileName}: ${(error as Error).message}`, 'body');
  }
  const c = profile.columns;
  const lines: StatementLine[] = rows.map((row, i) => {
    const where = `body.rows[${i}]`;
    const cell = (column: string | undefined) => (column ? (row[column] ?? '').trim() : '');
    let amount: { negative: boolean; amount: string };
    if (c.amount) amount = signedAmount(cell(c.amount), profile.decimalComma, `${where}.${c.amount}`);
    else {
      const debit = cell(c.debit);
      const credit = cell(c.credit);
      if (Boolean(debit) === Boolean(credit))
        throw new StatementError('exactly one of the debit and credit columns must hold an amount', `${where}.${c.debit ?? 'debit'}`);
      amount = { negative: Boolean(debit), amount: signedAmount(debit || credit, profile.decimalComma, `${where}.${debit ? c.debit : c.credit}`).amount };
    }
    const currency = cell(c.currency) || profile.currency || '';
    if (!/^[A-Z]{3}$/.test(currency)) throw new StatementError(`not a currency: ${currency}`, `${where}.${c.currency ?? 'currency'}`);
    const reference = cell(c.reference) || null;
    return {
      account: cell(c.account) || `csv:${profileName}`,
      statementId: null,
      bookingDate: dateOf(cell(c.bookingDate), profile.dateFormat, `${where}.${c.bookingDate}`),
      valueDate: cell(c.valueDate) ? dateOf(cell(c.valueDate), profile.dateFormat, `${where}.${c.valueDate}`) : null,
      amount: amount.amount,
      currency,
      direction: amount.negative ? 'debit' : 'credit',
      reversal: false,
      // CSV exports carry no bank entry reference: identity falls back to the line hash.
      bankReference: null,
      entryReference: null,
      detailIndex: 0,
      endToEndId: reference,
      counterpartyName: cell(c.counterpartyName) || null,
      counterpartyIban: cell(c.counterpartyIban).replace(/\s+/g, '').toUpperCase() || null,
      remittance: cell(c.remittance),
      creditorReference: null,
    };
  });
  return { format: `csv:${profileName}`, lines, warnings: [] };
}
