// One email template, edited by ops: subject, text and HTML body with the placeholders its kind may
// use, a live preview of the draft with sample data (rendered by the API, the HTML in a sandboxed
// frame), and saving it as a new version. Refusals are shown next to the part they name.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import type { EmailTemplate, TemplatePreview } from '../types';
import { useDebounced } from '../useDebounced';
import { ErrorNotice } from './ErrorNotice';

type Part = 'subject' | 'text' | 'html';
const PARTS: { part: Part; label: string }[] = [
  { part: 'subject', label: 'Subject' },
  { part: 'text', label: 'Text body' },
  { part: 'html', label: 'HTML body' },
];

const issueOf = (error: ApiError | null, part: Part) =>
  error?.issues
    .filter((i) => i.path === `body.${part}`)
    .map((i) => i.message)
    .join(' ') || undefined;

export function EmailTemplateEditor({ template, onSaved }: { template: EmailTemplate; onSaved: (saved: EmailTemplate) => void }) {
  const [draft, setDraft] = useState({ subject: template.subject, text: template.text, html: template.html });
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const settled = useDebounced(draft, 300);

  useEffect(() => {
    let live = true;
    api.post<TemplatePreview>(`/v1/email-templates/${encodeURIComponent(template.key)}/preview`, settled).then(
      (answer) => {
        if (!live) return;
        setPreview(answer);
        setPreviewError(null);
      },
      (e: unknown) => live && setPreviewError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e))),
    );
    return () => {
      live = false;
    };
  }, [settled, template.key]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaveError(null);
    setSaved(null);
    try {
      const answer = await api.put<EmailTemplate>(`/v1/email-templates/${encodeURIComponent(template.key)}`, { ...draft, expectedVersion: template.version });
      setSaved(answer.version);
      onSaved(answer);
    } catch (e) {
      setSaveError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };

  // Field issues come from the save when there is one, else from the live preview.
  const shown = saveError?.issues.length ? saveError : previewError;
  return (
    <div className="grid-2">
      <form onSubmit={(e) => void save(e)} aria-label={`Template ${template.key}`}>
        {PARTS.map(({ part, label }) => {
          const id = `template-${part}`;
          const issue = issueOf(shown, part);
          const props = {
            id,
            value: draft[part],
            'aria-invalid': issue !== undefined,
            'aria-describedby': issue ? `${id}-issue` : undefined,
            onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [part]: e.target.value })),
          };
          return (
            <div className="field" key={part}>
              <label htmlFor={id}>{label}</label>
              {part === 'subject' ? <input {...props} maxLength={300} /> : <textarea {...props} rows={part === 'text' ? 10 : 8} />}
              {issue && (
                <p id={`${id}-issue`} className="error-cell">
                  {issue}
                </p>
              )}
            </div>
          );
        })}
        <details>
          <summary>Placeholders this template may use</summary>
          <ul>
            {template.placeholders.map((p) => (
              <li key={p.name}>
                <code>{`{{${p.name}}}`}</code> {p.description}
              </li>
            ))}
          </ul>
        </details>
        <div className="filters">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save template'}
          </button>
        </div>
        {saved !== null && (
          <p role="status" className="notice notice-ok">
            Version {saved} saved: the next email of this kind uses it.
          </p>
        )}
        {saveError && saveError.issues.length === 0 && (
          <ErrorNotice error={saveError} title={saveError.status === 409 ? 'Someone saved this template since you opened it' : 'The template was not saved'} />
        )}
      </form>
      <section aria-labelledby="preview-title">
        <h3 id="preview-title">Preview with sample data</h3>
        {preview && (
          <>
            <p>
              <strong>Subject:</strong> <span data-testid="preview-subject">{preview.subject}</span>
            </p>
            <pre className="preview-text" data-testid="preview-text">
              {preview.text}
            </pre>
            <iframe title="HTML preview" sandbox="" srcDoc={preview.html} className="preview-html" />
          </>
        )}
        {previewError && previewError.issues.length === 0 && <ErrorNotice error={previewError} title="No preview" />}
      </section>
    </div>
  );
}
