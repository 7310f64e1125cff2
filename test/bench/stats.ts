export interface Stats {
  n: number;
  median: number;
  p95: number;
  min: number;
}

/** Runs `fn` n times after a warm-up call (fewer, but at least 3, when the runs pass `budgetMs`); times in ms. */
export function measure(n: number, fn: () => unknown, budgetMs = 20_000): Stats {
  fn();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
    if (times.length >= 3 && performance.now() - start > budgetMs) break;
  }
  n = times.length;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? 0;
  return { n, median: at(0.5), p95: at(0.95), min: times[0] ?? 0 };
}

export interface Row {
  op: string;
  stats: Stats;
  /**
   * The §8 target and which figure it judges (the median for "< x", the p95 where §8 says p95).
   * Absent for a figure printed for information beside a target's row (e.g. a first, uncached run).
   */
  target?: { ms: number; on: 'median' | 'p95' };
  baseline?: Stats;
  /** Import: the operation's speed must be at least this fraction of the raw baseline's. */
  minRatio?: number;
  unit?: 'ms' | 'MB';
  note?: string;
}

const fmt = (v: number, unit: 'ms' | 'MB' = 'ms') => (unit === 'MB' ? `${v.toFixed(0)} MB` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 2 : 1)} ms`);

/** Prints the table; true when every target is met. */
export function printTable(title: string, rows: readonly Row[]): boolean {
  const lines: string[][] = [['operation', 'n', 'median', 'p95', 'target', 'raw baseline (median)', 'op / raw', 'result']];
  let ok = true;
  for (const r of rows) {
    const judged = r.target?.on === 'p95' ? r.stats.p95 : r.stats.median;
    let pass = r.target === undefined || judged < r.target.ms;
    let ratio = '';
    if (r.baseline) {
      const x = r.stats.median / Math.max(r.baseline.median, 1e-6);
      ratio = `${x.toFixed(1)}×`;
      if (r.minRatio !== undefined) {
        const speed = r.baseline.median / Math.max(r.stats.median, 1e-6);
        ratio += ` (${(speed * 100).toFixed(0)} % of raw speed, ≥ ${(r.minRatio * 100).toFixed(0)} %)`;
        pass &&= speed >= r.minRatio;
      }
    }
    ok &&= pass;
    lines.push([
      r.op + (r.note ? ` [${r.note}]` : ''),
      String(r.stats.n),
      fmt(r.stats.median, r.unit),
      fmt(r.stats.p95, r.unit),
      r.target ? `${r.target.on === 'p95' ? 'p95 ' : ''}< ${fmt(r.target.ms, r.unit)}` : '(info)',
      r.baseline ? fmt(r.baseline.median) : '—',
      ratio || '—',
      r.target === undefined ? '' : pass ? 'ok' : 'MISSED',
    ]);
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => [...l[c]!].length)));
  console.log(`\n${title}\n`);
  for (const [i, l] of lines.entries()) {
    console.log(l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log(ok ? '\nall targets met' : '\nTARGET MISSED');
  return ok;
}

/** One timed call (a first, uncached run), as Stats. */
export function once(fn: () => unknown): Stats {
  const t = performance.now();
  fn();
  const ms = performance.now() - t;
  return { n: 1, median: ms, p95: ms, min: ms };
}
