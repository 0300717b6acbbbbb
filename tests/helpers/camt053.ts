// Builds camt.053 statements (.001.02 or .001.08) for tests: balances, booked and pending
// entries, batches with several transaction details, structured and unstructured remittance.
import { formatCents, toCents } from '../../db/money';

export interface TxSpec {
  amount?: string;
  endToEndId?: string;
  acctSvcrRef?: string;
  name?: string;
  iban?: string;
  ustrd?: string[];
  rf?: string;
}

export interface EntrySpec {
  amount: string;
  direction?: 'CRDT' | 'DBIT';
  status?: 'BOOK' | 'PDNG' | 'INFO';
  bookingDate?: string;
  acctSvcrRef?: string;
  ntryRef?: string;
  reversal?: boolean;
  details?: TxSpec[];
}

export interface StatementSpec {
  version: '02' | '08';
  account?: string;
  id?: string;
  currency?: string;
  opening?: string;
  /** Defaults to opening plus the booked entries. */
  closing?: string;
  entries: EntrySpec[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function party(version: '02' | '08', role: 'Dbtr' | 'Cdtr', tx: TxSpec): string {
  const name = tx.name ? (version === '08' ? `<${role}><Pty><Nm>${esc(tx.name)}</Nm></Pty></${role}>` : `<${role}><Nm>${esc(tx.name)}</Nm></${role}>`) : '';
  const acct = tx.iban ? `<${role}Acct><Id><IBAN>${tx.iban}</IBAN></Id></${role}Acct>` : '';
  return name || acct ? `<RltdPties>${name}${acct}</RltdPties>` : '';
}

function txXml(version: '02' | '08', entry: EntrySpec, tx: TxSpec, currency: string): string {
  const amount = tx.amount
    ? version === '08'
      ? `<Amt Ccy="${currency}">${tx.amount}</Amt>`
      : `<AmtDtls><TxAmt><Amt Ccy="${currency}">${tx.amount}</Amt></TxAmt></AmtDtls>`
    : '';
  const refs =
    tx.endToEndId || tx.acctSvcrRef
      ? `<Refs>${tx.acctSvcrRef ? `<AcctSvcrRef>${tx.acctSvcrRef}</AcctSvcrRef>` : ''}${tx.endToEndId ? `<EndToEndId>${esc(tx.endToEndId)}</EndToEndId>` : ''}</Refs>`
      : '';
  const ustrd = (tx.ustrd ?? []).map((u) => `<Ustrd>${esc(u)}</Ustrd>`).join('');
  const strd = tx.rf ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>${tx.rf}</Ref></CdtrRefInf></Strd>` : '';
  const rmt = ustrd || strd ? `<RmtInf>${ustrd}${strd}</RmtInf>` : '';
  return `<TxDtls>${refs}${amount}${party(version, (entry.direction ?? 'CRDT') === 'CRDT' ? 'Dbtr' : 'Cdtr', tx)}${rmt}</TxDtls>`;
}

export function camt053(spec: StatementSpec): string {
  const currency = spec.currency ?? 'EUR';
  const opening = spec.opening ?? '1000.00';
  let booked = toCents(opening);
  const entries = spec.entries
    .map((e) => {
      const direction = e.direction ?? 'CRDT';
      const status = e.status ?? 'BOOK';
      if (status === 'BOOK' && spec.closing === undefined) booked += direction === 'CRDT' ? toCents(e.amount) : -toCents(e.amount);
      const sts = spec.version === '08' ? `<Sts><Cd>${status}</Cd></Sts>` : `<Sts>${status}</Sts>`;
      const details = (e.details ?? []).map((tx) => txXml(spec.version, e, tx, currency)).join('');
      return (
        `<Ntry>${e.ntryRef ? `<NtryRef>${e.ntryRef}</NtryRef>` : ''}<Amt Ccy="${currency}">${e.amount}</Amt><CdtDbtInd>${direction}</CdtDbtInd>${e.reversal ? '<RvslInd>true</RvslInd>' : ''}${sts}` +
        `<BookgDt><Dt>${e.bookingDate ?? '2026-03-10'}</Dt></BookgDt><ValDt><Dt>${e.bookingDate ?? '2026-03-10'}</Dt></ValDt>${e.acctSvcrRef ? `<AcctSvcrRef>${e.acctSvcrRef}</AcctSvcrRef>` : ''}` +
        `<BkTxCd/>${details ? `<NtryDtls>${details}</NtryDtls>` : ''}</Ntry>`
      );
    })
    .join('\n');
  const closing = spec.closing ?? formatCents(booked);
  const bal = (code: string, amount: string) => {
    const negative = amount.startsWith('-');
    return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${currency}">${negative ? amount.slice(1) : amount}</Amt><CdtDbtInd>${negative ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>2026-03-10</Dt></Dt></Bal>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${spec.version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<BkToCstmrStmt><GrpHdr><MsgId>MSG-${spec.id ?? 'S1'}</MsgId><CreDtTm>2026-03-10T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>${spec.id ?? 'S1'}</Id><CreDtTm>2026-03-10T18:00:00</CreDtTm><Acct><Id><IBAN>${spec.account ?? 'DE89370400440532013000'}</IBAN></Id><Ccy>${currency}</Ccy></Acct>
${bal('OPBD', opening)}${bal('CLBD', closing)}
${entries}
</Stmt></BkToCstmrStmt></Document>`;
}
