// The editor of a process-definition draft, as forms or as JSON (both edit the same text):
// validate (POST …/validate), save (POST a new draft, or PUT an existing one), publish after
// reviewing the changes. Errors come root causes first; choosing one selects its field or its line.
import { useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../api';
import { loadLabels } from '../labels';
import type { DefinitionParts } from '../definitionParts';
import { locatePath, parseErrorLine } from '../jsonPath';
import type { DefinitionDetail, DefinitionSummary, ValidationError } from '../types';
import { DefinitionForm, focusFormPath } from './DefinitionForm';
import { ErrorNotice } from './ErrorNotice';
import { PublishReview } from './PublishReview';
import { ValidationIssues } from './ValidationIssues';
import './definitionEditor.css';

interface Problem extends ValidationError {
  line: number | null;
  start?: number;
  end?: number;
}

const LINE_HEIGHT = 20;

export function DraftEditor({
  initialText,
  draft,
  onSaved,
  onPublished,
  onClose,
}: {
  initialText: string;
  /** The draft being edited; null to save a new draft. */
  draft: DefinitionDetail | null;
  onSaved: (detail: DefinitionDetail) => void;
  onPublished: (summary: DefinitionSummary) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState(initialText);
  const [saved, setSaved] = useState<{ detail: DefinitionDetail; text: string } | null>(draft ? { detail: draft, text: initialText } : null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [view, setView] = useState<'forms' | 'json'>('forms');
  const [reviewing, setReviewing] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const form = useRef<HTMLDivElement>(null);
  const parsed = useMemo((): DefinitionParts | null => {
    try {
      const value: unknown = JSON.parse(text);
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as DefinitionParts) : null;
    } catch {
      return null;
    }
  }, [text]);
  const gutter = useRef<HTMLDivElement>(null);

  const lineCount = useMemo(() => text.split('\n').length, [text]);
  const errorLines = new Set((problems ?? []).map((p) => p.line).filter((l): l is number => l !== null));

  const locate = (list: ValidationError[], current: string): Problem[] =>
    list.map((e) => {
      const at = locatePath(current, e.path);
      return { ...e, line: at?.line ?? null, ...(at ? { start: at.start, end: at.end } : {}) };
    });

  const parse = (): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      setProblems([{ path: '(JSON)', message, line: parseErrorLine(text, message) }]);
      return undefined;
    }
  };

  const guard = async (label: string, work: () => Promise<void>) => {
    setBusy(label);
    setError(null);
    setNote(null);
    try {
      await work();
    } catch (e) {
      const apiError = e instanceof ApiError ? e : new ApiError(0, 'client', String(e));
      if (apiError.issues.length > 0) setProblems(locate(apiError.issues, text));
      setError(apiError);
    } finally {
      setBusy(null);
    }
  };

  const validate = () =>
    guard('validate', async () => {
      const definition = parse();
      if (definition === undefined) return;
      const result = await api.post<{ ok: boolean; errors: ValidationError[] }>('/v1/process-definitions/validate', { definition });
      setProblems(locate(result.errors, text));
      if (result.ok) setNote('The definition is valid.');
    });

  const save = () =>
    guard('save', async () => {
      const definition = parse();
      if (definition === undefined) return;
      const target = saved?.detail.status === 'draft' ? saved.detail : null;
      const detail = target
        ? await api.put<DefinitionDetail>(`/v1/process-definitions/${encodeURIComponent(target.key)}/versions/${target.version}`, { definition })
        : await api.post<DefinitionDetail>('/v1/process-definitions', { definition });
      // The saved version number, in the author's own order of keys.
      const current = JSON.stringify({ ...(definition as Record<string, unknown>), version: detail.version }, null, 2);
      setText(current);
      setSaved({ detail, text: current });
      setProblems(locate(detail.validation.errors, current));
      setNote(
        `Saved as ${detail.key} version ${detail.version} (draft)${detail.validation.ok ? '; it is valid and can be published.' : '; fix the errors before publishing.'}`,
      );
      onSaved(detail);
    });

  const publish = () =>
    guard('publish', async () => {
      if (!saved) return;
      const summary = await api.post<DefinitionSummary>(
        `/v1/process-definitions/${encodeURIComponent(saved.detail.key)}/versions/${saved.detail.version}/publish`,
      );
      setSaved({ detail: { ...saved.detail, ...summary }, text: saved.text });
      setReviewing(false);
      // Its labels now name stages and events everywhere in the console; a failed reload keeps the old ones.
      await loadLabels().catch(() => undefined);
      setNote(`Published ${summary.key} version ${summary.version}. New leads routed to ${summary.key} start on it; running journeys keep their version.`);
      onPublished(summary);
    });

  const show = (p: Problem) => {
    if (view === 'forms' && form.current && focusFormPath(form.current, p.path)) return;
    if (view === 'forms') {
      // No field for it (initial, final, conditions): show it in the text once the JSON view is there.
      setView('json');
      setTimeout(() => selectText(p));
      return;
    }
    selectText(p);
  };

  const selectText = (p: Problem) => {
    const el = area.current;
    if (!el || p.line === null) return;
    el.focus();
    if (p.start !== undefined && p.end !== undefined) el.setSelectionRange(p.start, p.end);
    el.scrollTop = Math.max(0, (p.line - 4) * LINE_HEIGHT);
  };

  const review = useMemo(() => (saved ? { ...saved.detail, definition: JSON.parse(saved.text) as Record<string, unknown> } : null), [saved]);
  const unchanged = saved !== null && saved.text === text;
  const publishable = unchanged && saved.detail.status === 'draft' && saved.detail.validation.ok;

  return (
    <section className="card editor-card" aria-labelledby="editor-title">
      <div className="card-head">
        <h2 id="editor-title">{saved ? `Draft: ${saved.detail.key} version ${saved.detail.version}` : 'New draft'}</h2>
        <button type="button" className="button-link" onClick={onClose}>
          Close editor
        </button>
      </div>
      <div className="view-toggle" role="group" aria-label="Edit as">
        <button type="button" className="button-secondary" aria-pressed={view === 'forms'} onClick={() => setView('forms')}>
          Forms
        </button>
        <button type="button" className="button-secondary" aria-pressed={view === 'json'} onClick={() => setView('json')}>
          JSON
        </button>
      </div>
      {view === 'forms' &&
        (parsed ? (
          <div ref={form}>
            <DefinitionForm definition={parsed} onChange={(next) => setText(JSON.stringify(next, null, 2))} />
          </div>
        ) : (
          <p className="notice notice-error" role="alert">
            The JSON cannot be read, so the forms cannot show it: fix it in the JSON view.
          </p>
        ))}
      <div className="editor" hidden={view !== 'json'}>
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={errorLines.has(i + 1) ? 'gutter-line has-error' : 'gutter-line'}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          aria-label="Definition JSON"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <p className="muted small">Saving a new draft gives it the next version number of its key.</p>
      <div className="actions">
        <button type="button" className="button-secondary" disabled={busy !== null} onClick={() => void validate()}>
          {busy === 'validate' ? 'Validating…' : 'Validate'}
        </button>
        <button type="button" disabled={busy !== null || unchanged} onClick={() => void save()}>
          {busy === 'save' ? 'Saving…' : 'Save draft'}
        </button>
        <button
          type="button"
          disabled={busy !== null || !publishable || reviewing}
          onClick={() => setReviewing(true)}
          title={publishable ? undefined : 'Save a valid draft first'}
        >
          Publish…
        </button>
      </div>
      {reviewing && saved && publishable && (
        <PublishReview draft={review ?? saved.detail} busy={busy === 'publish'} onConfirm={() => void publish()} onCancel={() => setReviewing(false)} />
      )}
      {problems && problems.length > 0 && <ValidationIssues problems={problems} onSelect={show} />}
      {problems && problems.length === 0 && note === null && (
        <p className="notice notice-ok" role="status">
          No errors.
        </p>
      )}
      {error && error.issues.length === 0 && <ErrorNotice error={error} title={busy === null ? 'Refused' : undefined} />}
      {note && (
        <p className="notice notice-ok" role="status">
          {note}
        </p>
      )}
    </section>
  );
}
