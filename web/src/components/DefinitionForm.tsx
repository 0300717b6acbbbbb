// The draft as forms: policies, then each stage with its checkpoint, SLAs, events and timers and
// where they lead. Every field carries its definition path (data-path) so a validation error can
// select it. Guards and activity lists stay in the JSON view.
import { humanize } from '../format';
import { eventOrder, stageOrder } from '../canonicalDefinition';
import { setAt, type DefinitionParts, type ReactionPart, type StagePart } from '../definitionParts';
import type { DefinitionShape } from '../diagramLayout';
import type { Role } from '../types';
import { ROLE_LABELS } from '../vocabulary';
import { DurationPicker } from './DurationPicker';
import { PoliciesForm } from './PoliciesForm';

type Change = (path: (string | number)[], value: unknown) => void;

const ROLES = Object.keys(ROLE_LABELS) as Role[];

function RoleSelect({ label, path, value, onChange }: { label: string; path: string; value: Role | undefined; onChange: (role: Role | undefined) => void }) {
  return (
    <select aria-label={label} data-path={path} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : (e.target.value as Role))}>
      <option value="">Nobody</option>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABELS[r]}
        </option>
      ))}
    </select>
  );
}

function TargetSelect({
  label,
  path,
  value,
  stages,
  onChange,
}: {
  label: string;
  path: string;
  value: string | undefined;
  stages: string[];
  onChange: (to: string | undefined) => void;
}) {
  const known = value === undefined || stages.includes(value);
  return (
    <select aria-label={label} data-path={path} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="">Stays in the stage</option>
      {!known && <option value={value}>{value} (no such stage)</option>}
      {stages.map((s) => (
        <option key={s} value={s}>
          {humanize(s)}
        </option>
      ))}
    </select>
  );
}

function Reaction({ title, base, reaction, stages, change }: { title: string; base: string[]; reaction: ReactionPart; stages: string[]; change: Change }) {
  const path = base.join('.');
  if (reaction.then) {
    return (
      <>
        {reaction.then.map((branch, i) => (
          <TargetSelect
            key={i}
            label={`${title}, branch ${i + 1}${branch.when ? ' (when its condition holds)' : ''}`}
            path={`${path}.then.${i}.target`}
            value={branch.target}
            stages={stages}
            onChange={(to) => change([...base, 'then', i, 'target'], to ?? '')}
          />
        ))}
      </>
    );
  }
  return (
    <TargetSelect
      label={`${title} leads to`}
      path={`${path}.target`}
      value={reaction.target}
      stages={stages}
      onChange={(to) => change([...base, 'target'], to)}
    />
  );
}

