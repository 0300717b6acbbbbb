// Errors shown to users: a code and a plain message for everyone, the raw cause for admin and ops.
import { describe, expect, it } from 'vitest';
import { lastErrorOf, safeError } from '../../../api/safeErrors';

const sql = 'insert into "payments" ("amount") values ($1) - numeric field overflow';

describe('safe errors', () => {
  it('hides a raw cause without a type behind a generic code and message', () => {
    expect(safeError({ message: sql }, ['finance', 'sales_rep'])).toEqual({ code: 'activity_failed', message: 'An automatic step failed after its retries.' });
  });

  it('gives admin and ops the raw cause', () => {
    expect(safeError({ message: sql }, ['ops'])).toMatchObject({ cause: sql });
    expect(safeError({ message: sql, type: 'CurrencyMismatch' }, ['admin'])).toEqual({
      code: 'currency_mismatch',
      message: 'The payment is in another currency than the invoice.',
      cause: sql,
    });
  });

  it("maps the projection's last error the same way", () => {
    expect(lastErrorOf({ last_error: sql, last_error_type: null }, ['viewer'])).toEqual({
      lastError: 'An automatic step failed after its retries.',
      errorCode: 'activity_failed',
    });
    expect(lastErrorOf({ last_error: null }, ['admin'])).toEqual({ lastError: null, errorCode: null });
  });
});
