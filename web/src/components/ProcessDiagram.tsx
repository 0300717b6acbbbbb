// The process as a drawing: stages top to bottom in the order a journey meets them, final stages
// on the right, back edges curving on the left, CANCEL dashed. Drawn from the definition JSON.
import { humanize } from '../format';
import { layoutDefinition, NODE_H, NODE_W, type DefinitionShape, type Diagram, type DiagramEdge } from '../diagramLayout';

function path(d: Diagram, e: DiagramEdge): { d: string; lx: number; ly: number } {
  const a = d.nodes.find((n) => n.id === e.from);
  const b = d.nodes.find((n) => n.id === e.to);
  if (!a || !b) return { d: '', lx: 0, ly: 0 };
  if (e.kind === 'exit' || e.kind === 'cancel') {
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2 + (e.kind === 'cancel' ? 8 : 0);
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mid = (x1 + x2) / 2;
    return { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 2},${y2}`, lx: x1 + 8, ly: y1 - 6 };
  }
  if (e.kind === 'back') {
    const x1 = a.x;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const bend = Math.min(80, 30 + Math.abs(y1 - y2) / 6);
    const left = Math.min(x1, x2) - bend;
    return { d: `M${x1},${y1} C${left},${y1} ${left},${y2} ${x2 - 2},${y2}`, lx: left + 4, ly: (y1 + y2) / 2 };
  }
  const x1 = a.x + NODE_W / 2;
  const y1 = a.y + NODE_H;
  const x2 = b.x + NODE_W / 2;
  const y2 = b.y;
  const dy = (y2 - y1) / 2;
  return { d: `M${x1},${y1} C${x1},${y1 + dy} ${x2},${y2 - dy} ${x2},${y2 - 2}`, lx: (x1 + x2) / 2 + 6, ly: (y1 + y2) / 2 };
}

export function ProcessDiagram({ definition, title }: { definition: DefinitionShape; title: string }) {
  const d = layoutDefinition(definition);
  return (
    <div className="diagram-wrap">
      <svg className="diagram" viewBox={`0 0 ${d.width} ${d.height}`} width={d.width} role="img" aria-label={`Diagram of ${title}: ${d.nodes.length} stages, ${d.edges.length} transitions`}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="arrowhead" />
          </marker>
        </defs>
        {d.edges.map((e) => {
          const p = path(d, e);
          return (
            <g key={`${e.from}-${e.to}-${e.kind}`} className={`edge edge-${e.kind}`}>
              <path d={p.d} markerEnd="url(#arrow)">
                <title>{`${humanize(e.from)} → ${humanize(e.to)}: ${e.label}`}</title>
              </path>
              {e.kind !== 'cancel' && (
                <text x={p.lx} y={p.ly} className="edge-label" dominantBaseline="central">{e.label}</text>
              )}
            </g>
          );
        })}
        {d.nodes.map((n) => (
          <g key={n.id} className={`node${n.final ? ' node-final' : ''}${n.initial ? ' node-initial' : ''}`} transform={`translate(${n.x},${n.y})`}>
            <title>{`${n.id}${n.stays.length ? ` · also accepts ${n.stays.join(', ')}` : ''}`}</title>
            <rect width={NODE_W} height={NODE_H} rx={n.final ? 22 : 8} />
            <text x={NODE_W / 2} y={17} textAnchor="middle" className="node-name">{n.id}</text>
            <text x={NODE_W / 2} y={33} textAnchor="middle" className="node-sub">{n.subtitle}</text>
            {n.initial && <circle cx={-14} cy={NODE_H / 2} r={5} className="node-start" />}
          </g>
        ))}
      </svg>
      <p className="legend small">
        <span><span className="swatch edge-swatch" aria-hidden="true" />transition</span>
        <span><span className="swatch exit-swatch" aria-hidden="true" />to a final stage</span>
        <span><span className="swatch cancel-swatch" aria-hidden="true" />CANCEL</span>
        <span>● initial stage</span>
      </p>
    </div>
  );
}
