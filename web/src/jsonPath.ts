// Where a validation path (`stages.quoting.checkpoint.role`, or the API's `body.definition.…`)
// sits in JSON text: a small scanner that records the offset of every value by its path, so the
// editor can point at the line of an error. Paths that do not exist fall back to their nearest parent.

export interface Location {
  line: number;
  start: number;
  end: number;
}

function scan(text: string): Map<string, { start: number; end: number }> {
  const spans = new Map<string, { start: number; end: number }>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return text.slice(start + 1, i - 1);
    }
  };
  const value = (path: string, keyStart: number): void => {
    ws();
    const start = i;
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      while (i < text.length && text[i] !== '}') {
        ws();
        const at = i;
        if (text[i] !== '"') throw new Error('key expected');
        const key = str();
        ws();
        if (text[i] !== ':') throw new Error(': expected');
        i++;
        value(path ? `${path}.${key}` : key, at);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (ch === '[') {
      i++;
      let index = 0;
      ws();
      while (i < text.length && text[i] !== ']') {
        value(path ? `${path}.${index}` : String(index), -1);
        index++;
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (ch === '"') {
      str();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
    }
    spans.set(path, { start: keyStart >= 0 ? keyStart : start, end: i });
  };
  try {
    value('', -1);
  } catch {
    // Broken JSON: what was scanned so far still locates.
  }
  return spans;
}

export function locatePath(text: string, path: string): Location | null {
  const spans = scan(text);
  let parts = path
    .replace(/^body\.definition\.?/, '')
    .replace(/^definition\.?/, '')
    .split('.')
    .filter(Boolean);
  for (;;) {
    const span = spans.get(parts.join('.'));
    if (span)
      return {
        line: text.slice(0, span.start).split('\n').length,
        start: span.start,
        end: Math.min(span.end, text.indexOf('\n', span.start) === -1 ? span.end : text.indexOf('\n', span.start)),
      };
    if (parts.length === 0) return null;
    parts = parts.slice(0, -1);
  }
}

/** The line of a JSON.parse error message's position ("… at position 123"), if it names one. */
export function parseErrorLine(text: string, message: string): number | null {
  const match = /position (\d+)/.exec(message);
  return match ? text.slice(0, Number(match[1])).split('\n').length : null;
}
