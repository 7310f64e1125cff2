import { Alert, type AlertProps } from '@mantine/core';

/** A refusal or failure without a field to sit on: one red alert, announced to screen readers; nothing when there is none. */
export function FormError({ message, ...props }: { message: string | null | undefined } & Omit<AlertProps, 'children' | 'color' | 'role'>) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" {...props}>
      {message}
    </Alert>
  );
}
