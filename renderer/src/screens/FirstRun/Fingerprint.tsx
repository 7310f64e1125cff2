import { Group, Paper, Stack, Text } from '@mantine/core';
import { fingerprintLines } from '../../lib/network';

/**
 * A SHA-256 fingerprint set out for reading aloud and comparing group by group: four numbered lines
 * of four groups, monospace, the same bytes in the same order as the server prints them. With
 * `compareTo`, the groups that differ from it are shown in red.
 */
export function Fingerprint({ value, label, testId, compareTo, size = 20 }: { value: string; label: string; testId?: string; compareTo?: string; size?: number }) {
  const other = compareTo ? fingerprintLines(compareTo) : null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Paper withBorder p="sm" bg="gray.0" data-testid={testId} data-fingerprint={value} aria-label={`${label}: ${value}`}>
        <Stack gap={2}>
          {fingerprintLines(value).map((line, i) => (
            <Group key={i} gap="md" wrap="nowrap">
              <Text c="dimmed" ff="monospace" size="sm" w={16} ta="right" aria-hidden>
                {i + 1}
              </Text>
              {line.map((group, j) => (
                <Text key={j} ff="monospace" fz={size} fw={600} lts={1} c={other && other[i]?.[j] !== group ? 'red' : undefined}>
                  {group}
                </Text>
              ))}
            </Group>
          ))}
        </Stack>
      </Paper>
    </Stack>
  );
}
