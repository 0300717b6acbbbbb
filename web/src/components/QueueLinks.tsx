// The user's work queues in the navigation, each with how many items wait (GET /v1/queues),
// counted again on every page change so a decision made elsewhere shows at once.
import { api } from '../api';
import { queuePath, queuesFor } from '../queues';
import type { Route } from '../routes';
import type { QueueCount, User } from '../types';
import { useLoad } from '../useLoad';
import { Link } from './Link';

export function QueueLinks({ me, route }: { me: User; route: Route }) {
  const queues = queuesFor(me.roles);
  const where = route.name === 'queue' ? `queue:${route.queue}` : route.name === 'journey' ? `journey:${route.id}` : route.name;
  const counts = useLoad(() => (queues.length > 0 ? api.get<{ items: QueueCount[] }>('/v1/queues') : Promise.resolve({ items: [] })), [where, queues.length]);
  return (
    <>
      {queues.map((q) => {
        const active = route.name === 'queue' && route.queue === q.queue;
        const count = counts.data?.items.find((c) => c.queue === q.queue)?.count;
        return (
          <Link key={q.queue} href={queuePath(q.queue)} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined}>
            {q.label}
            {count !== undefined && (
              <span className="nav-count">
                {count}
                <span className="sr-only"> waiting</span>
              </span>
            )}
          </Link>
        );
      })}
    </>
  );
}
