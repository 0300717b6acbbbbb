// The definition's policies as fields: score thresholds, the discount limit a manager must approve
// above, payment terms, quote validity, the nurture window, dunning levels with delays and fees,
// and the default retry of activities.
import type { PoliciesPart } from '../definitionParts';
import { DurationPicker } from './DurationPicker';

type Change = (path: (string | number)[], value: unknown) => void;

function NumberField({
  id,
  label,
  path,
  value,
  change,
  min = 0,
  max,
  step = 1,
}: {
  id: string;
  label: string;
  path: string;
  value: number | undefined;
  change: (v: number | undefined) => void;
  min?: number;
  max?: number;
  step?: number;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        data-path={path}
        min={min}
        max={max}
        step={step}
        value={value ?? ''}
        onChange={(e) => change(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    </div>
  );
}

function DurationField({ label, path, value, change }: { label: string; path: string; value: string | undefined; change: (v: string | undefined) => void }) {
  return (
    <div className="field">
      <span className="field-label">{label}</span>
      <DurationPicker label={label} path={path} value={value} onChange={change} />
    </div>
  );
}

export function PoliciesForm({ policies, change }: { policies: PoliciesPart; change: Change }) {
  const dunning = policies.dunning ?? [];
  const retry = policies.retry ?? {};
  return (
    <fieldset className="policies-form" data-path="policies">
      <legend>Policies</legend>
      <div className="grid-2">
        <NumberField
          id="policy-discount"
          label="Discount limit (%): above it a sales manager approves the quote"
          path="policies.discountApprovalLimitPct"
          value={policies.discountApprovalLimitPct}
          max={100}
          change={(v) => change(['discountApprovalLimitPct'], v)}
        />
        <NumberField
          id="policy-overpayment"
          label="Over-payment tolerance: credit above it waits for finance (empty: never)"
          path="policies.overpaymentTolerance"
          value={policies.overpaymentTolerance}
          step={0.01}
          change={(v) => change(['overpaymentTolerance'], v)}
        />
        <NumberField
          id="policy-mql"
          label="Marketing-qualified from score"
          path="policies.mqlThreshold"
          value={policies.mqlThreshold}
          max={100}
          change={(v) => change(['mqlThreshold'], v)}
        />
        <NumberField
          id="policy-sql"
          label="Sales-qualified from score (qualifies by itself)"
          path="policies.sqlThreshold"
          value={policies.sqlThreshold}
          max={100}
          change={(v) => change(['sqlThreshold'], v)}
        />
        <DurationField label="Payment terms" path="policies.paymentTerms" value={policies.paymentTerms} change={(v) => change(['paymentTerms'], v)} />
        <DurationField label="Quote validity" path="policies.quoteValidity" value={policies.quoteValidity} change={(v) => change(['quoteValidity'], v)} />
        <DurationField label="Nurture window" path="policies.nurtureWindow" value={policies.nurtureWindow} change={(v) => change(['nurtureWindow'], v)} />
      </div>
      <fieldset data-path="policies.dunning">
        <legend>Dunning levels (after the invoice's due date)</legend>
        {dunning.map((level, i) => {
          const name = `Dunning level ${level.level ?? i + 1}`;
          return (
            <div key={i} className="dunning-row">
              <strong className="small">{name}</strong>
              <span className="field">
                <span className="field-label">Delay</span>
                <DurationPicker
                  label={`${name} delay`}
                  path={`policies.dunning.${i}.offset`}
                  value={level.offset}
                  onChange={(v) => change(['dunning', i, 'offset'], v)}
                />
              </span>
              <span className="field">
                <label htmlFor={`dunning-${i}-fee`}>Fee ({level.fee?.currency ?? 'EUR'}, empty: none)</label>
                <input
                  id={`dunning-${i}-fee`}
                  data-path={`policies.dunning.${i}.fee`}
                  inputMode="decimal"
                  placeholder="5.00"
                  value={level.fee?.amount ?? ''}
                  onChange={(e) =>
                    change(['dunning', i, 'fee'], e.target.value === '' ? null : { amount: e.target.value, currency: level.fee?.currency ?? 'EUR' })
                  }
                />
              </span>
              <span className="field">
                <label htmlFor={`dunning-${i}-template`}>Email template</label>
                <input
                  id={`dunning-${i}-template`}
                  data-path={`policies.dunning.${i}.template`}
                  value={level.template ?? ''}
                  onChange={(e) => change(['dunning', i, 'template'], e.target.value)}
                />
              </span>
            </div>
          );
        })}
      </fieldset>
      <fieldset data-path="policies.retry">
        <legend>Retrying a failing activity (default)</legend>
        <div className="grid-2">
          <NumberField
            id="retry-attempts"
            label="Attempts before it parks"
            path="policies.retry.maximumAttempts"
            value={retry.maximumAttempts}
            min={1}
            max={20}
            change={(v) => change(['retry', 'maximumAttempts'], v)}
          />
          <DurationField
            label="First retry after"
            path="policies.retry.initialInterval"
            value={retry.initialInterval}
            change={(v) => change(['retry', 'initialInterval'], v)}
          />
        </div>
      </fieldset>
    </fieldset>
  );
}
