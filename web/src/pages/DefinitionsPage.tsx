// Process definitions for ops: versions, the diagram of one, its Mermaid source, and the draft
// editor (validate, save, publish), and the routing that picks the process a new lead starts on
// (the current version of its key).
import { useState } from 'react';
import { api } from '../api';
import { DraftEditor } from '../components/DraftEditor';
import { Empty } from '../components/Empty';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PoliciesSummary } from '../components/PoliciesSummary';
import { ProcessDiagram } from '../components/ProcessDiagram';
import { RoutingEditor } from '../components/RoutingEditor';
import { StageTable } from '../components/StageTable';
import { canonicalDefinition } from '../canonicalDefinition';
import type { DefinitionParts } from '../definitionParts';
import type { DefinitionShape } from '../diagramLayout';
import { formatDate } from '../format';
import { groupIssues } from '../groupIssues';
import type { DefinitionDetail, DefinitionSummary, User } from '../types';
import { useDirectory } from '../useDirectory';
import { useLoad } from '../useLoad';

type Ref = { key: string; version: number };
const versionPath = (r: Ref) => `/v1/process-definitions/${encodeURIComponent(r.key)}/versions/${r.version}`;

export function DefinitionsPage({ me }: { me: User }) {
  const nameOf = useDirectory(me);
  const versions = useLoad(() => api.get<{ items: DefinitionSummary[] }>('/v1/process-definitions'), []);
  const items = versions.data?.items ?? [];
  const [chosen, setChosen] = useState<Ref | null>(null);
  const current = chosen ?? items.find((i) => i.active) ?? items[0] ?? null;
  const detail = useLoad(() => (current ? api.get<DefinitionDetail>(versionPath(current)) : Promise.resolve(null)), [current?.key, current?.version]);
  const [editing, setEditing] = useState<{ text: string; draft: DefinitionDetail | null; id: number } | null>(null);

  const startDraft = (from: DefinitionDetail) => {
    const draft = from.status === 'draft' && !from.builtIn ? from : null;
    setEditing({ text: JSON.stringify(canonicalDefinition(from.definition), null, 2), draft, id: Date.now() });
  };

  const d = detail.data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Process definitions</h1>
        <button type="button" className="button-secondary" onClick={() => versions.reload()}>
          Refresh
        </button>
      </div>
      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        {versions.loading && !versions.data && <Loading label="Loading versions…" />}
        {versions.error && <ErrorNotice error={versions.error} onRetry={() => versions.reload()} />}
        {versions.data && items.length === 0 && <Empty title="No process definitions." />}
        {items.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Process</th>
                  <th scope="col">Version</th>
                  <th scope="col">Title</th>
                  <th scope="col">Status</th>
                  <th scope="col">Published</th>
                  <th scope="col">
                    <span className="sr-only">View</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((v) => {
                  const isCurrent = current?.key === v.key && current.version === v.version;
                  return (
                    <tr key={`${v.key}@${v.version}`} className={isCurrent ? 'selected' : ''} data-version={`${v.key}@${v.version}`}>
                      <td>
                        <code>{v.key}</code>
                      </td>
                      <td>v{v.version}</td>
                      <td>
                        {v.title ?? '—'}
                        {v.builtIn ? <span className="muted small"> (built in)</span> : null}
                      </td>
                      <td>
                        <span className={`status status-${v.status}`}>{v.status === 'draft' ? 'Draft' : 'Published'}</span>
                        {v.active && <span className="chip chip-active">Active</span>}
                      </td>
                      <td>
                        {v.publishedAt
                          ? `${formatDate(v.publishedAt)} · ${nameOf(v.publishedBy)}`
                          : v.builtIn
                            ? 'built in'
                            : v.createdBy
                              ? `draft by ${nameOf(v.createdBy)}`
                              : '—'}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button-link"
                          aria-label={`View ${v.key} version ${v.version}`}
                          aria-pressed={isCurrent}
                          onClick={() => setChosen({ key: v.key, version: v.version })}
                        >
                          View
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {versions.data && <RoutingEditor versions={items} />}

      {editing && (
        <DraftEditor
          key={editing.id}
          initialText={editing.text}
          draft={editing.draft}
          onSaved={(saved) => {
            versions.reload(true);
            setChosen({ key: saved.key, version: saved.version });
          }}
          onPublished={(summary) => {
            versions.reload(true);
            setChosen({ key: summary.key, version: summary.version });
            detail.reload(true);
          }}
          onClose={() => setEditing(null)}
        />
      )}

      {current && (
        <section className="card" aria-labelledby="definition-title">
          <div className="card-head">
            <h2 id="definition-title">
              {current.key} v{current.version}
              {d?.title ? ` · ${d.title}` : ''}
            </h2>
            {d && (
              <div className="actions">
                <button type="button" className="button-secondary" onClick={() => startDraft(d)}>
                  {d.status === 'draft' && !d.builtIn ? 'Edit draft' : 'New draft from this version'}
                </button>
              </div>
            )}
          </div>
          {detail.loading && !d && <Loading label="Loading the definition…" />}
          {detail.error && <ErrorNotice error={detail.error} onRetry={() => detail.reload()} />}
          {d && !d.validation.ok && (
            <div className="notice notice-error" role="alert">
              <strong>This version is not valid</strong>
              <ul className="issues">
                {groupIssues(d.validation.errors).map(({ root, knockOns }, i) => (
                  <li key={i}>
                    <code>{root.path}</code> {root.message}
                    {knockOns.length > 0 && (
                      <ul className="issues">
                        {knockOns.map((k, j) => (
                          <li key={j}>
                            <span className="muted small">follows from it: </span>
                            <code>{k.path}</code> {k.message}
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {d && (
            <div className="definition-grid">
              <ProcessDiagram definition={d.definition as DefinitionShape} title={`${d.key} v${d.version}`} />
              <StageTable definition={d.definition as DefinitionShape} />
            </div>
          )}
          {d && <PoliciesSummary policies={(d.definition as DefinitionParts).policies} />}
          {d?.mermaid && (
            <details className="mermaid">
              <summary>Mermaid source</summary>
              <pre>{d.mermaid}</pre>
            </details>
          )}
        </section>
      )}
    </div>
  );
}
