// The console's client routes. Pure (no DOM): the server reads PAGE_PATHS to answer them with
// index.html, the browser parses location.pathname with parseRoute.
export type Route =
  | { name: 'signin' }
  | { name: 'pipeline' }
  | { name: 'journey'; id: string }
  | { name: 'stuck' }
  | { name: 'definitions' }
  | { name: 'reports' }
  | { name: 'cash' }
  | { name: 'purchaseOrders' }
  | { name: 'migrations' }
  | { name: 'responseRules' }
  | { name: 'emailTemplates' }
  | { name: 'forms' }
  | { name: 'queue'; queue: string }
  | { name: 'notFound'; path: string };

/** Paths the server answers with the console's index.html (Fastify route syntax). */
export const PAGE_PATHS = [
  '/',
  '/signin',
  '/pipeline',
  '/journeys/:id',
  '/stuck',
  '/definitions',
  '/reports',
  '/cash',
  '/purchase-orders',
  '/migrations',
  '/response-rules',
  '/email-templates',
  '/forms',
  '/queues/:queue',
] as const;

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/pipeline') return { name: 'pipeline' };
  if (path === '/signin') return { name: 'signin' };
  if (path === '/stuck') return { name: 'stuck' };
  if (path === '/definitions') return { name: 'definitions' };
  if (path === '/reports') return { name: 'reports' };
  if (path === '/cash') return { name: 'cash' };
  if (path === '/purchase-orders') return { name: 'purchaseOrders' };
  if (path === '/migrations') return { name: 'migrations' };
  if (path === '/response-rules') return { name: 'responseRules' };
  if (path === '/email-templates') return { name: 'emailTemplates' };
  if (path === '/forms') return { name: 'forms' };
  const queue = /^\/queues\/([a-z]+)$/.exec(path);
  if (queue?.[1]) return { name: 'queue', queue: queue[1] };
  const journey = /^\/journeys\/([A-Za-z0-9_.:-]+)$/.exec(path);
  if (journey?.[1]) return { name: 'journey', id: journey[1] };
  return { name: 'notFound', path };
}

export const journeyPath = (id: string) => `/journeys/${encodeURIComponent(id)}`;
