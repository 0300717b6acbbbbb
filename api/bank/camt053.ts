// ISO 20022 camt.053 (bank-to-customer statement), versions .001.02 and .001.08. Values are kept
// as text (no number parsing: references keep their leading zeros, amounts their decimals). Only
// booked entries become lines, one per transaction detail; each statement's opening balance plus
// its booked entries must equal its closing balance, else a warning. The document is read entry by
// entry (the statements' headers first, then each Ntry on its own), so a large file never lives
// as one tree.
import { XMLParser } from 'fast-xml-parser';
import { formatCents, toCents } from '../../db/money';
import { calendarDayPattern } from '../../machines/schema/bounds';
import { decimalAmount, StatementError, type ParsedStatement, type StatementLine } from './statement';
import { cutPieces } from './xmlPieces';

const VERSIONS = ['camt.053.001.02', 'camt.053.001.08'] as const;

const REPEATED = new Set(['Stmt', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => REPEATED.has(name),
});

type Node = Record<string, unknown>;

const asNode = (value: unknown): Node | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined);
const list = (value: unknown): Node[] => (Array.isArray(value) ? value.flatMap((v) => (asNode(v) ? [v as Node] : [])) : asNode(value) ? [value as Node] : []);

/** The node at a path of element names, or undefined. */
function at(node: unknown, ...path: string[]): unknown {
  let current: unknown = node;
  for (const key of path) {
    const n = Array.isArray(current) ? asNode(current[0]) : asNode(current);
    if (!n) return undefined;
    current = n[key];
  }
  return Array.isArray(current) && path.length > 0 && !REPEATED.has(path[path.length - 1] as string) ? current[0] : current;
}

/** Text content of an element (with or without attributes). */
function text(node: unknown, ...path: string[]): string | null {
  const value = at(node, ...path);
  if (typeof value === 'string') return value.trim() || null;
  const n = asNode(value);
  const inner = n?.['#text'];
  return typeof inner === 'string' ? inner.trim() || null : null;
}

function amountOf(node: unknown, path: string, where: string): { amount: string; currency: string } {
  const amt = asNode(at(node, path));
  const currency = typeof amt?.['@Ccy'] === 'string' ? amt['@Ccy'] : '';
  if (!/^[A-Z]{3}$/.test(currency)) throw new StatementError('an amount without a currency (Ccy)', `${where}.${path}`);
  return { amount: decimalAmount(amt?.['#text'], `${where}.${path}`), currency };
}

/** The day of a Dt (or a DtTm, as the bank wrote it), or a StatementError at `where`. */
function dateOf(node: unknown, where: string, ...path: string[]): string | null {
  const value = text(node, ...path, 'Dt') ?? text(node, ...path, 'DtTm');
  if (!value) return null;
  const day = value.slice(0, 10);
  if (!calendarDayPattern.test(day)) throw new StatementError(`not a calendar date: ${value}`, `${where}.${path.join('.')}`);
  return day;
}

/** v02: Dbtr/Nm; v08: Dbtr/Pty/Nm. The counterparty is the debtor of a credit, the creditor of a debit. */
function party(details: Node, role: 'Dbtr' | 'Cdtr'): { name: string | null; iban: string | null } {
  const parties = at(details, 'RltdPties');
  return {
    name: text(parties, role, 'Pty', 'Nm') ?? text(parties, role, 'Nm'),
    iban: text(parties, `${role}Acct`, 'Id', 'IBAN')?.replace(/\s+/g, '').toUpperCase() ?? null,
  };
}

function remittanceOf(details: Node | undefined): { text: string; creditorReference: string | null } {
  const info = asNode(at(details, 'RmtInf'));
  const ustrd = Array.isArray(info?.Ustrd) ? info.Ustrd : [];
  const parts = ustrd.map((u) => (typeof u === 'string' ? u : String(asNode(u)?.['#text'] ?? ''))).filter(Boolean);
  let creditorReference: string | null = null;
  for (const strd of list(info?.Strd)) {
    creditorReference ??= text(strd, 'CdtrRefInf', 'Ref');
    const additional = text(strd, 'AddtlRmtInf');
    if (additional) parts.push(additional);
  }
  return { text: parts.join(' ').trim(), creditorReference };
}

/** One piece of the document as a tree, its well-formedness checked. */
function parsed(xml: string, where: string): unknown {
  try {
    return parser.parse(xml, true);
  } catch (error) {
    throw new StatementError(`the XML is not well-formed: ${(error as Error).message}`, where);
  }
}

export function isCamt053(body: string): boolean {
  return /urn:iso:std:iso:20022:tech:xsd:camt\.053\./.test(body.slice(0, 2000));
}

