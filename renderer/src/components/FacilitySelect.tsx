import { Select } from '@mantine/core';
import { useApiQuery } from '../lib/query';

const ALL = 'all';

/** Picks one facility, or all of them together as the first choice (`null`); the list is the shared facilities query. */
export function FacilitySelect({
  label,
  allLabel,
  value,
  onChange,
  w,
}: {
  label: string;
  allLabel: string;
  value: number | null;
  onChange: (facilityId: number | null) => void;
  w: number;
}) {
  const facilities = useApiQuery('facilities:list', {});
  return (
    <Select
      label={label}
      data={[{ value: ALL, label: allLabel }, ...(facilities.data ?? []).map((f) => ({ value: String(f.id), label: f.name }))]}
      value={value === null ? ALL : String(value)}
      onChange={(v) => onChange(v === null || v === ALL ? null : Number(v))}
      allowDeselect={false}
      w={w}
    />
  );
}
