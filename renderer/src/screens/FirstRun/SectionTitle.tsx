import type { ReactNode } from 'react';
import { Group, Title } from '@mantine/core';

/** The heading of one choice on the first-run and certificate screens: its icon, then its title. */
export function SectionTitle({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <Group gap="xs">
      {icon}
      <Title order={4}>{children}</Title>
    </Group>
  );
}
