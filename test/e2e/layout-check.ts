/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from '@playwright/test';

/**
 * Layout faults of what is on screen now, from bounding boxes (issue 18):
 * - two interactive elements (buttons, inputs, links, tabs, switches…) that overlap, neither inside the other;
 * - text clipped by its own box (scrollWidth > clientWidth) on labels, badges, buttons, tabs and table
 *   headers, unless it ends in an ellipsis and a title or tooltip gives the full text;
 * - in PPE mode, an interactive element smaller than 48 px in both directions (a gloved finger's target),
 *   and a page that scrolls sideways.
 * Boxes are cut to what their scrolling ancestors show, so rows scrolled out of a list do not count.
 * Each fault names the elements by role, text and test id, so a failing run says where to look.
 */
export async function layoutFaults(page: Page, options: { ppe: boolean }): Promise<string[]> {
  return page.evaluate(({ ppe }) => {
    const INTERACTIVE =
      'button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=tab], [role=checkbox], [role=radio], [role=switch], [role=combobox], [role=slider]';
    const TEXT =
      'label, .mantine-Badge-label, .mantine-Button-label, .mantine-Tabs-tabLabel, .mantine-NavLink-label, .mantine-SegmentedControl-label, th, .mantine-InputWrapper-label';
    type Box = { el: Element; l: number; t: number; r: number; b: number };
    const describe = (el: Element) => {
      const id = el.getAttribute('data-testid') ?? el.getAttribute('data-field') ?? '';
      const name = (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? (el as HTMLInputElement).value ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
      return `<${el.tagName.toLowerCase()}${id ? ` ${id}` : ''}${name ? ` "${name}"` : ''}>`;
    };
    const shown = (el: Element): boolean => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
      }
      return true;
    };
    /** The element's box cut to the visible part of its clipping ancestors and the viewport; null when nothing of it shows. */
    const visibleBox = (el: Element): Box | null => {
      const r = el.getBoundingClientRect();
      let l = r.left,
        t = r.top,
        rr = r.right,
        b = r.bottom;
      for (let e = el.parentElement; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
          const c = e.getBoundingClientRect();
          l = Math.max(l, c.left);
          t = Math.max(t, c.top);
          rr = Math.min(rr, c.right);
          b = Math.min(b, c.bottom);
        }
      }
      l = Math.max(l, 0);
      t = Math.max(t, 0);
      rr = Math.min(rr, innerWidth);
      b = Math.min(b, innerHeight);
      return rr - l >= 2 && b - t >= 2 ? { el, l, t, r: rr, b } : null;
    };
    const faults: string[] = [];
    // Visually hidden inputs (a Mantine checkbox's or segmented control's native input) stand in for the
    // control drawn beside them; they are not targets of their own.
    const LABELS = 'label, .mantine-InputWrapper-label, h1, h2, h3, h4, [data-testid=round-bed]';
    const labelBoxes = [...document.querySelectorAll(LABELS)]
      .filter((el) => shown(el) && !el.closest('[aria-hidden=true]'))
      .map(visibleBox)
      .filter((b): b is Box => b !== null);
    const boxes = [...document.querySelectorAll(INTERACTIVE)]
      .filter((el) => shown(el) && !el.closest('[aria-hidden=true]') && !(el as HTMLElement).closest('.mantine-visually-hidden'))
      .map(visibleBox)
      .filter((b): b is Box => b !== null);
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const a = boxes[i]!;
        const c = boxes[j]!;
        if (a.el.contains(c.el) || c.el.contains(a.el)) continue;
        // An input's own section (a password field's eye, a date field's clear button) sits inside its box by design.
        const field = a.el.closest('.mantine-Input-wrapper');
        if (field && field === c.el.closest('.mantine-Input-wrapper')) continue;
        const w = Math.min(a.r, c.r) - Math.max(a.l, c.l);
        const h = Math.min(a.b, c.b) - Math.max(a.t, c.t);
        if (w > 1 && h > 1) {
          // A control drawn over another one's box is only a fault where it is on top at that spot.
          const x = (Math.max(a.l, c.l) + Math.min(a.r, c.r)) / 2;
          const y = (Math.max(a.t, c.t) + Math.min(a.b, c.b)) / 2;
          const top = document.elementFromPoint(x, y);
          const hits = (e: Element) => top !== null && (e.contains(top) || top.contains(e));
          if (hits(a.el) && hits(c.el)) continue; // one wraps the label of the other (a checkbox and its label)
          faults.push(`overlap ${Math.round(w)}×${Math.round(h)} px: ${describe(a.el)} and ${describe(c.el)}`);
        }
      }
    }
    // A label or heading drawn over another label or over a control (the name under the prev/next buttons).
    for (let i = 0; i < labelBoxes.length; i += 1) {
      const a = labelBoxes[i]!;
      for (const c of [...labelBoxes.slice(i + 1), ...boxes]) {
        if (a.el.contains(c.el) || c.el.contains(a.el) || (a.el as HTMLLabelElement).control === c.el) continue;
        const w = Math.min(a.r, c.r) - Math.max(a.l, c.l);
        const h = Math.min(a.b, c.b) - Math.max(a.t, c.t);
        if (w > 2 && h > 2) faults.push(`label overlap ${Math.round(w)}×${Math.round(h)} px: ${describe(a.el)} and ${describe(c.el)}`);
      }
    }
    const titled = (el: Element) => {
      for (let e: Element | null = el; e; e = e.parentElement) if (e.getAttribute('title') || e.getAttribute('aria-describedby') || e.hasAttribute('data-full-text')) return true;
      return false;
    };
    for (const el of document.querySelectorAll(TEXT)) {
      const h = el as HTMLElement;
      if (!shown(h) || visibleBox(h) === null) continue;
      if (h.scrollWidth > h.clientWidth + 1 || h.scrollHeight > h.clientHeight + 2) {
        const s = getComputedStyle(h);
        if (s.overflow === 'visible' && s.overflowX === 'visible') continue; // it spills, it is not cut
        if (s.textOverflow === 'ellipsis' && titled(h)) continue;
        faults.push(`clipped text${s.textOverflow === 'ellipsis' ? ' (ellipsis without a title)' : ''}: ${describe(h)} ${h.scrollWidth}>${h.clientWidth}`);
      }
    }
    if (ppe) {
      for (const b of boxes) {
        // A control's target includes its label (a checkbox is ticked by touching its text too).
        const rects = [b.el.getBoundingClientRect(), ...[...((b.el as HTMLInputElement).labels ?? [])].map((l) => l.getBoundingClientRect())];
        const w = Math.max(...rects.map((r) => r.right)) - Math.min(...rects.map((r) => r.left));
        const h = Math.max(...rects.map((r) => r.bottom)) - Math.min(...rects.map((r) => r.top));
        if (Math.min(w, h) < 47.5) faults.push(`PPE target under 48 px: ${describe(b.el)} ${Math.round(w)}×${Math.round(h)}`);
      }
      if (document.documentElement.scrollWidth > innerWidth + 1) faults.push(`PPE page scrolls sideways: ${document.documentElement.scrollWidth} > ${innerWidth}`);
    }
    return faults;
  }, options);
}
