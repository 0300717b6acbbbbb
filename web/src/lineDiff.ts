// The lines two texts differ by (longest common subsequence), with a little context around each
// change: the JSON differences shown before publishing. Pure.

export interface DiffLine {
  kind: 'same' | 'removed' | 'added' | 'gap';
  text: string;
}

export function lineDiff(before: string, after: string, context = 2): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // lcs[i][j]: the common length of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const below = lcs[i + 1] as Uint32Array;
    for (let j = b.length - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
  }
  const all: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      all.push({ kind: 'same', text: a[i++] as string });
      j++;
    } else if (i < a.length && (j >= b.length || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      all.push({ kind: 'removed', text: a[i++] as string });
    } else {
      all.push({ kind: 'added', text: b[j++] as string });
    }
  }
  const near = (k: number) => all.slice(Math.max(0, k - context), k + context + 1).some((l) => l.kind !== 'same');
  const shown: DiffLine[] = [];
  all.forEach((line, k) => {
    if (line.kind !== 'same' || near(k)) shown.push(line);
    else if (shown.at(-1)?.kind !== 'gap') shown.push({ kind: 'gap', text: '…' });
  });
  return shown.length === 1 && shown[0]?.kind === 'gap' ? [] : shown;
}
