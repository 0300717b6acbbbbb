// A statement line's identity, so a line imported again (the same file, an overlapping statement)
// is recognised: the bank's reference (AcctSvcrRef), else the entry reference (NtryRef), else a
// hash of what the line says plus its occurrence index among identical lines of the same file.
import { createHash } from 'node:crypto';
import type { StatementLine } from './statement';

function hashOf(line: StatementLine): string {
  const parts = [
    line.account,
    line.bookingDate,
    line.valueDate ?? '',
    line.amount,
    line.currency,
    line.direction,
    line.reversal ? 'R' : '',
    line.endToEndId ?? '',
    line.remittance,
  ];
  return createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 40);
}

/** The length of `bank_lines.identity`. */
const MAX_LENGTH = 200;

/** An identity as stored: one longer than the column (a bank's long reference) by its digest, the same on every import. */
const bounded = (identity: string): string => (identity.length <= MAX_LENGTH ? identity : `digest|${createHash('sha256').update(identity).digest('hex')}`);

/** Identities for the lines of one file, in order. */
export function lineIdentities(lines: StatementLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    if (line.bankReference) return bounded(`${line.account}|ref|${line.bankReference}`);
    if (line.entryReference) return bounded(`${line.account}|ntry|${line.entryReference}|${line.detailIndex}`);
    const hash = hashOf(line);
    const occurrence = seen.get(hash) ?? 0;
    seen.set(hash, occurrence + 1);
    return bounded(`${line.account}|hash|${hash}|${occurrence}`);
  });
}
