// Sorting the rows a table shows by one column: the first click sorts ascending, the next descending.
import { useMemo, useState } from 'react';

export type SortValue = string | number | null;

export interface Sorting<K extends string> {
  by: K | null;
  direction: 'asc' | 'desc';
  toggle(column: K): void;
}

/** Nulls last in either direction; strings by the browser's collation, numbers by value. */
export function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

export function useSorting<T, K extends string>(rows: T[], keyOf: Record<K, (row: T) => SortValue>): [T[], Sorting<K>] {
  const [by, setBy] = useState<K | null>(null);
  const [direction, setDirection] = useState<'asc' | 'desc'>('asc');
  const sorted = useMemo(() => {
    if (by === null) return rows;
    const key = keyOf[by];
    const sign = direction === 'asc' ? 1 : -1;
    return [...rows].sort((x, y) => {
      const a = key(x);
      const b = key(y);
      // Nulls stay last whichever the direction.
      if (a === null || b === null) return compareValues(a, b);
      return sign * compareValues(a, b);
    });
    // keyOf is the caller's literal, new each render but the same in meaning.
  }, [rows, by, direction]);
  const toggle = (column: K) => {
    if (by === column) setDirection(direction === 'asc' ? 'desc' : 'asc');
    else {
      setBy(column);
      setDirection('asc');
    }
  };
  return [sorted, { by, direction, toggle }];
}
