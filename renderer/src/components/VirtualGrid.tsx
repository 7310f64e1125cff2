import { memo, useCallback, useLayoutEffect, useRef, useState, type CSSProperties, type FocusEvent, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range, type VirtualItem } from '@tanstack/react-virtual';
import './virtual.css';

/**
 * The height of AppShell.Main's content box: a screen whose root has this height and is a flex
 * column lets a VirtualGrid fill what is left below its filters, so the page itself never scrolls
 * and the filters stay in view while 500 beds or 2,000 queue rows scroll underneath.
 */
export const SCREEN_HEIGHT = 'calc(100dvh - var(--app-shell-header-offset, 0rem) - var(--app-shell-footer-offset, 0rem) - 2 * var(--app-shell-padding, 0rem))';

const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Columns that fit `width` at `minRem` each (rem follows Mantine's PPE scale), between 1 and `max`. */
function columnsFor(width: number, minRem: number, gap: number, max: number): number {
  const root = getComputedStyle(document.documentElement);
  const scale = Number.parseFloat(root.getPropertyValue('--mantine-scale')) || 1;
  const min = minRem * (Number.parseFloat(root.fontSize) || 16) * scale;
  return Math.max(1, Math.min(max, Math.floor((width + gap) / (min + gap))));
}

/** Columns follow the width of the list (the navbar, the window, PPE mode's larger rem); one without `minItemRem`. */
function useColumns(scrollRef: RefObject<HTMLDivElement | null>, minItemRem: number | undefined, gap: number, maxColumns: number): number {
  const [cols, setCols] = useState(1);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !minItemRem) return;
    const update = () => setCols(columnsFor(el.clientWidth, minItemRem, gap, maxColumns));
    update();
    const resize = new ResizeObserver(update);
    resize.observe(el);
    const ppe = new MutationObserver(update);
    ppe.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'data-ppe'] });
    return () => {
      resize.disconnect();
      ppe.disconnect();
    };
  }, [scrollRef, minItemRem, gap, maxColumns]);
  return cols;
}

