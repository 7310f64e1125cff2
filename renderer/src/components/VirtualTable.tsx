import { useEffect, useRef, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import { Box, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { usePpe } from '../lib/ppe';

export interface VirtualColumn<R> {
  key: string;
  header: ReactNode;
  /** A CSS grid track: `64px`, `1fr`, `minmax(120px, 2fr)`. */
  width: string;
  align?: 'left' | 'right' | 'center';
  render: (row: R, index: number) => ReactNode;
}

/**
 * A table that renders only the rows in view (@tanstack/react-virtual), so 2,000 or 50,000 rows open
 * as fast as 20. Rows have a fixed height; cells are a CSS grid with the table's ARIA roles, so screen
 * readers and Playwright see a table. Enter or a click on a row calls `onRowClick`.
 */
export function VirtualTable<R>({
  rows,
  columns,
  getKey,
  rowHeight = 40,
  height = 480,
  onRowClick,
  rowStyle,
  label,
  testId,
  empty,
}: {
  rows: readonly R[];
  columns: readonly VirtualColumn<R>[];
  getKey: (row: R, index: number) => string | number;
  rowHeight?: number;
  height?: number | string;
  onRowClick?: (row: R, index: number) => void;
  rowStyle?: (row: R, index: number) => CSSProperties | undefined;
  label: string;
  testId?: string;
  empty?: ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // PPE mode scales type and controls by 1.25 (and to at least 48 px): the rows grow with them.
  const ppe = usePpe();
  const rowH = ppe ? Math.max(Math.round(rowHeight * 1.25), 56) : rowHeight;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => rowH, overscan: 12 });
  useEffect(() => virtualizer.measure(), [rowH, virtualizer]);
  const template = columns.map((c) => c.width).join(' ');
  // Narrower than its columns, the table scrolls sideways inside itself, never the page.
  const minWidth = columns.reduce((sum, c) => sum + Number(/(\d+)px/.exec(c.width)?.[1] ?? 0), 0);
  const cell = (align: VirtualColumn<R>['align']): CSSProperties => ({
    padding: '0 8px',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    textAlign: align ?? 'left',
    alignSelf: 'center',
  });
  const onKey = (e: KeyboardEvent<HTMLDivElement>, row: R, index: number) => {
    if (onRowClick && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      onRowClick(row, index);
    }
  };

  return (
    <Box
      role="table"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      data-testid={testId}
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, overflowX: 'auto', overflowY: 'hidden' }}
    >
      <div role="rowgroup">
        <div
          role="row"
          style={{
            display: 'grid',
            gridTemplateColumns: template,
            minHeight: 36,
            minWidth,
            background: 'var(--mantine-color-default-hover)',
            borderBottom: '1px solid var(--mantine-color-default-border)',
            fontWeight: 600,
            fontSize: 'var(--mantine-font-size-sm)',
          }}
        >
          {columns.map((c) => (
            <div role="columnheader" key={c.key} style={cell(c.align)}>
              {c.header}
            </div>
          ))}
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" style={{ height, overflowY: 'auto', overflowX: 'hidden', position: 'relative', minWidth }}>
        {rows.length === 0 && empty ? (
          <Text c="dimmed" p="md">
            {empty}
          </Text>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const row = rows[v.index] as R;
              return (
                <div
                  role="row"
                  aria-rowindex={v.index + 2}
                  key={getKey(row, v.index)}
                  tabIndex={onRowClick ? 0 : undefined}
                  onClick={onRowClick ? () => onRowClick(row, v.index) : undefined}
                  onKeyDown={onRowClick ? (e) => onKey(e, row, v.index) : undefined}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: rowH,
                    transform: `translateY(${v.start}px)`,
                    display: 'grid',
                    gridTemplateColumns: template,
                    borderBottom: '1px solid var(--mantine-color-default-border)',
                    cursor: onRowClick ? 'pointer' : undefined,
                    fontSize: 'var(--mantine-font-size-sm)',
                    ...rowStyle?.(row, v.index),
                  }}
                >
                  {columns.map((c) => (
                    <div role="cell" key={c.key} style={cell(c.align)}>
                      {c.render(row, v.index)}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </Box>
  );
}
