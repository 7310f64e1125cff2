import { Text } from '@mantine/core';

/** The foot of a printed document: each label followed by a line to write on (print.css `.signature-line`). */
export function SignatureLine({ labels }: { labels: readonly string[] }) {
  return (
    <div className="signature-line">
      {labels.map((label) => (
        <Text key={label} size="sm">
          {label}
          <span />
        </Text>
      ))}
    </div>
  );
}
