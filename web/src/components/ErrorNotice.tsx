// An API refusal as a person reads it: the API's message, the events allowed instead (409) and
// field issues (400) as sentences naming the field.
import type { ApiError } from '../api';
import { issueSentence } from '../fieldErrors';
import { eventLabel } from '../labels';

export function ErrorNotice({ error, title, onRetry }: { error: ApiError; title?: string | undefined; onRetry?: (() => void) | undefined }) {
  const allowed = error.status === 409 ? error.allowedEvents : [];
  // A 400's message repeats its issues with request paths; the sentences below say it better.
  const fieldIssues = error.status === 400 && error.issues.length > 0;
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title ?? (error.status ? `Error ${error.status}` : 'Error')}</strong>
      <p className="notice-message">{fieldIssues ? 'Please correct what is named below.' : error.message}</p>
      {error.status === 409 && (
        <p className="notice-allowed">
          {allowed.length === 0 ? 'No event is allowed now.' : 'Allowed now: '}
          {allowed.map((e) => (
            <span key={e} className="chip">
              {eventLabel(e)}
            </span>
          ))}
        </p>
      )}
      {error.issues.length > 0 && (
        <ul className="issues">
          {error.issues.map((issue, i) =>
            fieldIssues ? (
              <li key={i} data-path={issue.path}>
                {issueSentence(issue)}
              </li>
            ) : (
              <li key={i}>
                <code>{issue.path}</code> {issue.message}
              </li>
            ),
          )}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
