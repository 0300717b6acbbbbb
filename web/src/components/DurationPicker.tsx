// A duration as a number and a unit, producing ISO-8601 (P3D, PT4H) for the definition. A duration
// the picker cannot express (P1DT2H) stays editable as text.
import { useEffect, useState } from 'react';
import { DURATION_UNITS, formatDuration, parseDuration, type DurationUnit } from '../durationParts';

interface Props {
  /** Names the field for assistive technology and tests, e.g. "Quoting: checkpoint SLA". */
  label: string;
  path: string;
  value: string | undefined;
  /** An optional duration can be cleared (no SLA). */
  optional?: boolean;
  onChange: (value: string | undefined) => void;
}

const fromValue = (value: string | undefined) => {
  const parts = value === undefined ? null : parseDuration(value);
  return { amount: parts ? String(parts.amount) : '', unit: parts?.unit ?? ('D' as DurationUnit), custom: value !== undefined && !parts };
};

export function DurationPicker({ label, path, value, optional = false, onChange }: Props) {
  const [local, setLocal] = useState(() => fromValue(value));
  // The JSON view may change the value: follow it unless it is what this picker produced.
  useEffect(() => {
    const produced = local.amount === '' ? undefined : formatDuration({ amount: Number(local.amount), unit: local.unit });
    if (!local.custom && produced !== value) setLocal(fromValue(value));
  }, [value]);

  if (local.custom) {
    return (
      <span className="duration-picker">
        <input
          aria-label={`${label} (ISO-8601)`}
          data-path={path}
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value === '' && optional ? undefined : e.target.value)}
        />
      </span>
    );
  }

  const update = (amount: string, unit: DurationUnit) => {
    setLocal({ amount, unit, custom: false });
    const n = Number(amount);
    if (amount === '') onChange(optional ? undefined : value);
    else if (Number.isInteger(n) && n > 0) onChange(formatDuration({ amount: n, unit }));
  };

  return (
    <span className="duration-picker">
      <input
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        aria-label={`${label}, number`}
        data-path={path}
        placeholder={optional ? 'none' : undefined}
        value={local.amount}
        onChange={(e) => update(e.target.value, local.unit)}
      />
      <select aria-label={`${label}, unit`} value={local.unit} onChange={(e) => update(local.amount, e.target.value as DurationUnit)}>
        {DURATION_UNITS.map((u) => (
          <option key={u.unit} value={u.unit}>
            {u.label}
          </option>
        ))}
      </select>
    </span>
  );
}
