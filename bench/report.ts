// How every benchmark reports: one JSON line per figure, then a readable table at the end.
export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
}

const figures: Figure[] = [];

export function report(figure: Figure): void {
  const rounded = {
    ...figure,
    value: round(figure.value),
    ...(figure.baseline !== undefined ? { baseline: round(figure.baseline) } : {}),
    ...(figure.ratio !== undefined ? { ratio: round(figure.ratio) } : {}),
  };
  figures.push(rounded);
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

export function printTable(): void {
  const rows = figures.map((f) => [
    f.bench,
    f.metric,
    `${f.value} ${f.unit}`,
    f.baseline === undefined ? '' : `${f.baseline} ${f.unit}`,
    f.ratio === undefined ? '' : String(f.ratio),
  ]);
  const header = ['bench', 'metric', 'value', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n * 10) / 10 : Math.round(n * 1000) / 1000;
}
