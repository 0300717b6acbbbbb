// What publishing a draft changes against its key's current version, in plain words: SLAs, roles,
// auto policies, events and where they lead, timers, stages added or removed, and the policies.
// Pure: compares two definition objects.
import { describeDuration } from './durationParts';
import type { CheckpointPart, DefinitionParts, ReactionPart, StagePart, TimerPart } from './definitionParts';
import { humanize } from './format';
import { describeDunningLevel, POLICY_LABELS } from './policyLabels';
import { ROLE_LABELS } from './vocabulary';

export interface DefinitionChange {
  /** Where: "Policies", a stage's label, or "Process". */
  where: string;
  what: string;
}

/** JSON with object keys sorted: stored definitions come back from PostgreSQL (jsonb) in another key order. */
const sorted = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sorted)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
        )
      : value;
const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const duration = (v: string | undefined) => (v ? describeDuration(v) : 'none');
const role = (r: string | undefined) => (r ? (ROLE_LABELS[r as keyof typeof ROLE_LABELS] ?? r) : 'nobody');
const auto = (a: CheckpointPart['auto']) =>
  a === undefined || a === false ? 'a person confirms' : a === true ? 'always confirms by itself' : 'confirms by itself when its condition holds';
const targets = (r: ReactionPart | undefined) => {
  const list = [r?.target, ...(r?.then ?? []).map((b) => b.target)].filter((t): t is string => Boolean(t));
  return list.length ? list.map(humanize).join(' or ') : 'stays';
};
const delay = (t: TimerPart) => (typeof t.delay === 'string' ? describeDuration(t.delay) : t.delay ? `the ${humanize(t.delay.policy)} policy` : '—');

function changed(list: DefinitionChange[], where: string, label: string, before: string, after: string): void {
  if (before !== after) list.push({ where, what: `${label}: ${before} → ${after}` });
}

function policyChanges(before: DefinitionParts['policies'] = {}, after: DefinitionParts['policies'] = {}): DefinitionChange[] {
  const list: DefinitionChange[] = [];
  const where = 'Policies';
  for (const { key, label, show } of POLICY_LABELS) {
    const a = before[key];
    const b = after[key];
    if (a !== b) changed(list, where, label, a === undefined ? 'none' : show(a), b === undefined ? 'none' : show(b));
  }
  const levels = Math.max(before.dunning?.length ?? 0, after.dunning?.length ?? 0);
  for (let i = 0; i < levels; i++) {
    const a = before.dunning?.[i];
    const b = after.dunning?.[i];
    const name = `Dunning level ${b?.level ?? a?.level ?? i + 1}`;
    if (!a && b) list.push({ where, what: `${name} added: ${describeDunningLevel(b)}` });
    else if (a && !b) list.push({ where, what: `${name} removed` });
    else if (a && b && !same(a, b)) changed(list, where, name, describeDunningLevel(a), describeDunningLevel(b));
  }
  const ra = before.retry ?? {};
  const rb = after.retry ?? {};
  changed(list, where, 'Retry attempts before parking', String(ra.maximumAttempts ?? '—'), String(rb.maximumAttempts ?? '—'));
  changed(list, where, 'First retry after', duration(ra.initialInterval), duration(rb.initialInterval));
  if (list.length === 0 && !same(before, after)) list.push({ where, what: 'other policy details changed (see the JSON differences)' });
  return list;
}

