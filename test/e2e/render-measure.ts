import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type CDPSession, type Page } from '@playwright/test';

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
  // Polled by evaluate, not waitForFunction: a string predicate is eval'd in the page, which its CSP refuses.
  await expect.poll(() => page.evaluate('window.__painted !== null'), { timeout: 30_000 }).toBe(true);
  return (await page.evaluate(`({ painted: window.__painted, answered: window.__answered[${JSON.stringify(channel)}] ?? null })`)) as { painted: number; answered: number | null };
}

export const now = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/** Frame figures of one scroll: p95 and worst of the frame intervals, and p95 of the main thread's work per frame (ms). */
export interface ScrollFrames {
  frames: number;
  p95: number;
  max: number;
  workP95: number;
}

/** The 95th percentile, to 0.1 ms. */
const p95 = (xs: readonly number[]) => Math.round(([...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.95) - 1)] ?? 0) * 10) / 10;

/**
 * The main thread's CPU time per frame (p95, ms) while `scroll` runs: each frame's
 * BeginMainFrame (its scroll events, animation-frame callbacks, style, layout and paint) from a
 * Chromium trace, in thread time. Unlike the frame interval it does not count time the thread waited
 * for a core, so it says what the screen costs on a machine whose cores other processes share.
 */
async function frameCpuP95(cdp: CDPSession, scroll: () => Promise<unknown>): Promise<number> {
  const events: { name: string; ph: string; tdur?: number }[] = [];
  const collect = (e: { value: unknown[] }) => events.push(...(e.value as typeof events));
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', { categories: 'blink', transferMode: 'ReportEvents' });
  await scroll();
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  const cpu = events.filter((e) => e.name === 'WebFrameWidgetImpl::BeginMainFrame' && e.ph === 'X').map((e) => (e.tdur ?? 0) / 1000);
  return p95(cpu);
}

/**
 * A list's scroll, both ways a user scrolls it: a fast fling (120 px a frame, 7,200 px/s, a row or so
 * mounted per frame) and the scrollbar dragged through the whole list in 300 frames (a new row or
 * several every frame). `scrollFrameP95Ms` is the worse of the two frame-interval p95s, the figure the
 * bench judges; `frameCpuP95Ms` the worse of the two main-thread CPU p95s (a second pass, traced) and
 * `loadAverage` the machine's 1-minute load, to read the interval by.
 */
export async function scrollBothWays(
  page: Page,
  cdp: CDPSession,
  scroller: string,
): Promise<{ scrollFrameP95Ms: number; frameCpuP95Ms: number; loadAverage: number; fling: ScrollFrames; drag: ScrollFrames }> {
  const loadAverage = Math.round(os.loadavg()[0]! * 10) / 10;
  const height = (await page.evaluate(`document.querySelector(${JSON.stringify(scroller)}).scrollHeight`)) as number;
  const dragStep = Math.ceil(height / 300);
  const fling = await scrollFrames(page, scroller, 120, 300);
  const drag = await scrollFrames(page, scroller, dragStep, 300);
  const cpuFling = await frameCpuP95(cdp, () => scrollFrames(page, scroller, 120, 300));
  const cpuDrag = await frameCpuP95(cdp, () => scrollFrames(page, scroller, dragStep, 300));
  return { scrollFrameP95Ms: Math.max(fling.p95, drag.p95), frameCpuP95Ms: Math.max(cpuFling, cpuDrag), loadAverage, fling, drag };
}

/**
 * Scrolls the element one step per frame, as a fling or a dragged scrollbar does, and times the frames
 * that show it: the interval from one frame to the next (requestAnimationFrame to
 * requestAnimationFrame: 16.7 ms is 60 fps, a frame that took too long shows as 33 ms), and each
 * frame's own work on the main thread (from the frame's start, before its scroll event, to a task
 * queued in its animation-frame callback, which runs once the frame's style, layout and paint are
 * done). `step` px a frame for `frames` frames or to the end, from the top.
 */
export async function scrollFrames(page: Page, scroller: string, step: number, frames: number): Promise<ScrollFrames> {
  const { intervals, work } = (await page.evaluate(`(async () => {
    const el = document.querySelector(${JSON.stringify(scroller)});
    el.scrollTop = 0;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    // Read once before the scroll: reading the layout inside a frame would force it early.
    const end = el.scrollHeight - el.clientHeight;
    let top = 0;
    const intervals = [];
    const work = [];
    const channel = new MessageChannel();
    let frameStart = 0;
    channel.port1.onmessage = () => work.push(performance.now() - frameStart);
    await new Promise((done) => {
      let last = null;
      let n = 0;
      const frame = (at) => {
        if (last !== null) intervals.push(at - last);
        last = at;
        frameStart = at;
        channel.port2.postMessage(0);
        if (n++ === ${frames} || top >= end) return setTimeout(done, 50);
        top = Math.min(end, top + ${step});
        el.scrollTop = top;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    channel.port1.close();
    return { intervals, work: work.slice(1) };
  })()`)) as { intervals: number[]; work: number[] };
  return { frames: intervals.length, p95: p95(intervals), max: Math.round(Math.max(...intervals) * 10) / 10, workP95: p95(work) };
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
