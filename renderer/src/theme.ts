import { createTheme, type MantineColor } from '@mantine/core';

/** Mantine defaults with one accent colour (DESIGN.md §10). */
export const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'sm',
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", Roboto, sans-serif',
  headings: { fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
});

/** Bed state colours, always shown beside a text label. */
export const BED_STATE_COLOR: Record<string, MantineColor> = {
  free: 'teal',
  reserved: 'indigo',
  occupied: 'blue',
  cleaning: 'yellow',
  out_of_service: 'gray',
};