function stageChanges(name: string, a: StagePart, b: StagePart): DefinitionChange[] {
  const list: DefinitionChange[] = [];
  const where = humanize(name);
  const ca = a.checkpoint ?? {};
  const cb = b.checkpoint ?? {};
  changed(list, where, 'name people read', a.label ?? '—', b.label ?? '—');
  changed(list, where, 'stage SLA', duration(a.sla), duration(b.sla));
  changed(list, where, 'checkpoint role', role(ca.role), role(cb.role));
  changed(list, where, 'checkpoint', auto(ca.auto), auto(cb.auto));
  changed(list, where, 'checkpoint SLA', duration(ca.sla), duration(cb.sla));
  changed(list, where, 'escalates to', role(ca.escalateTo), role(cb.escalateTo));
  if (a.description !== b.description) list.push({ where, what: 'description changed' });
  const events = [...new Set([...Object.keys(a.on ?? {}), ...Object.keys(b.on ?? {})])];
  for (const event of events) {
    const ea = a.on?.[event];
    const eb = b.on?.[event];
    if (!ea && eb) list.push({ where, what: `event ${humanize(event)} added, leads to ${targets(eb)}` });
    else if (ea && !eb) list.push({ where, what: `event ${humanize(event)} removed` });
    else if (ea && eb) {
      changed(list, where, `${humanize(event)} leads to`, targets(ea), targets(eb));
      changed(
        list,
        where,
        `who may send ${humanize(event)}`,
        (ea.roles ?? []).map(role).join(', ') || 'the checkpoint role',
        (eb.roles ?? []).map(role).join(', ') || 'the checkpoint role',
      );
    }
  }
  const timers = Math.max(a.after?.length ?? 0, b.after?.length ?? 0);
  for (let i = 0; i < timers; i++) {
    const ta = a.after?.[i];
    const tb = b.after?.[i];
    const label = `timer ${humanize(tb?.name ?? ta?.name ?? String(i + 1))}`;
    if (!ta && tb) list.push({ where, what: `${label} added: after ${delay(tb)}, leads to ${targets(tb)}` });
    else if (ta && !tb) list.push({ where, what: `${label} removed` });
    else if (ta && tb) {
      changed(list, where, `${label} fires after`, delay(ta), delay(tb));
      changed(list, where, `${label} leads to`, targets(ta), targets(tb));
    }
  }
  if (list.length === 0 && !same(a, b)) list.push({ where, what: 'other details changed (conditions or activities; see the JSON differences)' });
  return list;
}

/** Every change from `before` (the current version; null when the key has none) to `after`, in reading order. */
export function describeChanges(before: DefinitionParts | null, after: DefinitionParts): DefinitionChange[] {
  if (!before) return [{ where: 'Process', what: `first version of ${after.key ?? 'this process'}` }];
  const list: DefinitionChange[] = [];
  changed(list, 'Process', 'title', before.title ?? 'none', after.title ?? 'none');
  changed(list, 'Process', 'first stage', humanize(before.initial ?? ''), humanize(after.initial ?? ''));
  list.push(...policyChanges(before.policies, after.policies));
  const sa = before.stages ?? {};
  const sb = after.stages ?? {};
  for (const name of Object.keys(sa)) if (!(name in sb)) list.push({ where: humanize(name), what: 'stage removed' });
  for (const name of Object.keys(sb)) {
    const a = sa[name];
    const b = sb[name] ?? {};
    if (!a) list.push({ where: humanize(name), what: `stage added: ${role(b.checkpoint?.role)} confirms, ${auto(b.checkpoint?.auto)}` });
    else list.push(...stageChanges(name, a, b));
  }
  const fa = before.final ?? [];
  const fb = after.final ?? [];
  for (const f of fb) if (!fa.includes(f)) list.push({ where: 'Process', what: `final stage ${humanize(f)} added` });
  for (const f of fa) if (!fb.includes(f)) list.push({ where: 'Process', what: `final stage ${humanize(f)} removed` });
  return list;
}

/** `value` with its object keys in the order `model` has them, so a text diff shows changes, not reordering. */
export function inOrderOf(value: unknown, model: unknown): unknown {
  if (Array.isArray(value)) return value.map((v, i) => inOrderOf(v, Array.isArray(model) ? model[i] : undefined));
  if (!value || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const order = model && typeof model === 'object' && !Array.isArray(model) ? Object.keys(model) : [];
  const keys = [...order.filter((k) => k in record), ...Object.keys(record).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, inOrderOf(record[k], (model as Record<string, unknown> | undefined)?.[k])]));
}
