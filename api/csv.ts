// A small RFC 4180 reader for lead imports: comma or semicolon separated, quoted fields with
// doubled quotes, CRLF or LF line ends, a header row. Rows are returned with their line numbers.

interface CsvTable {
  header: string[];
  rows: { line: number; cells: string[] }[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function detectSeparator(firstLine: string): ',' | ';' {
  const commas = firstLine.split(',').length;
  const semicolons = firstLine.split(';').length;
  return semicolons > commas ? ';' : ',';
}

export function parseCsv(text: string): CsvTable {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const separator = detectSeparator(source.split(/\r?\n/, 1)[0] ?? '');
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endCell = () => {
    cells.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
  };
  while (i < source.length) {
    const c = source[i];
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"') {
      if (cell !== '') throw new CsvError(line, 'a quote may only start a field');
      quoted = true;
    } else if (c === separator) {
      endCell();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += c;
    }
    i++;
  }
  if (quoted) throw new CsvError(recordLine, 'a quoted field is not closed');
  if (cell !== '' || cells.length > 0) endRecord();
  const [head, ...rows] = records;
  if (!head) throw new CsvError(1, 'the file is empty; the first line names the columns');
  return { header: head.cells.map((h) => h.trim()), rows };
}
