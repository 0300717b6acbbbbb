// Emails the journey sent (the outbox): what, to whom, when.
import { formatDate, humanize } from '../format';
import type { Notification } from '../types';
import { Empty } from './Empty';

export function EmailsPanel({ notifications }: { notifications: Notification[] }) {
  return (
    <section className="card emails-card" aria-labelledby="emails-title">
      <h2 id="emails-title">Emails sent</h2>
      {notifications.length === 0 ? (
        <Empty title="No emails yet." />
      ) : (
        <ul className="list">
          {notifications.map((n, i) => (
            <li key={i} className="list-row">
              <span className="chip">{humanize(n.kind)}</span>
              <span className="list-main">{n.subject}</span>
              <span className="muted small">
                to {n.to} · {n.sentAt ? formatDate(n.sentAt) : 'queued'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
