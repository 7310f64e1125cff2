import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from '@playwright/test';

/**
 * Render measurements for test/e2e/scale.spec.ts. The page-side parts are page source strings, so
 * this file type-checks without the DOM library (they run in Chromium).
 */

/** Where the render measurements go; `npm run bench` prints them beside the core's figures. */
export const RENDER_RESULTS = path.resolve(__dirname, '../../test-results/scale-render.json');

/**
 * Merges one screen's figures into the results file. The patient list stays at the top level (the
 * shape the bench reads); the ward board and the queue go under their own keys.
 */
export function recordRender(section: 'patients' | 'board' | 'queue', figures: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(RENDER_RESULTS), { recursive: true });
  const old = fs.existsSync(RENDER_RESULTS) ? (JSON.parse(fs.readFileSync(RENDER_RESULTS, 'utf8')) as Record<string, unknown>) : {};
  const next = section === 'patients' ? { board: old.board, queue: old.queue, ...figures } : { ...old, [section]: figures };
  fs.writeFileSync(RENDER_RESULTS, JSON.stringify(next, null, 2));
  console.log(`[render ${section}]`, JSON.stringify(figures));
}

/**
 * From now on, records when each core call's answer reaches the page (before the screen renders
 * it) and when the first element matching `selector` is painted (the frame after it enters the DOM).
 */
export async function watchRender(page: Page, selector: string): Promise<void> {
  await page.evaluate(`(() => {
    window.__answered = {};
    if (!window.__wrapped) {
      const invoke = window.__echelonInvoke;
      window.__echelonInvoke = (channel, input) => invoke(channel, input).then((r) => { window.__answered[channel] = performance.now(); return r; });
      window.__wrapped = true;
    }
    window.__painted = null;
    const sel = ${JSON.stringify(selector)};
    const seen = () => {
      if (!document.querySelector(sel)) return false;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now(); }, 0));
      return true;
    };
    const observer = new MutationObserver(seen);
    if (!seen()) observer.observe(document.body, { childList: true, subtree: true });
  })()`);
}

/** The paint time and the answer time of `channel` recorded by watchRender (ms on the page's clock). */
export async function renderTimes(page: Page, channel: string): Promise<{ painted: number; answered: number | null }> {
  await page.waitForFunction('window.__painted !== null');
  return (await page.evaluate(`({ painted: window.__painted, answered: window.__answered[${JSON.stringify(channel)}] ?? null })`)) as { painted: number; answered: number | null };
}

export const now = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/** Scrolls the element through its whole height in 40 steps; the p95 of the frames that render each step. */
export async function scrollFrameP95(page: Page, scroller: string): Promise<number> {
  const frames = (await page.evaluate(`(async () => {
    const el = document.querySelector(${JSON.stringify(scroller)});
    const times = [];
    for (let i = 1; i <= 40; i++) {
      const s = performance.now();
      el.scrollTop = (el.scrollHeight * i) / 40;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      times.push(performance.now() - s);
    }
    return times;
  })()`)) as number[];
  return Math.round([...frames].sort((a, b) => a - b)[Math.floor(frames.length * 0.95) - 1]!);
}

/** Scrolls the element to its end (rows measured on the way may grow it, so a frame later again). */
export async function scrollToEnd(page: Page, scroller: string): Promise<void> {
  await page.evaluate(`(async () => {
    const el = document.querySelector(${JSON.stringify(scroller)});
    for (let i = 0; i < 5; i++) {
      el.scrollTop = el.scrollHeight;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
  })()`);
}

/** JS heap in use after a garbage collection, in MB: what the open screen keeps alive. */
export async function heapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const metrics = (await cdp.send('Performance.getMetrics')).metrics as { name: string; value: number }[];
  return Math.round(((metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1048576) * 10) / 10;
}
