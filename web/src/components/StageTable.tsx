// The definition as text beside the diagram: per stage, who confirms and where each event leads.
import { humanize } from '../format';
import { eventOrder, stageOrder } from '../canonicalDefinition';
import type { DefinitionShape } from '../diagramLayout';

interface Reaction {
  target?: string;
  then?: { target: string }[];
  roles?: string[];
}

export function StageTable({ definition }: { definition: DefinitionShape }) {
  const all = (definition.stages ?? {}) as Record<
    string,
    { checkpoint?: { role?: string; auto?: unknown; sla?: string; escalateTo?: string; approve?: string; reject?: string }; on?: Record<string, Reaction> }
  >;
  const stages = stageOrder(definition)
    .filter((name) => all[name])
    .map((name) => [name, all[name] ?? {}] as const);
  return (
    <div className="table-wrap stage-table">
      <table className="table compact">
        <caption className="sr-only">Stages, checkpoints and transitions</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Checkpoint</th>
            <th scope="col">Events</th>
          </tr>
        </thead>
        <tbody>
          {stages.map(([name, spec]) => (
            <tr key={name}>
              <th scope="row">{humanize(name)}</th>
              <td>
                {spec.checkpoint?.role ?? '—'}
                {spec.checkpoint?.auto !== undefined && spec.checkpoint.auto !== false ? ' · auto' : ''}
                {spec.checkpoint?.sla ? <span className="muted small"> · SLA {spec.checkpoint.sla}</span> : null}
                {spec.checkpoint?.escalateTo ? <span className="muted small"> · then {spec.checkpoint.escalateTo}</span> : null}
              </td>
              <td>
                {eventOrder(Object.keys(spec.on ?? {}), spec.checkpoint).map((event) => {
                  const r = spec.on?.[event] ?? {};
                  const to = [r.target, ...(r.then ?? []).map((t) => t.target)].filter(Boolean);
                  return (
                    <div key={event} className="small">
                      <code>{event}</code> → {to.length ? to.join(' / ') : 'stays'}
                      {r.roles ? <span className="muted"> ({r.roles.join(', ')})</span> : null}
                    </div>
                  );
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
