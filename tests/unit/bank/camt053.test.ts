import { describe, expect, it } from 'vitest';
import { parseCamt053 } from '../../../api/bank/camt053';
import { StatementError } from '../../../api/bank/statement';
import { camt053 } from '../../helpers/camt053';

describe.each(['02', '08'] as const)('camt.053.001.%s', (version) => {
  it('reads one line per transaction detail of booked entries, keeping references as text', () => {
    const xml = camt053({
      version,
      entries: [
        {
          amount: '100.00',
          acctSvcrRef: '000123',
          details: [{ endToEndId: '0007', name: 'Acme GmbH', iban: 'DE02 1203 0000 0000 2020 51', ustrd: ['Invoice INV-2026-000042', 'thanks'] }],
        },
        {
          amount: '350.50',
          acctSvcrRef: 'BATCH-1',
          details: [
            { amount: '300.00', endToEndId: 'E1', rf: 'RF18539007547034' },
            { amount: '50.50', endToEndId: 'E2', acctSvcrRef: '0099' },
          ],
        },
        { amount: '20.00', status: 'PDNG', details: [{ ustrd: ['not booked yet'] }] },
      ],
    });
    const parsed = parseCamt053(xml);
    expect(parsed.format).toBe(`camt.053.001.${version}`);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.lines).toHaveLength(3);
    expect(parsed.lines[0]).toMatchObject({
      account: 'DE89370400440532013000',
      amount: '100.00',
      currency: 'EUR',
      direction: 'credit',
      reversal: false,
      bookingDate: '2026-03-10',
      bankReference: '000123',
      endToEndId: '0007',
      counterpartyName: 'Acme GmbH',
      counterpartyIban: 'DE02120300000000202051',
      remittance: 'Invoice INV-2026-000042 thanks',
      creditorReference: null,
    });
    expect(parsed.lines[1]).toMatchObject({ amount: '300.00', bankReference: 'BATCH-1/0', detailIndex: 0, creditorReference: 'RF18539007547034' });
    expect(parsed.lines[2]).toMatchObject({ amount: '50.50', bankReference: '0099', detailIndex: 1 });
  });

  it('reads a reversal as a debit marked reversal', () => {
    const parsed = parseCamt053(
      camt053({ version, entries: [{ amount: '75.00', direction: 'DBIT', reversal: true, acctSvcrRef: 'R1', details: [{ endToEndId: 'E9' }] }] }),
    );
    expect(parsed.lines[0]).toMatchObject({ direction: 'debit', reversal: true, amount: '75.00', endToEndId: 'E9' });
  });

  it('warns when opening balance plus booked entries is not the closing balance', () => {
    const parsed = parseCamt053(camt053({ version, opening: '10.00', closing: '500.00', entries: [{ amount: '100.00', details: [{}] }] }));
    expect(parsed.lines).toHaveLength(1);
    expect(parsed.warnings).toEqual([expect.stringContaining('closing balance is 500.00')]);
  });
});

describe('camt.053 refusals', () => {
  it('refuses another version and malformed amounts with a path', () => {
    expect(() => parseCamt053('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>')).toThrow(StatementError);
    const bad = camt053({ version: '08', closing: '1001.50', entries: [{ amount: '1,5', details: [{}] }] });
    try {
      parseCamt053(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StatementError);
      expect((error as StatementError).path).toBe('body.Stmt[0].Ntry[0].Amt');
    }
  });

  it('refuses a booking date that is no calendar day PostgreSQL can hold, with its path', () => {
    for (const bookingDate of ['2026-02-30', '0000-01-01', 'yesterday', '2026-3-1']) {
      try {
        parseCamt053(camt053({ version: '08', entries: [{ amount: '10.00', bookingDate, details: [{}] }] }));
        expect.unreachable(bookingDate);
      } catch (error) {
        expect(error, bookingDate).toBeInstanceOf(StatementError);
        expect((error as StatementError).path).toBe('body.Stmt[0].Ntry[0].BookgDt');
      }
    }
    const [line] = parseCamt053(camt053({ version: '08', entries: [{ amount: '10.00', bookingDate: '0001-01-01', details: [{}] }] })).lines;
    expect(line?.bookingDate).toBe('0001-01-01');
  });
});
