// The policies of a definition in the readable view: discount limit, terms, validity, dunning.
import type { PoliciesPart } from '../definitionParts';
import { describeDunningLevel, POLICY_LABELS } from '../policyLabels';

export function PoliciesSummary({ policies }: { policies: PoliciesPart | undefined }) {
  if (!policies) return null;
  return (
    <dl className="policies-summary" aria-label="Policies">
      {POLICY_LABELS.filter(({ key }) => policies[key] !== undefined).map(({ key, label, show, hint }) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd>
            {show(policies[key] as number | string)}
            {hint ? <span className="muted small"> ({hint})</span> : null}
          </dd>
        </div>
      ))}
      {(policies.dunning ?? []).map((level, i) => (
        <div key={`dunning-${i}`}>
          <dt>Dunning level {level.level ?? i + 1}</dt>
          <dd>{describeDunningLevel(level)}</dd>
        </div>
      ))}
    </dl>
  );
}