/** Where an arrow key, Home or End moves from card `i`; undefined for any other key (left and right only in a grid). */
function nextIndex(key: string, i: number, cols: number, count: number): number | undefined {
  const rowCount = Math.ceil(count / cols);
  switch (key) {
    case 'ArrowDown':
      return i + cols < count ? i + cols : Math.floor(i / cols) < rowCount - 1 ? count - 1 : i;
    case 'ArrowUp':
      return i >= cols ? i - cols : i;
    case 'ArrowRight':
      return cols > 1 ? Math.min(i + 1, count - 1) : undefined;
    case 'ArrowLeft':
      return cols > 1 ? Math.max(i - 1, 0) : undefined;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

interface GridProps {
  count: number;
  renderItem: (index: number) => ReactNode;
  getKey: (index: number) => string | number;
  /** The accessible name of a card that has no button of its own (focus lands on the card). */
  itemLabel?: (index: number) => string;
  label: string;
  testId?: string;
  /** Narrowest card, in rem; omitted = one column (a list). */
  minItemRem?: number;
  maxColumns?: number;
  gap?: number;
  estimateRowHeight: number;
  /** Rows mounted beyond each edge of the view. */
  overscan?: number;
  /** Called with the last item index mounted, e.g. to fetch more rows before they are reached. */
  onVisibleEnd?: (lastIndex: number) => void;
  footer?: ReactNode;
  style?: CSSProperties;
}

/**
 * A list or a grid of cards that mounts only the rows in view (@tanstack/react-virtual), so a
 * 500-bed zone or a 2,000-patient queue opens and scrolls like a 20-row one. Items are laid out in
 * rows of as many columns as fit (`minItemRem` wide, at most `maxColumns`); rows may differ in height
 * and are measured as they mount. Keyboard: Tab walks the cards' own buttons as before (the row
 * holding focus is never unmounted); the arrow keys move between cards (up/down by a row), Home and
 * End go to the first and last card, scrolling them into view.
 */
export function VirtualGrid({
  count,
  renderItem,
  getKey,
  itemLabel,
  label,
  testId,
  minItemRem,
  maxColumns = 1,
  gap = 12,
  estimateRowHeight,
  overscan = 3,
  onVisibleEnd,
  footer,
  style,
}: GridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const cols = useColumns(scrollRef, minItemRem, gap, maxColumns);
  const focusRow = useRef<number | null>(null);

  const rowCount = Math.ceil(count / cols);
  const rangeExtractor = useCallback((range: Range) => {
    const rows = defaultRangeExtractor(range);
    const keep = focusRow.current;
    if (keep === null || keep >= range.count || rows.includes(keep)) return rows;
    return [...rows, keep].sort((a, b) => a - b);
  }, []);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight + gap,
    overscan,
    rangeExtractor,
    getItemKey: (row) => (cols === 1 ? getKey(row) : `${cols}:${row}`),
  });
  const rows = virtualizer.getVirtualItems();
  const lastRow = rows.at(-1)?.index;

  useLayoutEffect(() => {
    if (onVisibleEnd && lastRow !== undefined) onVisibleEnd(Math.min(count - 1, (lastRow + 1) * cols - 1));
  }, [lastRow, cols, count, onVisibleEnd]);

  const focusItem = (index: number, attempt = 0) => {
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-item-index="${index}"]`);
    if (el) (el.querySelector<HTMLElement>(FOCUSABLE) ?? el).focus();
    else if (attempt < 10) requestAnimationFrame(() => focusItem(index, attempt + 1));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const target = e.target as HTMLElement;
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    const item = target.closest<HTMLElement>('[data-item-index]');
    if (!item) return;
    const i = Number(item.dataset.itemIndex);
    const next = nextIndex(e.key, i, cols, count);
    if (next === undefined) return;
    e.preventDefault();
    if (next === i) return;
    focusRow.current = Math.floor(next / cols);
    virtualizer.scrollToIndex(Math.floor(next / cols), { align: 'auto' });
    focusItem(next);
  };

  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    const item = (e.target as HTMLElement).closest<HTMLElement>('[data-item-index]');
    if (item) focusRow.current = Math.floor(Number(item.dataset.itemIndex) / cols);
  };

  return (
    <div
      ref={scrollRef}
      data-testid={testId}
      className="echelon-virtual"
      style={{ overflowY: 'auto', position: 'relative', flex: '1 1 0', minHeight: 240, ...style }}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      <div role="list" aria-label={label} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => (
          <GridRow key={row.key} row={row} cols={cols} count={count} gap={gap} measure={virtualizer.measureElement} getKey={getKey} itemLabel={itemLabel} renderItem={renderItem} />
        ))}
      </div>
      {footer}
    </div>
  );
}

/** One mounted row: its cards side by side, placed at the row's offset and measured as it mounts. */
function GridRow({
  row,
  cols,
  count,
  gap,
  measure,
  getKey,
  itemLabel,
  renderItem,
}: Pick<GridProps, 'count' | 'getKey' | 'itemLabel' | 'renderItem'> & { row: VirtualItem; cols: number; gap: number; measure: (el: HTMLElement | null) => void }) {
  return (
    <div
      role="none"
      data-index={row.index}
      ref={measure}
      style={{
        position: 'absolute',
        top: 0,
        left: 0,
        right: 0,
        transform: `translateY(${row.start}px)`,
        display: 'grid',
        gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
        columnGap: gap,
        paddingBottom: gap,
      }}
    >
      {Array.from({ length: Math.min(cols, count - row.index * cols) }, (_, c) => {
        const index = row.index * cols + c;
        return (
          <div
            key={getKey(index)}
            role="listitem"
            aria-posinset={index + 1}
            aria-setsize={count}
            aria-label={itemLabel?.(index)}
            data-item-index={index}
            tabIndex={-1}
            className="echelon-virtual-item"
          >
            <Item index={index} render={renderItem} />
          </div>
        );
      })}
    </div>
  );
}

/** A scroll re-renders the grid, not its cards: a card renders again only when the parent's data does. */
const Item = memo(function Item({ index, render }: { index: number; render: (index: number) => ReactNode }) {
  return render(index);
});
