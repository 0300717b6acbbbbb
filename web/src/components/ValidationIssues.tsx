// Validation errors, root causes first, each with its knock-ons grouped under it; choosing one
// selects its field (forms) or its text (JSON).
import { groupIssues } from '../groupIssues';
import type { ValidationError } from '../types';

export function ValidationIssues<T extends ValidationError & { line: number | null }>({ problems, onSelect }: { problems: T[]; onSelect: (p: T) => void }) {
  const groups = groupIssues(problems);
  const item = (p: T) => (
    <>
      <button type="button" className="button-link path" onClick={() => onSelect(p)}>
        <code>{p.path}</code>
        {p.line !== null ? ` (line ${p.line})` : ''}
      </button>{' '}
      {p.message}
    </>
  );
  return (
    <div className="notice notice-error" role="alert" aria-label="Validation errors">
      <strong>
        {groups.length} error{groups.length === 1 ? '' : 's'} to fix
        {problems.length > groups.length ? ` (${problems.length - groups.length} more follow from them)` : ''}
      </strong>
      <ul className="issues">
        {groups.map(({ root, knockOns }, i) => (
          <li key={i} className="issue-root">
            {item(root)}
            {knockOns.length > 0 && (
              <details className="knock-ons">
                <summary>
                  {knockOns.length} follow{knockOns.length === 1 ? 's' : ''} from this
                </summary>
                <ul className="issues">
                  {knockOns.map((k, j) => (
                    <li key={j}>{item(k)}</li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
