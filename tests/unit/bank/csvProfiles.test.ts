import { describe, expect, it } from 'vitest';
import { parseCsvStatement } from '../../../api/bank/csvProfiles';
import { lineIdentities } from '../../../api/bank/lineIdentity';
import { StatementError } from '../../../api/bank/statement';

describe('CSV bank profiles', () => {
  it('reads decimal commas, German dates and signed amounts (de-semicolon)', () => {
    const csv = [
      'Auftragskonto;Buchungstag;Valutadatum;Verwendungszweck;Kundenreferenz (End-to-End);Beguenstigter/Zahlungspflichtiger;Kontonummer/IBAN;Betrag;Waehrung',
      'DE89370400440532013000;09.03.2026;10.03.2026;RE INV-2026-000007;0042;Acme GmbH;DE02 1203 0000 0000 2020 51;1.234,56;EUR',
      'DE89370400440532013000;09.03.2026;09.03.2026;Miete;;Landlord;DE02100100100006820101;-800,00;EUR',
    ].join('\n');
    const { lines } = parseCsvStatement(csv, 'de-semicolon');
    expect(lines[0]).toMatchObject({
      account: 'DE89370400440532013000',
      bookingDate: '2026-03-09',
      valueDate: '2026-03-10',
      amount: '1234.56',
      direction: 'credit',
      endToEndId: '0042',
      counterpartyIban: 'DE02120300000000202051',
      remittance: 'RE INV-2026-000007',
    });
    expect(lines[1]).toMatchObject({ amount: '800.00', direction: 'debit' });
  });

  it('reads separate debit and credit columns (debit-credit)', () => {
    const csv =
      'Date,Payee,Memo,Reference,Debit,Credit,Account\n03/09/2026,Acme Inc,INV-2026-000001,,,"1,500.00",US-1\n03/10/2026,Office,supplies,,25.10,,US-1\n';
    const { lines } = parseCsvStatement(csv, 'debit-credit');
    expect(lines.map((l) => [l.bookingDate, l.amount, l.direction, l.currency])).toEqual([
      ['2026-03-09', '1500.00', 'credit', 'USD'],
      ['2026-03-10', '25.10', 'debit', 'USD'],
    ]);
  });

  it('refuses a row with both or neither debit and credit, and impossible dates, at the row', () => {
    expect(() => parseCsvStatement('Date,Payee,Memo,Reference,Debit,Credit,Account\n03/09/2026,A,m,,1.00,2.00,X\n', 'debit-credit')).toThrow(/exactly one/);
    // 0000 is ISO 8601's 1 BC, which PostgreSQL's date does not spell.
    for (const date of ['2026-02-30', '0000-02-29']) {
      try {
        parseCsvStatement(`date,amount,currency\n${date},10.00,EUR\n`, 'generic');
        expect.unreachable(date);
      } catch (error) {
        expect(error, date).toBeInstanceOf(StatementError);
        expect((error as StatementError).path).toBe('body.rows[0].date');
      }
    }
  });

  it('gives identical lines of one file distinct identities, and the same identities on re-import', () => {
    const csv = 'date,amount,currency,description,account\n2026-03-09,10.00,EUR,coffee,A\n2026-03-09,10.00,EUR,coffee,A\n';
    const first = lineIdentities(parseCsvStatement(csv, 'generic').lines);
    expect(new Set(first).size).toBe(2);
    expect(lineIdentities(parseCsvStatement(csv, 'generic').lines)).toEqual(first);
  });
});