export function parseCamt053(xml: string): ParsedStatement {
  const version = VERSIONS.find((v) => xml.includes(`urn:iso:std:iso:20022:tech:xsd:${v}`));
  if (!version) throw new StatementError(`not a camt.053 document of a supported version (${VERSIONS.join(', ')})`, 'body');
  const { skeleton, pieces } = cutPieces(xml, ['Document', 'BkToCstmrStmt', 'Stmt'], 'Ntry');
  const stmts = at(parsed(skeleton, 'body'), 'Document', 'BkToCstmrStmt', 'Stmt');
  // An empty <Stmt/> stays in place (as no account) so statements and their entries line up.
  const statements = (Array.isArray(stmts) ? stmts : []).map((stmt) => asNode(stmt) ?? {});
  if (statements.length === 0) throw new StatementError('no Stmt in BkToCstmrStmt', 'body.Document.BkToCstmrStmt');
  const lines: StatementLine[] = [];
  const warnings: string[] = [];

  statements.forEach((stmt, s) => {
    const where = `body.Stmt[${s}]`;
    const statementId = text(stmt, 'Id');
    const account = text(stmt, 'Acct', 'Id', 'IBAN')?.replace(/\s+/g, '').toUpperCase() ?? text(stmt, 'Acct', 'Id', 'Othr', 'Id');
    if (!account) throw new StatementError('the statement names no account (Acct/Id)', `${where}.Acct`);

    let booked = 0n;
    (pieces[s] ?? []).forEach(([start, end], e) => {
      const ew = `${where}.Ntry[${e}]`;
      const entry = asNode(list(at(parsed(xml.slice(start, end), ew), 'Ntry'))[0]) ?? {};
      // v02: <Sts>BOOK</Sts>; v08: <Sts><Cd>BOOK</Cd></Sts>. Pending or informational entries are not money yet.
      const status = text(entry, 'Sts', 'Cd') ?? text(entry, 'Sts');
      if (status !== 'BOOK') return;
      const { amount, currency } = amountOf(entry, 'Amt', ew);
      const indicator = text(entry, 'CdtDbtInd');
      if (indicator !== 'CRDT' && indicator !== 'DBIT') throw new StatementError('CdtDbtInd must be CRDT or DBIT', `${ew}.CdtDbtInd`);
      const direction = indicator === 'CRDT' ? 'credit' : 'debit';
      booked += direction === 'credit' ? toCents(amount) : -toCents(amount);
      const bookingDate = dateOf(entry, ew, 'BookgDt');
      if (!bookingDate) throw new StatementError('a booked entry without a booking date', `${ew}.BookgDt`);
      const details = list(entry.NtryDtls).flatMap((d) => list(d.TxDtls));
      const base = {
        account,
        statementId,
        bookingDate,
        valueDate: dateOf(entry, ew, 'ValDt'),
        currency,
        direction,
        reversal: text(entry, 'RvslInd') === 'true',
        entryReference: text(entry, 'NtryRef'),
      } as const;
      const entryRef = text(entry, 'AcctSvcrRef');
      if (details.length === 0) {
        lines.push({
          ...base,
          amount,
          bankReference: entryRef,
          detailIndex: 0,
          endToEndId: null,
          counterpartyName: null,
          counterpartyIban: null,
          remittance: text(entry, 'AddtlNtryInf') ?? '',
          creditorReference: null,
        });
        return;
      }
      let detailSum = 0n;
      details.forEach((tx, t) => {
        const tw = `${ew}.TxDtls[${t}]`;
        // v08: TxDtls/Amt; v02: TxDtls/AmtDtls/TxAmt/Amt; a single detail may leave it to the entry.
        const own =
          at(tx, 'Amt') !== undefined
            ? amountOf(tx, 'Amt', tw)
            : at(tx, 'AmtDtls', 'TxAmt', 'Amt') !== undefined
              ? amountOf(at(tx, 'AmtDtls', 'TxAmt'), 'Amt', `${tw}.AmtDtls.TxAmt`)
              : null;
        if (!own && details.length > 1) throw new StatementError('a batch entry detail without its own amount', tw);
        const lineAmount = own?.amount ?? amount;
        detailSum += toCents(lineAmount);
        const counterparty = party(tx, direction === 'credit' ? 'Dbtr' : 'Cdtr');
        const remittance = remittanceOf(tx);
        const txRef = text(tx, 'Refs', 'AcctSvcrRef');
        lines.push({
          ...base,
          amount: lineAmount,
          currency: own?.currency ?? currency,
          // The entry's reference is shared by a batch's details: the detail index tells them apart.
          bankReference: txRef ?? (entryRef && details.length > 1 ? `${entryRef}/${t}` : entryRef),
          detailIndex: t,
          endToEndId: text(tx, 'Refs', 'EndToEndId'),
          counterpartyName: counterparty.name,
          counterpartyIban: counterparty.iban,
          remittance: remittance.text || (text(entry, 'AddtlNtryInf') ?? ''),
          creditorReference: remittance.creditorReference,
        });
      });
      if (details.length > 1 && detailSum !== toCents(amount))
        warnings.push(`${ew}: its transaction details add up to ${formatCents(detailSum)}, the entry says ${amount}`);
    });

    const balance = (codes: string[]): bigint | null => {
      const bal = list(stmt.Bal).find((b) => codes.includes(text(b, 'Tp', 'CdOrPrtry', 'Cd') ?? ''));
      if (!bal) return null;
      const cents = toCents(amountOf(bal, 'Amt', `${where}.Bal`).amount);
      return text(bal, 'CdtDbtInd') === 'DBIT' ? -cents : cents;
    };
    const opening = balance(['OPBD', 'PRCD']);
    const closing = balance(['CLBD']);
    if (opening === null || closing === null) warnings.push(`${where}: no opening (OPBD) or closing (CLBD) balance to check against`);
    else if (opening + booked !== closing) {
      warnings.push(
        `${where} (${statementId ?? 'no id'}): opening ${formatCents(opening)} plus booked entries ${formatCents(booked)} is ${formatCents(opening + booked)}, but the closing balance is ${formatCents(closing)}`,
      );
    }
  });
  return { format: version, lines, warnings };
}
