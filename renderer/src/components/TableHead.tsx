import type { ReactNode } from 'react';
import { Table, type TableThProps } from '@mantine/core';

/**
 * One header cell: its label alone, or the label with the cell's own props (alignment, width); `{}` is
 * an empty cell, `false` a column this table leaves out (`showFrom && t('…')`).
 */
export type HeadCell = string | false | (TableThProps & { label?: ReactNode });

/** A number column's header, right-aligned like the `num` cells under it. */
export const numHead = (label: string): HeadCell => ({ label, className: 'num' });

/** A table's one header row, written as the list of its column labels. */
export function TableHead({ cells }: { cells: readonly HeadCell[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {cells.map((c, i) => {
          if (c === false) return null;
          if (typeof c === 'string') return <Table.Th key={i}>{c}</Table.Th>;
          const { label, ...props } = c;
          return (
            <Table.Th key={i} {...props}>
              {label}
            </Table.Th>
          );
        })}
      </Table.Tr>
    </Table.Thead>
  );
}
