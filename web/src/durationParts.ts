// ISO-8601 durations as a person picks them: a whole number and one unit (P3D, PT4H). Anything
// richer (P1DT2H) is kept as written and shown as text.

export const DURATION_UNITS = [
  { unit: 'S', label: 'seconds', time: true },
  { unit: 'M', label: 'minutes', time: true },
  { unit: 'H', label: 'hours', time: true },
  { unit: 'D', label: 'days', time: false },
  { unit: 'W', label: 'weeks', time: false },
] as const;

export type DurationUnit = (typeof DURATION_UNITS)[number]['unit'];

export interface DurationParts {
  amount: number;
  unit: DurationUnit;
}

/** `P3D` → 3 days; null for a duration that is not one number of one unit. */
export function parseDuration(iso: string): DurationParts | null {
  const match = /^P(?:(\d+)([DW])|T(\d+)([SMH]))$/.exec(iso);
  if (!match) return null;
  const amount = Number(match[1] ?? match[3]);
  const unit = (match[2] ?? match[4]) as DurationUnit;
  return { amount, unit };
}

/** 4 hours → `PT4H`. */
export function formatDuration({ amount, unit }: DurationParts): string {
  const time = DURATION_UNITS.find((u) => u.unit === unit)?.time ?? false;
  return time ? `PT${amount}${unit}` : `P${amount}${unit}`;
}

/** `P3D` → "3 days", `PT1H` → "1 hour"; other durations as written. */
export function describeDuration(iso: string): string {
  const parts = parseDuration(iso);
  if (!parts) return iso;
  const label = DURATION_UNITS.find((u) => u.unit === parts.unit)?.label ?? '';
  return `${parts.amount} ${parts.amount === 1 ? label.slice(0, -1) : label}`;
}