function StageFields({ name, stage, stages, change }: { name: string; stage: StagePart; stages: string[]; change: Change }) {
  const label = humanize(name);
  const base = ['stages', name];
  const cp = stage.checkpoint ?? {};
  const auto = cp.auto === undefined || cp.auto === false ? 'no' : cp.auto === true ? 'always' : 'condition';
  const events = eventOrder(Object.keys(stage.on ?? {}), cp);
  return (
    <details className="stage-form" data-path={`stages.${name}`}>
      <summary>
        <strong>{stage.label ?? label}</strong> <code className="muted small">{name}</code>
        <span className="muted small">
          {cp.role ? ` · ${ROLE_LABELS[cp.role] ?? cp.role}` : ''}
          {auto !== 'no' ? ' · auto' : ''}
        </span>
      </summary>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`stage-${name}-label`}>Name people read</label>
          <input
            id={`stage-${name}-label`}
            data-path={`stages.${name}.label`}
            maxLength={80}
            placeholder={label}
            value={stage.label ?? ''}
            onChange={(e) => change([...base, 'label'], e.target.value === '' ? undefined : e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`stage-${name}-description`}>Description</label>
          <textarea
            id={`stage-${name}-description`}
            data-path={`stages.${name}.description`}
            rows={2}
            value={stage.description ?? ''}
            onChange={(e) => change([...base, 'description'], e.target.value === '' ? undefined : e.target.value)}
          />
        </div>
        <div className="field">
          <span className="field-label">Stage SLA (from entering the stage)</span>
          <DurationPicker label={`${label}: stage SLA`} path={`stages.${name}.sla`} value={stage.sla} optional onChange={(v) => change([...base, 'sla'], v)} />
        </div>
      </div>
      <fieldset className="checkpoint-fields">
        <legend>Checkpoint: {cp.approve ?? '—'}</legend>
        <div className="grid-2">
          <div className="field">
            <span className="field-label">Who confirms</span>
            <RoleSelect
              label={`${label}: checkpoint role`}
              path={`stages.${name}.checkpoint.role`}
              value={cp.role}
              onChange={(r) => change([...base, 'checkpoint', 'role'], r)}
            />
          </div>
          <div className="field">
            <span className="field-label">Confirms by itself</span>
            <select
              aria-label={`${label}: auto-confirm`}
              data-path={`stages.${name}.checkpoint.auto`}
              value={auto}
              onChange={(e) => change([...base, 'checkpoint', 'auto'], e.target.value === 'always' ? true : undefined)}
            >
              <option value="no">No, a person confirms</option>
              <option value="always">Always</option>
              {auto === 'condition' && <option value="condition">When its condition holds (see JSON)</option>}
            </select>
          </div>
          <div className="field">
            <span className="field-label">Checkpoint SLA (from when it waits)</span>
            <DurationPicker
              label={`${label}: checkpoint SLA`}
              path={`stages.${name}.checkpoint.sla`}
              value={cp.sla}
              optional
              onChange={(v) => change([...base, 'checkpoint', 'sla'], v)}
            />
          </div>
          <div className="field">
            <span className="field-label">After a breach, also</span>
            <RoleSelect
              label={`${label}: escalate to`}
              path={`stages.${name}.checkpoint.escalateTo`}
              value={cp.escalateTo}
              onChange={(r) => change([...base, 'checkpoint', 'escalateTo'], r)}
            />
          </div>
        </div>
      </fieldset>
      {events.length > 0 && (
        <fieldset>
          <legend>Events</legend>
          {events.map((event) => (
            <div key={event} className="field reaction-row">
              <span className="field-label">{humanize(event)}</span>
              <Reaction
                title={`${label}: ${humanize(event)}`}
                base={[...base, 'on', event]}
                reaction={stage.on?.[event] ?? {}}
                stages={stages}
                change={change}
              />
            </div>
          ))}
        </fieldset>
      )}
      {(stage.after ?? []).length > 0 && (
        <fieldset>
          <legend>Timers</legend>
          {(stage.after ?? []).map((timer, i) => {
            const title = `${label}: timer ${humanize(timer.name ?? String(i + 1))}`;
            return (
              <div key={i} className="field reaction-row">
                <span className="field-label">{humanize(timer.name ?? `timer ${i + 1}`)}</span>
                {typeof timer.delay === 'string' ? (
                  <DurationPicker
                    label={`${title} delay`}
                    path={`stages.${name}.after.${i}.delay`}
                    value={timer.delay}
                    onChange={(v) => change([...base, 'after', i, 'delay'], v)}
                  />
                ) : (
                  <span className="small muted">after the {humanize(timer.delay?.policy ?? '')} policy</span>
                )}
                {timer.repeat === undefined && <Reaction title={title} base={[...base, 'after', String(i)]} reaction={timer} stages={stages} change={change} />}
              </div>
            );
          })}
        </fieldset>
      )}
    </details>
  );
}

export function DefinitionForm({ definition, onChange }: { definition: DefinitionParts; onChange: (next: DefinitionParts) => void }) {
  const change: Change = (path, value) => onChange(setAt(definition, path, value));
  const all = definition.stages ?? {};
  const names = stageOrder(definition as DefinitionShape).filter((n) => n in all);
  const ordered = [...names, ...Object.keys(all).filter((n) => !names.includes(n))];
  const targets = [...ordered, ...(definition.final ?? []).filter((f) => !ordered.includes(f))];
  return (
    <div className="definition-form">
      <div className="field">
        <label htmlFor="definition-title">Title</label>
        <input
          id="definition-title"
          data-path="title"
          value={definition.title ?? ''}
          onChange={(e) => change(['title'], e.target.value === '' ? undefined : e.target.value)}
        />
      </div>
      <PoliciesForm policies={definition.policies ?? {}} change={(path, value) => change(['policies', ...path], value)} />
      <h3>Stages</h3>
      {ordered.map((name) => (
        <StageFields key={name} name={name} stage={all[name] ?? {}} stages={targets} change={change} />
      ))}
    </div>
  );
}

/** Opens and focuses the form field of a validation path, or the nearest part that has one. */
export function focusFormPath(root: HTMLElement, path: string): boolean {
  const clean = path.replace(/^body\.definition\.?/, '').replace(/^definition\.?/, '');
  let parts = clean.split('.');
  while (parts.length > 0) {
    const el = root.querySelector<HTMLElement>(`[data-path="${CSS.escape(parts.join('.'))}"]`);
    if (el) {
      let details = el.closest('details');
      while (details) {
        details.open = true;
        details = details.parentElement?.closest('details') ?? null;
      }
      const target = el.tagName === 'DETAILS' ? el.querySelector<HTMLElement>('summary') : el;
      target?.focus();
      target?.scrollIntoView({ block: 'center' });
      return true;
    }
    parts = parts.slice(0, -1);
  }
  return false;
}
