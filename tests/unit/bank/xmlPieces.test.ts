import { describe, expect, it } from 'vitest';
import { parseCamt053 } from '../../../api/bank/camt053';
import { StatementError } from '../../../api/bank/statement';
import { cutPieces } from '../../../api/bank/xmlPieces';
import { camt053 } from '../../helpers/camt053';

const refusal = (xml: string): { message: string; path: string } => {
  try {
    parseCamt053(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(StatementError);
    return { message: (error as StatementError).message, path: (error as StatementError).path };
  }
  return expect.unreachable('the statement was read');
};

const oneEntry = () =>
  camt053({ version: '08', entries: [{ amount: '12.50', acctSvcrRef: 'A1', details: [{ endToEndId: 'E1', ustrd: ['Invoice INV-2026-000001'] }] }] });

describe('cutting a document into its repeated elements', () => {
  it('cuts the children of each parent at the path, whatever their prefix, and leaves markup that only looks like them', () => {
    const xml =
      '<?xml version="1.0"?><c:R xmlns:c="urn:x"><c:P><c:H>h</c:H><c:E a="x>y">1</c:E><!-- <c:E> --><c:E/><c:EE>no</c:EE></c:P><c:P><c:E><![CDATA[</c:E>]]></c:E></c:P></c:R>';
    const { skeleton, pieces } = cutPieces(xml, ['R', 'P'], 'E');
    expect(pieces.map((p) => p.map(([start, end]) => xml.slice(start, end)))).toEqual([['<c:E a="x>y">1</c:E>', '<c:E/>'], ['<c:E><![CDATA[</c:E>]]></c:E>']]);
    expect(skeleton).toBe('<?xml version="1.0"?><c:R xmlns:c="urn:x"><c:P><c:H>h</c:H><!-- <c:E> --><c:EE>no</c:EE></c:P><c:P></c:P></c:R>');
  });

  it('leaves children elsewhere in the tree in the skeleton', () => {
    const xml = '<R><P><X><E>deeper</E></X></P><E>beside</E></R>';
    expect(cutPieces(xml, ['R', 'P'], 'E')).toEqual({ skeleton: xml, pieces: [[]] });
  });
});

describe('camt.053 read entry by entry', () => {
  it('reads a statement whose elements carry a namespace prefix as the same lines', () => {
    const plain = oneEntry();
    const prefixed = plain.replace(/<(\/?)([A-Za-z])/g, '<$1camt:$2').replace('xmlns=', 'xmlns:camt=');
    expect(prefixed).toContain('<camt:Ntry>');
    expect(parseCamt053(prefixed)).toEqual(parseCamt053(plain));
    expect(parseCamt053(prefixed).lines[0]).toMatchObject({ amount: '12.50', bankReference: 'A1', remittance: 'Invoice INV-2026-000001' });
  });

  it('keeps each statement with its own entries and balances', () => {
    const second = camt053({
      version: '02',
      account: 'DE02120300000000202051',
      id: 'S2',
      opening: '0.00',
      entries: [
        { amount: '5.00', acctSvcrRef: 'B1', details: [{}] },
        { amount: '7.00', acctSvcrRef: 'B2', details: [{}] },
      ],
    });
    const stmt = second.slice(second.indexOf('<Stmt>'), second.indexOf('</BkToCstmrStmt>'));
    const both = camt053({ version: '02', entries: [{ amount: '12.50', acctSvcrRef: 'A1', details: [{}] }] }).replace(
      '</BkToCstmrStmt>',
      `${stmt}</BkToCstmrStmt>`,
    );
    const parsed = parseCamt053(both);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.lines.map((l) => [l.account, l.statementId, l.bankReference])).toEqual([
      ['DE89370400440532013000', 'S1', 'A1'],
      ['DE02120300000000202051', 'S2', 'B1'],
      ['DE02120300000000202051', 'S2', 'B2'],
    ]);
  });

  it('refuses unbalanced tags with their line, never reading a partial statement', () => {
    expect(refusal(oneEntry().replace('</Ntry>', ''))).toEqual({ message: 'the XML is not well-formed: </Stmt> closes <Ntry> (line 7)', path: 'body' });
    expect(refusal(oneEntry().replace('</CdtDbtInd>', '</CdtDbt>')).message).toBe('the XML is not well-formed: </CdtDbt> closes <CdtDbtInd> (line 5)');
    expect(refusal(oneEntry().slice(0, oneEntry().indexOf('</Stmt>'))).message).toBe('the XML is not well-formed: <Stmt> is not closed (line 7)');
    expect(refusal(`${oneEntry()}<Document/>`).message).toMatch(/a second root element <Document>/);
    expect(refusal(oneEntry().replace('<Ustrd>', '<Ustrd><')).message).toMatch(/a "<" that begins no tag/);
  });

  it('refuses what is malformed inside an entry naming the entry, and a DOCTYPE', () => {
    const attribute = refusal(oneEntry().replace('<Amt Ccy="EUR">12.50', '<Amt Ccy=EUR>12.50'));
    expect(attribute.path).toBe('body.Stmt[0].Ntry[0]');
    expect(attribute.message).toMatch(/^the XML is not well-formed: Attribute 'Ccy' is without value/);
    expect(refusal(oneEntry().replace('<Ustrd>Invoice', '<Ustrd>a & b')).path).toBe('body.Stmt[0].Ntry[0]');
    expect(refusal(oneEntry().replace('<Document', '<!DOCTYPE Document [<!ENTITY a "b">]><Document')).message).toMatch(/a DOCTYPE/);
  });
});
