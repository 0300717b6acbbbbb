// Before publishing: what the draft changes against its key's current version, in plain words and
// as JSON differences, and a confirmation. Nothing is published until the person confirms.
import { useMemo } from 'react';
import { api } from '../api';
import { canonicalDefinition } from '../canonicalDefinition';
import { describeChanges, inOrderOf } from '../definitionDiff';
import type { DefinitionParts } from '../definitionParts';
import { lineDiff } from '../lineDiff';
import type { DefinitionDetail, DefinitionSummary } from '../types';
import { useLoad } from '../useLoad';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

async function currentVersion(key: string): Promise<DefinitionDetail | null> {
  const { items } = await api.get<{ items: DefinitionSummary[] }>('/v1/process-definitions');
  const current = items.find((i) => i.key === key && i.active);
  return current ? api.get<DefinitionDetail>(`/v1/process-definitions/${encodeURIComponent(key)}/versions/${current.version}`) : null;
}

const text = (definition: Record<string, unknown>) => JSON.stringify({ ...definition, version: undefined }, null, 2);

export function PublishReview({ draft, busy, onConfirm, onCancel }: { draft: DefinitionDetail; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const current = useLoad(() => currentVersion(draft.key), [draft.key, draft.version]);
  const base = current.data;
  const changes = useMemo(
    () => (current.loading && !base ? [] : describeChanges((base?.definition as DefinitionParts) ?? null, draft.definition as DefinitionParts)),
    [base, draft, current.loading],
  );
  const lines = useMemo(() => {
    if (!base) return [];
    const after = canonicalDefinition(draft.definition);
    return lineDiff(text(inOrderOf(base.definition, after) as Record<string, unknown>), text(after));
  }, [base, draft]);
  return (
    <section className="publish-review" role="region" aria-labelledby="publish-review-title">
      <h3 id="publish-review-title">
        Publish {draft.key} version {draft.version}
        {base ? ` in place of version ${base.version}` : ''}?
      </h3>
      {current.loading && !current.data && <Loading label="Comparing with the current version…" />}
      {current.error && <ErrorNotice error={current.error} onRetry={() => current.reload()} />}
      {!current.loading && (
        <>
          {changes.length === 0 ? (
            <p>No changes against the current version.</p>
          ) : (
            <ul className="change-list" aria-label="Changes">
              {changes.map((c, i) => (
                <li key={i}>
                  <strong>{c.where}</strong>: {c.what}
                </li>
              ))}
            </ul>
          )}
          {lines.length > 0 && (
            <details className="json-diff">
              <summary>JSON differences</summary>
              <pre>
                {lines.map((l, i) => (
                  <span key={i} className={`diff-${l.kind}`}>
                    {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
                    {l.text}
                    {'\n'}
                  </span>
                ))}
              </pre>
            </details>
          )}
          <p className="muted small">New leads routed to {draft.key} start on the published version; running journeys keep theirs.</p>
        </>
      )}
      <div className="actions">
        <button type="button" disabled={busy || current.loading || current.error !== null} onClick={onConfirm}>
          {busy ? 'Publishing…' : `Confirm and publish version ${draft.version}`}
        </button>
        <button type="button" className="button-secondary" disabled={busy} onClick={onCancel}>
          Keep editing
        </button>
      </div>
    </section>
  );
}
