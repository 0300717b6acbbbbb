// Money as integer cents (bigint) in code and numeric(18,2) in PostgreSQL; never a float.
// Rounding rule, everywhere: half-up (away from zero) to the cent, applied per line.

/** Parses "120", "120.5", "-3.005" into cents, rounding half-up beyond the second decimal. */
export function toCents(amount: string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`not a decimal amount: ${amount}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const scale = 10n ** BigInt(Math.max(fraction.length, 2) - 2);
  const raw = BigInt(whole + fraction.padEnd(2, '0'));
  const cents = roundDiv(raw, scale);
  return sign ? -cents : cents;
}

/** Formats cents as a decimal string with two places, e.g. 12050n → "120.50". */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Integer division rounded half-up, away from zero (the one rounding rule used for money). */
export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error('denominator must be positive');
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

/** A percentage as an integer in ten-thousandths of a percent, e.g. 19 → 190000n, "12.5" → 125000n. */
function pctUnits(pct: number | string): bigint {
  const value = typeof pct === 'number' ? pct : Number(pct);
  if (!Number.isFinite(value)) throw new Error(`not a percentage: ${pct}`);
  return BigInt(Math.round(value * 10_000));
}

/** pct percent of an amount in cents, rounded half-up to the cent. */
export function percentOf(cents: bigint, pct: number | string): bigint {
  return roundDiv(cents * pctUnits(pct), 1_000_000n);
}

/** The money shape of the public contract. */
export function money(cents: bigint, currency: string): { amount: string; currency: string } {
  return { amount: formatCents(cents), currency };
}

export function minCents(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
