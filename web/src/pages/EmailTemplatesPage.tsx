// Email templates for ops: pick one, edit it with a live preview, save it as a new version.
import { useState } from 'react';
import { api } from '../api';
import { EmailTemplateEditor } from '../components/EmailTemplateEditor';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import type { EmailTemplate, EmailTemplateSummary } from '../types';
import { useLoad } from '../useLoad';

export function EmailTemplatesPage() {
  const list = useLoad(() => api.get<{ items: EmailTemplateSummary[] }>('/v1/email-templates'), []);
  const [key, setKey] = useState('');
  const chosen = key || list.data?.items[0]?.key || '';
  const template = useLoad(() => (chosen ? api.get<EmailTemplate>(`/v1/email-templates/${encodeURIComponent(chosen)}`) : Promise.resolve(null)), [chosen]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Email templates</h1>
      </div>
      <section className="card" aria-labelledby="template-title">
        <h2 id="template-title">Edit a template</h2>
        {list.loading && !list.data && <Loading label="Loading the templates…" />}
        {list.error && <ErrorNotice error={list.error} onRetry={() => list.reload()} />}
        {list.data && (
          <div className="field">
            <label htmlFor="template-key">Template</label>
            <select id="template-key" value={chosen} onChange={(e) => setKey(e.target.value)}>
              {list.data.items.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.key} ({t.kind.replace('_', ' ')}, version {t.version})
                </option>
              ))}
            </select>
          </div>
        )}
        {template.error && <ErrorNotice error={template.error} onRetry={() => template.reload()} />}
        {template.data && (
          <>
            <p className="muted">
              Version {template.data.version}
              {template.data.savedBy ? `, saved by ${template.data.savedBy}` : ', as seeded'}. Emails already written keep their text.
            </p>
            <EmailTemplateEditor
              key={`${template.data.key}@${template.data.version}`}
              template={template.data}
              onSaved={() => {
                template.reload(true);
                list.reload(true);
              }}
            />
          </>
        )}
      </section>
    </div>
  );
}
