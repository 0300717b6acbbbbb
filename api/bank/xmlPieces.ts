// Cuts an XML document into its repeated elements, so each is parsed on its own and only one
// element's tree lives at a time. The scan follows every start and end tag (comments, CDATA and
// processing instructions skipped whole), so unbalanced or stray markup is refused here with its
// line; what lies inside a tag or a piece (attributes, entities) is checked by the parser reading it.
import { StatementError } from './statement';

export interface XmlPieces {
  /** The document without the cut elements: small, parsed whole. */
  skeleton: string;
  /** For each parent element at `parentPath`, in order: [start, end) of its cut children. */
  pieces: [number, number][][];
}

// A comment, CDATA, a processing instruction, a DOCTYPE, or a tag (group 1: "/" of an end tag,
// group 2: the name, group 3: the attributes, ending in "/" when self-closing).
const MARKUP = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|(<!DOCTYPE)|<(\/?)([^\s/>"'<=!?]+)((?:"[^"]*"|'[^']*'|[^"'<>])*)>/y;

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

const isParent = (open: string[], parentPath: string[]) => open.every((name, i) => localName(name) === parentPath[i]);

function malformed(xml: string, at: number, what: string): StatementError {
  const line = xml.slice(0, at).split('\n').length;
  return new StatementError(`the XML is not well-formed: ${what} (line ${line})`, 'body');
}

/**
 * Scans `xml` once: every `child` element directly inside an element at `parentPath` (local
 * names from the root, namespace prefixes ignored) is cut out of the skeleton and listed by its
 * offsets, grouped by parent.
 */
export function cutPieces(xml: string, parentPath: string[], child: string): XmlPieces {
  const open: string[] = [];
  const skeleton: string[] = [];
  const pieces: [number, number][][] = [];
  let kept = 0;
  let pieceStart = -1;
  let rootSeen = false;
  let position = 0;
  for (let at = xml.indexOf('<'); at !== -1; at = xml.indexOf('<', position)) {
    if (open.length === 0 && xml.slice(position, at).trim() !== '') throw malformed(xml, position, 'text outside the root element');
    MARKUP.lastIndex = at;
    const m = MARKUP.exec(xml);
    if (!m) throw malformed(xml, at, `a "<" that begins no tag, comment or CDATA`);
    position = MARKUP.lastIndex;
    if (m[1]) throw malformed(xml, at, 'a DOCTYPE, which a bank statement never has');
    const name = m[3];
    if (name === undefined) continue;
    if (m[2]) {
      const opened = open.pop();
      if (opened !== name) throw malformed(xml, at, opened === undefined ? `</${name}> closes nothing` : `</${name}> closes <${opened}>`);
      if (pieceStart !== -1 && open.length === parentPath.length) {
        pieces[pieces.length - 1]?.push([pieceStart, position]);
        kept = position;
        pieceStart = -1;
      }
      continue;
    }
    if (open.length === 0) {
      if (rootSeen) throw malformed(xml, at, `a second root element <${name}>`);
      rootSeen = true;
    }
    const selfClosing = m[4]?.endsWith('/') ?? false;
    if (pieceStart === -1 && open.length === parentPath.length && localName(name) === child && isParent(open, parentPath)) {
      skeleton.push(xml.slice(kept, at));
      if (selfClosing) {
        pieces[pieces.length - 1]?.push([at, position]);
        kept = position;
      } else pieceStart = at;
    }
    if (selfClosing) continue;
    open.push(name);
    if (open.length === parentPath.length && isParent(open, parentPath)) pieces.push([]);
  }
  if (open.length > 0) throw malformed(xml, xml.length, `<${open[open.length - 1] as string}> is not closed`);
  if (!rootSeen) throw malformed(xml, 0, 'no root element');
  if (xml.slice(position).trim() !== '') throw malformed(xml, position, 'text outside the root element');
  skeleton.push(xml.slice(kept));
  return { skeleton: skeleton.join(''), pieces };
}
