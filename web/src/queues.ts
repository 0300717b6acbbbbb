// The work queues as the console names them, who works each, and where each role lands after sign-in.
import type { QueueName, Role } from './types';

export const QUEUE_PAGES: { queue: QueueName; label: string; title: string; roles: Role[] }[] = [
  { queue: 'approvals', label: 'Approvals', title: 'Approvals waiting for you', roles: ['sales_manager'] },
  { queue: 'warehouse', label: 'Pick, pack & ship', title: 'Orders to pick, pack and ship', roles: ['warehouse', 'ops'] },
  { queue: 'invoices', label: 'Overdue invoices', title: 'Invoices overdue or due soon', roles: ['finance', 'ops'] },
  { queue: 'mine', label: 'Waiting for me', title: 'My journeys waiting for me', roles: ['sales_rep', 'sales_manager'] },
  { queue: 'team', label: 'Team stuck', title: "My team's stuck journeys", roles: ['sales_manager'] },
];

export const isQueueName = (name: string): name is QueueName => QUEUE_PAGES.some((q) => q.queue === name);

/** The queues a user works, in the order above (admin sees every one). */
export const queuesFor = (roles: readonly Role[]) => QUEUE_PAGES.filter((q) => roles.includes('admin') || q.roles.some((r) => roles.includes(r)));

export const queuePath = (queue: QueueName) => `/queues/${queue}`;

/** Each role's daily workplace: its first queue; the pipeline for those without one (and for admin). */
export function landingPath(roles: readonly Role[]): string {
  const first = roles.includes('admin') ? undefined : queuesFor(roles)[0];
  return first ? queuePath(first.queue) : '/pipeline';
}
