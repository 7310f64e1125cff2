import { useId } from 'react';
import { Group, Text } from '@mantine/core';
import type { T } from '../../lib/i18n';
import { BAND_COLOR } from './badges';

/** NEWS2 of the last rounds, oldest first; the last value labelled, the line coloured by its band. */
export function News2Trend({ values, band, width = 96, t }: { values: readonly number[]; band: string | null; width?: number; t: T }) {
  if (values.length < 2)
    return (
      <Text size="xs" c="dimmed" w={width}>
        {t('panel.trend_too_short')}
      </Text>
    );
  return (
    <Group gap={6} wrap="nowrap" aria-label={t('panel.trend_label', { values: values.join(', ') })} title={t('panel.trend_label', { values: values.join(', ') })}>
      <TrendLine values={values} width={width} height={32} color={`var(--mantine-color-${BAND_COLOR[band ?? 'low'] ?? 'teal'}-filled)`} />
      <Text size="xs" c="dimmed" className="num" style={{ whiteSpace: 'nowrap' }}>
        {values[0]}→{values[values.length - 1]}
      </Text>
    </Group>
  );
}

/** The top of the y axis: the maximum rounded up to a step of 1, 2, 2.5 or 5 × 10^k (as a chart's axis would). */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  return Math.ceil(max / step) * step;
}

/**
 * A sparkline drawn as one SVG path: the look of Mantine's Sparkline (area fading down from the line,
 * y from 0) without a chart library per row — a queue row mounts on every scroll step, and a
 * recharts chart costs tens of milliseconds to mount.
 */
function TrendLine({ values, width, height, color }: { values: readonly number[]; width: number; height: number; color: string }) {
  const id = useId();
  const pad = 5;
  const top = niceMax(Math.max(...values));
  const pts = values.map((v, i) => [pad + (i * (width - 2 * pad)) / Math.max(1, values.length - 1), height - pad - (v / top) * (height - 2 * pad)] as const);
  const line = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
  const area = `${line}L${pts.at(-1)![0].toFixed(1)},${height - pad}L${pad},${height - pad}Z`;
  return (
    <svg width={width} height={height} aria-hidden style={{ flexShrink: 0 }}>
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0%" stopColor={color} stopOpacity={0.35} />
          <stop offset="100%" stopColor={color} stopOpacity={0.01} />
        </linearGradient>
      </defs>
      <path d={area} fill={`url(#${id})`} stroke="none" />
      <path d={line} fill="none" stroke={color} strokeWidth={2} strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
