// Decimal-string money in integer cents, for estimates shown before the server prices a quote.
export function toCents(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', frac = ''] = amount.replace(/^-/, '').split('.');
  const cents = BigInt(whole || '0') * 100n + BigInt((frac + '00').slice(0, 2));
  return negative ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Net of a line: unit × quantity less the discount, rounded half-up to the cent. */
export function lineNet(unitPrice: string, quantity: number, discountPct: number): bigint {
  const list = toCents(unitPrice) * BigInt(Math.max(0, Math.floor(quantity)));
  const basisPoints = BigInt(Math.round(Math.min(100, Math.max(0, discountPct)) * 100));
  const discount = (list * basisPoints + 5_000n) / 10_000n;
  return list - discount;
}

/** Tax on a net amount at a rate in percent, rounded half-up to the cent (as the server prices a line). */
export function lineTax(netCents: bigint, ratePct: string): bigint {
  const units = BigInt(Math.round(Number(ratePct) * 10_000));
  const product = netCents * units;
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (abs * 2n + 1_000_000n) / 2_000_000n;
  return negative ? -rounded : rounded;
}
