// Figures that anyone may ask for as often as they like (/metrics, /readyz) are read at most once
// per interval: callers within it share the last read, or the one still in flight. A failed read
// is kept for the interval too, so a database that is down is not asked again on every call.
export function cachedFor<T>(intervalMs: number, read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = performance.now();
    if (!last || now - last.at >= intervalMs) {
      const value = read();
      value.catch(() => undefined);
      last = { at: now, value };
    }
    return last.value;
  };
}

/** How stale /metrics journey figures and /readyz checks may be. */
export const FIGURES_INTERVAL_MS = 2_000;
