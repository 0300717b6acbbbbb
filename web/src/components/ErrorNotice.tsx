// An API refusal as a person reads it: the API's message, the events allowed instead (409) and
// field issues with their paths (400).
import type { ApiError } from '../api';
import { humanize } from '../format';

export function ErrorNotice({ error, title, onRetry }: { error: ApiError; title?: string | undefined; onRetry?: (() => void) | undefined }) {
  const allowed = error.status === 409 ? error.allowedEvents : [];
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title ?? (error.status ? `Error ${error.status}` : 'Error')}</strong>
      <p className="notice-message">{error.message}</p>
      {error.status === 409 && (
        <p className="notice-allowed">
          {allowed.length === 0 ? 'No event is allowed now.' : 'Allowed now: '}
          {allowed.map((e) => (
            <span key={e} className="chip">
              {humanize(e)}
            </span>
          ))}
        </p>
      )}
      {error.issues.length > 0 && (
        <ul className="issues">
          {error.issues.map((issue, i) => (
            <li key={i}>
              <code>{issue.path}</code> {issue.message}
            </li>
          ))}
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
