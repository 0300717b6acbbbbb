// The response rules, edited by ops as forms: each rule's conditions (country, company size range,
// product interest) and where its leads go (team, owner) with their auto-response. The first rule
// that matches wins. A refusal is shown next to the field it names; an edit made on an old version
// is refused by the API (409) and the page offers to reload.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '../api';
import type { EmailTemplateSummary, ResponseRule, ResponseRules, User } from '../types';
import { useLoad } from '../useLoad';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

interface RuleRow {
  name: string;
  country: string;
  minCompanySize: string;
  maxCompanySize: string;
  productInterest: string;
  team: string;
  ownerId: string;
  templateKey: string;
}

const EMPTY: RuleRow = { name: '', country: '', minCompanySize: '', maxCompanySize: '', productInterest: '', team: '', ownerId: '', templateKey: '' };

const toRow = (r: ResponseRule): RuleRow => ({
  name: r.name,
  country: r.when.country ?? '',
  minCompanySize: r.when.minCompanySize?.toString() ?? '',
  maxCompanySize: r.when.maxCompanySize?.toString() ?? '',
  productInterest: r.when.productInterest ?? '',
  team: r.team ?? '',
  ownerId: r.ownerId ?? '',
  templateKey: r.templateKey ?? '',
});

/** A size as typed: a number when it is one, else the text, so the API names the field. */
const size = (value: string): number | string => (/^\d+$/.test(value.trim()) ? Number(value) : value.trim());

function toRule(r: RuleRow): ResponseRule {
  const when: Record<string, unknown> = {};
  if (r.country.trim()) when.country = r.country.trim().toUpperCase();
  if (r.minCompanySize.trim()) when.minCompanySize = size(r.minCompanySize);
  if (r.maxCompanySize.trim()) when.maxCompanySize = size(r.maxCompanySize);
  if (r.productInterest.trim()) when.productInterest = r.productInterest.trim();
  return {
    name: r.name,
    when: when as ResponseRule['when'],
    ...(r.team ? { team: r.team } : {}),
    ...(r.ownerId ? { ownerId: r.ownerId } : {}),
    ...(r.templateKey ? { templateKey: r.templateKey } : {}),
  };
}

/** Issues of the rule at index i, by field (`when.country` is filed under `country`). */
function issuesOf(error: ApiError | null, i: number): Record<string, string> {
  const found: Record<string, string> = {};
  const prefix = `body.rules.${i}.`;
  for (const issue of error?.issues ?? []) {
    if (!issue.path.startsWith(prefix)) continue;
    const field = issue.path.slice(prefix.length).replace(/^when\.?/, '') || 'when';
    found[field] = found[field] ? `${found[field]} ${issue.message}` : issue.message;
  }
  return found;
}

function Field({
  id,
  label,
  issue,
  children,
}: {
  id: string;
  label: string;
  issue: string | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': issue !== undefined, 'aria-describedby': issue ? `${id}-issue` : undefined })}
      {issue && (
        <p id={`${id}-issue`} className="error-cell">
          {issue}
        </p>
      )}
    </div>
  );
}

