// A column header that sorts its table: a button inside the <th> (keyboard-operable), the order
// announced with aria-sort on the header.
import type { ReactNode } from 'react';
import type { Sorting } from '../useSorting';

export function SortHeader<K extends string>({
  column,
  sorting,
  className,
  children,
}: {
  column: K;
  sorting: Sorting<K>;
  className?: string;
  children: ReactNode;
}) {
  const active = sorting.by === column;
  const ariaSort = active ? (sorting.direction === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th scope="col" className={className} aria-sort={ariaSort}>
      <button type="button" className="sort-button" onClick={() => sorting.toggle(column)}>
        {children}
        <span className="sort-mark" aria-hidden="true">
          {active ? (sorting.direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
