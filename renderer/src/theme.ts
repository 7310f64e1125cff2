import type { FocusEvent } from 'react';
import { createTheme, Select, type MantineColor } from '@mantine/core';

/** Mantine defaults with one accent colour (DESIGN.md §10). */
export const theme = createTheme({
  primaryColor: 'teal',
  // Filled controls in shade 9 with black or white text by contrast: white on teal 6 is 2.5:1, on teal 9 it is 5:1 (WCAG AA).
  primaryShade: { light: 9, dark: 9 },
  autoContrast: true,
  // Black text from yellow 9 and lime 9 up (their white text is under 4.5:1), white below.
  luminanceThreshold: 0.22,
  defaultRadius: 'sm',
  fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", Roboto, sans-serif',
  headings: { fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
  components: {
    // Typing in a searchable select replaces the shown label (it is selected on focus) and highlights
    // the first match, so Enter picks what was typed ("30" + Enter → ward 30), not the ward that was
    // selected before (issue 13). A select that is not searchable is read-only and keeps its text.
    Select: Select.extend({
      defaultProps: {
        selectFirstOptionOnChange: true,
        onFocus: (e: FocusEvent<HTMLInputElement>) => {
          if (!e.currentTarget.readOnly) e.currentTarget.select();
        },
      },
    }),
  },
});

/** Bed state colours, always shown beside a text label. */
export const BED_STATE_COLOR: Record<string, MantineColor> = {
  free: 'teal',
  reserved: 'indigo',
  occupied: 'blue',
  cleaning: 'yellow',
  out_of_service: 'gray',
};
