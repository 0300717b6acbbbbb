// The process vocabulary of DESIGN.md section 3 as the console shows it: stage order, final
// stages, statuses and stuck reasons. Stages of other definitions still show, after these.
import type { MigrationItem, MigrationStatus, MigrationVerdict, Role, StuckReason } from './types';

export const STAGES = [
  'lead',
  'qualification',
  'nurture',
  'opportunity',
  'quoting',
  'quote_sent',
  'ordering',
  'fulfilment',
  'invoicing',
  'awaiting_payment',
  'collections',
  'overpayment_review',
  'paid',
  'closed',
  'disqualified',
  'lost',
  'cancelled',
  'written_off',
] as const;

export const FINAL_STAGES = new Set(['closed', 'disqualified', 'lost', 'cancelled', 'written_off']);
export const LOST_STAGES = new Set(['disqualified', 'lost', 'cancelled', 'written_off']);

export const STATUSES = ['running', 'awaiting_confirmation', 'waiting', 'parked', 'done'] as const;

export const STUCK_REASONS: { value: StuckReason; label: string }[] = [
  { value: 'activity_failing', label: 'Activity failing' },
  { value: 'awaiting_confirmation', label: 'Awaiting confirmation' },
  { value: 'sla_breached', label: 'SLA breached' },
  { value: 'payment_overdue', label: 'Payment overdue' },
  { value: 'credit_hold', label: 'Credit hold' },
];

export const reasonLabel = (reason: string) => STUCK_REASONS.find((r) => r.value === reason)?.label ?? reason;

/** Events whose data the console asks for in a form. */
export const EVENTS_WITH_DATA = new Set(['PROPOSE', 'REVISE', 'SHIPPED', 'PAYMENT_RECEIVED']);

/** Events that end or give up on a journey: shown as secondary, destructive buttons. */
export const DESTRUCTIVE_EVENTS = new Set(['CANCEL', 'LOSE', 'DECLINE', 'DISQUALIFY', 'REJECT', 'WRITE_OFF', 'SKIP']);

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  ops: 'Ops',
  sales_rep: 'Sales rep',
  sales_manager: 'Sales manager',
  warehouse: 'Warehouse',
  finance: 'Finance',
  viewer: 'Viewer',
};

export function stageRank(stage: string): number {
  const i = (STAGES as readonly string[]).indexOf(stage);
  return i === -1 ? STAGES.length : i;
}

/** Bank statements and the bank-line queue (DESIGN.md section 7.3). */
export const canWorkCash = (roles: readonly Role[]) => roles.some((r) => r === 'finance' || r === 'admin');
/** Purchase orders (DESIGN.md section 7.5): read by warehouse, finance and admin; received by warehouse and admin. */
export const canSeePurchaseOrders = (roles: readonly Role[]) => roles.some((r) => r === 'warehouse' || r === 'finance' || r === 'admin');
export const canReceiveGoods = (roles: readonly Role[]) => roles.some((r) => r === 'warehouse' || r === 'admin');
export const canSeeStuck = (roles: readonly Role[]) => roles.some((r) => r === 'finance' || r === 'ops' || r === 'admin');
export const canActOnStuck = (roles: readonly Role[]) => roles.some((r) => r === 'finance' || r === 'ops');
/** The workflow in Temporal's own UI is an operator's tool. */
export const mayOpenWorkflow = (roles: readonly Role[]) => roles.some((r) => r === 'ops' || r === 'admin');
export const canEditDefinitions = (roles: readonly Role[]) => roles.some((r) => r === 'ops' || r === 'admin');
/** Ops edit the response rules and email templates; sales managers read the rules that route their reps' leads. */
export const canEditResponse = canEditDefinitions;
export const canReadResponseRules = (roles: readonly Role[]) => canEditResponse(roles) || roles.includes('sales_manager');
export const canCaptureLeads = (roles: readonly Role[]) => roles.some((r) => r === 'sales_rep' || r === 'sales_manager' || r === 'admin');

/** A migration's verdicts in plain words, in the order the console lists them. */
export const MIGRATION_STATUS_LABELS: Record<MigrationStatus, string> = {
  planned: 'Planned',
  running: 'Running',
  paused: 'Paused',
  done: 'Done',
  cancelled: 'Cancelled',
};

export const VERDICTS: { value: MigrationVerdict; label: string }[] = [
  { value: 'ready', label: 'Ready to move' },
  { value: 'ready_at_safe_point', label: 'Moves once its running step ends' },
  { value: 'blocked_unmapped_stage', label: 'Blocked: its stage is not mapped' },
  { value: 'blocked_checkpoint_changed', label: 'Blocked: its checkpoint changed' },
  { value: 'blocked_no_path_to_final', label: 'Blocked: no way to an end' },
  { value: 'skipped_final', label: 'Skipped: already ended' },
];

export const verdictLabel = (verdict: MigrationVerdict) => VERDICTS.find((v) => v.value === verdict)?.label ?? verdict;
export const isReadyVerdict = (verdict: MigrationVerdict) => verdict === 'ready' || verdict === 'ready_at_safe_point';

export const RESULT_LABELS: Record<NonNullable<MigrationItem['result']>, string> = {
  migrated: 'Migrated',
  refused: 'Refused: it changed since the dry run',
  failed: 'Failed',
};
export const canMakeForms = (roles: readonly Role[]) => roles.some((r) => r === 'ops' || r === 'admin');
