import type { ReactNode } from 'react';
import { Paper, Stack, Text, Title, type TitleOrder } from '@mantine/core';

/** A title with a dimmed line under it saying what the screen or the part is for. */
export function TitleHint({ order, title, hint }: { order: TitleOrder; title: string; hint: string }) {
  return (
    <div>
      <Title order={order}>{title}</Title>
      <Text size="sm" c="dimmed">
        {hint}
      </Text>
    </div>
  );
}

/** A bordered section: its title, a dimmed hint, then what it holds. */
export function HintedSection({ order, title, hint, children }: { order: TitleOrder; title: string; hint: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={order}>{title}</Title>
        <Text size="sm" c="dimmed">
          {hint}
        </Text>
        {children}
      </Stack>
    </Paper>
  );
}
