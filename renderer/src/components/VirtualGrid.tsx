import { memo, useCallback, useLayoutEffect, useRef, useState, type CSSProperties, type FocusEvent, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import './virtual.css';

/**
 * The height of AppShell.Main's content box: a screen whose root has this height and is a flex
 * column lets a VirtualGrid fill what is left below its filters, so the page itself never scrolls
 * and the filters stay in view while 500 beds or 2,000 queue rows scroll underneath.
 */
export const SCREEN_HEIGHT = 'calc(100dvh - var(--app-shell-header-offset, 0rem) - var(--app-shell-footer-offset, 0rem) - 2 * var(--app-shell-padding, 0rem))';

const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The px of one rem as Mantine sizes it: the root font size times --mantine-scale (PPE mode's larger scale). */
function remPx(): number {
  const root = getComputedStyle(document.documentElement);
  const scale = Number.parseFloat(root.getPropertyValue('--mantine-scale')) || 1;
  return (Number.parseFloat(root.fontSize) || 16) * scale;
}

/**
 * The list's columns (as many as fit `minItemRem` each, between 1 and `maxColumns`; one without
 * `minItemRem`) and the px of a rem, following the list's width (the navbar, the window) and PPE mode.
 */
function useLayoutMetrics(scrollRef: RefObject<HTMLDivElement | null>, minItemRem: number | undefined, gap: number, maxColumns: number): { cols: number; rem: number } {
  const [metrics, setMetrics] = useState({ cols: 1, rem: 16 });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = () => {
      const rem = remPx();
      const cols = minItemRem ? Math.max(1, Math.min(maxColumns, Math.floor((el.clientWidth + gap) / (minItemRem * rem + gap)))) : 1;
      setMetrics((m) => (m.cols === cols && m.rem === rem ? m : { cols, rem }));
    };
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
  return metrics;
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
  /**
   * A card's height in rem, known from its data before it is drawn (a card shows no more than fits
   * it): a row is as tall as its tallest card. Rows are sized once from this and never measured, so
   * a scroll mounts cards without reading the layout back.
   */
  itemRem: number | ((index: number) => number);
  /** Rows mounted beyond each edge of the view. */
  overscan?: number;
  /** Called with the last item index mounted, e.g. to fetch more rows before they are reached. */
  onVisibleEnd?: (lastIndex: number) => void;
  footer?: ReactNode;
  style?: CSSProperties;
}

/**
 * A list or a grid of cards that mounts only the rows in view (@tanstack/react-virtual), so a
 * 500-bed zone or a 20,000-patient queue opens and scrolls like a 20-row one. Items are laid out in
 * rows of as many columns as fit (`minItemRem` wide, at most `maxColumns`); each row's height comes
 * from its cards' `itemRem`, never from measuring them. Keyboard: Tab walks the cards' own buttons as before (the row
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
  itemRem,
  overscan = 3,
  onVisibleEnd,
  footer,
  style,
}: GridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { cols, rem } = useLayoutMetrics(scrollRef, minItemRem, gap, maxColumns);
  const focusRow = useRef<number | null>(null);

  const rowCount = Math.ceil(count / cols);
  const rangeExtractor = useCallback((range: Range) => {
    const rows = defaultRangeExtractor(range);
    const keep = focusRow.current;
    if (keep === null || keep >= range.count || rows.includes(keep)) return rows;
    return [...rows, keep].sort((a, b) => a - b);
  }, []);
  const rowPx = useCallback(
    (row: number) => {
      if (typeof itemRem === 'number') return Math.round(itemRem * rem) + gap;
      let tallest = 0;
      for (let i = row * cols; i < Math.min(count, (row + 1) * cols); i++) tallest = Math.max(tallest, itemRem(i));
      return Math.round(tallest * rem) + gap;
    },
    [itemRem, rem, cols, count, gap],
  );
  // Stable between scrolls: the virtualizer recomputes every row's offset when its key function changes.
  const getItemKey = useCallback((row: number) => (cols === 1 ? getKey(row) : `${cols}:${row}`), [cols, getKey]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const virtualizer = useVirtualizer({ count: rowCount, getScrollElement, estimateSize: rowPx, overscan, rangeExtractor, getItemKey });
  // New sizes (rows arrived, PPE mode, columns): the virtualizer keeps its sizes until told.
  useLayoutEffect(() => virtualizer.measure(), [virtualizer, rowPx]);
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
          <GridRow
            key={row.key}
            start={row.start}
            size={row.size}
            index={row.index}
            cols={cols}
            count={count}
            gap={gap}
            getKey={getKey}
            itemLabel={itemLabel}
            renderItem={renderItem}
          />
        ))}
      </div>
      {footer}
    </div>
  );
}

/**
 * One mounted row: its cards side by side at the row's offset, as tall as the row. A scroll that
 * keeps a row mounted passes it the same props, so it does not render again.
 */
const GridRow = memo(function GridRow({
  index: rowIndex,
  start,
  size,
  cols,
  count,
  gap,
  getKey,
  itemLabel,
  renderItem,
}: Pick<GridProps, 'count' | 'getKey' | 'itemLabel' | 'renderItem'> & { index: number; start: number; size: number; cols: number; gap: number }) {
  return (
    <div
      role="none"
      data-index={rowIndex}
      className="echelon-virtual-row"
      style={{
        transform: `translateY(${start}px)`,
        height: size,
        gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
        columnGap: gap,
        paddingBottom: gap,
      }}
    >
      {Array.from({ length: Math.min(cols, count - rowIndex * cols) }, (_, c) => {
        const index = rowIndex * cols + c;
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
});

/** A scroll re-renders the grid, not its cards: a card renders again only when the parent's data does. */
const Item = memo(function Item({ index, render }: { index: number; render: (index: number) => ReactNode }) {
  return render(index);
});