export function ResponseRulesEditor({ canEdit }: { canEdit: boolean }) {
  const loaded = useLoad(() => api.get<ResponseRules>('/v1/response-rules'), []);
  const users = useLoad(() => api.get<User[]>('/v1/users'), []);
  const templates = useLoad(
    () => (canEdit ? api.get<{ items: EmailTemplateSummary[] }>('/v1/email-templates') : Promise.resolve({ items: [] as EmailTemplateSummary[] })),
    [canEdit],
  );
  const [rows, setRows] = useState<RuleRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<number | null>(null);

  useEffect(() => {
    if (loaded.data) setRows(loaded.data.rules.map(toRow));
  }, [loaded.data]);

  const owners = (users.data ?? []).filter((u) => u.roles.some((r) => r === 'sales_rep' || r === 'sales_manager'));
  const teams = [...new Set((users.data ?? []).flatMap((u) => (u.team ? [u.team] : [])))].sort();
  const autoResponses = (templates.data?.items ?? []).filter((t) => t.kind === 'auto_response').map((t) => t.key);

  const change = (i: number, patch: Partial<RuleRow>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) =>
    setRows((all) => {
      const next = [...all];
      const [row] = next.splice(i, 1);
      next.splice(i + by, 0, row!);
      return next;
    });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!loaded.data) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const answer = await api.put<ResponseRules>('/v1/response-rules', { rules: rows.map(toRule), expectedVersion: loaded.data.version });
      setSaved(answer.version);
      loaded.reload(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };

  const options = (values: string[], current: string, none: string, label: (v: string) => string = (v) => v) => (
    <>
      <option value="">{none}</option>
      {current && !values.includes(current) && <option value={current}>{current}</option>}
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </>
  );

  if (loaded.loading && !loaded.data) return <Loading label="Loading the response rules…" />;
  if (loaded.error && !loaded.data) return <ErrorNotice error={loaded.error} onRetry={() => loaded.reload()} />;
  if (!loaded.data) return null;
  const fieldIssues = error && (error.status === 400 || error.status === 422) ? error : null;
  return (
    <form onSubmit={(e) => void save(e)} aria-label="Response rules">
      <p className="muted">
        Version {loaded.data.version}
        {loaded.data.savedBy ? `, saved by ${loaded.data.savedBy} at ${new Date(loaded.data.savedAt ?? '').toLocaleString()}` : ', as seeded'}. A new lead goes
        to the first rule whose conditions all hold; empty conditions match any lead. A rule with an owner gives every lead to that owner, else the team’s reps
        take turns.
      </p>
      <ol className="rule-list">
        {rows.map((r, i) => {
          const issues = issuesOf(fieldIssues, i);
          const id = (field: string) => `rule-${i}-${field}`;
          return (
            <li key={i} className="card rule" aria-label={`Rule ${i + 1}`}>
              <div className="grid-2">
                <Field id={id('name')} label={`Rule ${i + 1} name`} issue={issues.name}>
                  {(p) => <input {...p} value={r.name} maxLength={100} disabled={!canEdit} onChange={(e) => change(i, { name: e.target.value })} />}
                </Field>
                <Field id={id('country')} label="Country (ISO code)" issue={issues.country}>
                  {(p) => (
                    <input
                      {...p}
                      value={r.country}
                      maxLength={2}
                      placeholder="Any"
                      disabled={!canEdit}
                      onChange={(e) => change(i, { country: e.target.value })}
                    />
                  )}
                </Field>
                <Field id={id('min')} label="Company size from" issue={issues.minCompanySize}>
                  {(p) => (
                    <input
                      {...p}
                      inputMode="numeric"
                      value={r.minCompanySize}
                      placeholder="Any"
                      disabled={!canEdit}
                      onChange={(e) => change(i, { minCompanySize: e.target.value })}
                    />
                  )}
                </Field>
                <Field id={id('max')} label="Company size up to" issue={issues.maxCompanySize}>
                  {(p) => (
                    <input
                      {...p}
                      inputMode="numeric"
                      value={r.maxCompanySize}
                      placeholder="Any"
                      disabled={!canEdit}
                      onChange={(e) => change(i, { maxCompanySize: e.target.value })}
                    />
                  )}
                </Field>
                <Field id={id('interest')} label="Product interest" issue={issues.productInterest ?? issues.when}>
                  {(p) => (
                    <input
                      {...p}
                      value={r.productInterest}
                      maxLength={100}
                      placeholder="Any"
                      disabled={!canEdit}
                      onChange={(e) => change(i, { productInterest: e.target.value })}
                    />
                  )}
                </Field>
                <Field id={id('team')} label="Team" issue={issues.team}>
                  {(p) => (
                    <select {...p} value={r.team} disabled={!canEdit} onChange={(e) => change(i, { team: e.target.value })}>
                      {options(teams, r.team, 'No team')}
                    </select>
                  )}
                </Field>
                <Field id={id('owner')} label="Owner" issue={issues.ownerId}>
                  {(p) => (
                    <select {...p} value={r.ownerId} disabled={!canEdit} onChange={(e) => change(i, { ownerId: e.target.value })}>
                      {options(
                        owners.map((u) => u.id),
                        r.ownerId,
                        'The team’s reps take turns',
                        (v) => owners.find((u) => u.id === v)?.name ?? v,
                      )}
                    </select>
                  )}
                </Field>
                <Field id={id('template')} label="Auto-response" issue={issues.templateKey}>
                  {(p) => (
                    <select {...p} value={r.templateKey} disabled={!canEdit} onChange={(e) => change(i, { templateKey: e.target.value })}>
                      {options(autoResponses, r.templateKey, 'By product interest, else the default')}
                    </select>
                  )}
                </Field>
              </div>
              {canEdit && (
                <div className="row-actions">
                  <button type="button" className="button-link" disabled={i === 0} onClick={() => move(i, -1)}>
                    Move rule {i + 1} up
                  </button>
                  <button type="button" className="button-link" disabled={i === rows.length - 1} onClick={() => move(i, 1)}>
                    Move rule {i + 1} down
                  </button>
                  <button type="button" className="button-link" onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
                    Remove rule {i + 1}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {canEdit && (
        <div className="filters">
          <button type="button" className="button-secondary" onClick={() => setRows((all) => [...all, EMPTY])}>
            Add a rule
          </button>
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save rules'}
          </button>
        </div>
      )}
      {saved !== null && (
        <p role="status" className="notice notice-ok">
          Rules version {saved} saved: the next lead is routed by them.
        </p>
      )}
      {error && <ErrorNotice error={error} title={error.status === 409 ? 'Someone saved the rules since you opened them' : 'The rules were not saved'} />}
      {error?.status === 409 && (
        <button type="button" className="button-secondary" onClick={() => loaded.reload()}>
          Load the current rules (your changes are dropped)
        </button>
      )}
    </form>
  );
}
