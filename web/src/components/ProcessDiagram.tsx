// The process as a drawing: stages top to bottom in the order a journey meets them, final stages
// on the right, back edges curving on the left, CANCEL dashed. Drawn from the definition JSON.
import { humanize } from '../format';
import { layoutDefinition, NODE_H, NODE_W, type DefinitionShape, type Diagram, type DiagramEdge, type DiagramNode } from '../diagramLayout';

function path(d: Diagram, e: DiagramEdge): { d: string; lx: number; ly: number; anchor?: 'start' | 'end' } {
  const a = d.nodes.find((n) => n.id === e.from);
  const b = d.nodes.find((n) => n.id === e.to);
  if (!a || !b) return { d: '', lx: 0, ly: 0 };
  const midY = (n: DiagramNode) => n.y + NODE_H / 2;
  if (e.kind === 'exit' || e.kind === 'cancel') {
    // Leave from the bottom when a stage sits to the right on the same row.
    const blocked = d.nodes.some((n) => n.y === a.y && n.column > a.column && !n.final);
    const x1 = blocked ? a.x + NODE_W - 16 : a.x + NODE_W;
    const y1 = blocked ? a.y + NODE_H : midY(a) + (e.kind === 'cancel' ? 8 : 0);
    const x2 = b.x;
    const y2 = midY(b);
    const c1 = blocked ? `${x1},${y1 + 40}` : `${(x1 + x2) / 2},${y1}`;
    return { d: `M${x1},${y1} C${c1} ${(x1 + x2) / 2},${y2} ${x2 - 2},${y2}`, lx: blocked ? x1 + 6 : x1 + 8, ly: blocked ? y1 + 12 : y1 - 8 };
  }
  if (e.kind === 'back' && a.column > b.column) {
    // From a stage beside the happy path: up from its top, into the target's right side.
    const x1 = a.x + NODE_W / 2;
    const y1 = a.y;
    const x2 = b.x + NODE_W;
    const y2 = midY(b);
    return { d: `M${x1},${y1} C${x1},${y2} ${x1},${y2} ${x2 + 2},${y2}`, lx: x1 + 6, ly: (y1 + y2) / 2 };
  }
  if (e.kind === 'back' || e.kind === 'around') {
    // Back edges curve on the left; long forward edges that would cross a stage, on the right.
    const side = e.kind === 'back' ? -1 : 1;
    const x1 = side < 0 ? a.x : a.x + NODE_W;
    const x2 = side < 0 ? b.x : b.x + NODE_W;
    const y1 = midY(a);
    const y2 = midY(b);
    const bend = Math.min(80, 30 + Math.abs(y1 - y2) / 6);
    const out = side < 0 ? Math.min(x1, x2) - bend : Math.max(x1, x2) + bend;
    return {
      d: `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2 - 2 * side},${y2}`,
      lx: side < 0 ? out + 18 : out + 4,
      ly: (y1 + y2) / 2,
      anchor: side < 0 ? 'end' : 'start',
    };
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
      <svg
        className="diagram"
        viewBox={`0 0 ${d.width} ${d.height}`}
        width={d.width}
        role="img"
        aria-label={`Diagram of ${title}: ${d.nodes.length} stages, ${d.edges.length} transitions`}
      >
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
                <text x={p.lx} y={p.ly} className="edge-label" dominantBaseline="central" textAnchor={p.anchor ?? 'start'}>
                  {e.label}
                </text>
              )}
            </g>
          );
        })}
        {d.nodes.map((n) => (
          <g key={n.id} className={`node${n.final ? ' node-final' : ''}${n.initial ? ' node-initial' : ''}`} transform={`translate(${n.x},${n.y})`}>
            <title>{`${n.id}${n.stays.length ? ` · also accepts ${n.stays.join(', ')}` : ''}`}</title>
            <rect width={NODE_W} height={NODE_H} rx={n.final ? 22 : 8} />
            <text x={NODE_W / 2} y={17} textAnchor="middle" className="node-name">
              {n.id}
            </text>
            <text x={NODE_W / 2} y={33} textAnchor="middle" className="node-sub">
              {n.subtitle}
            </text>
            {n.initial && <circle cx={-14} cy={NODE_H / 2} r={5} className="node-start" />}
          </g>
        ))}
      </svg>
      <p className="legend small">
        <span>
          <span className="swatch edge-swatch" aria-hidden="true" />
          transition
        </span>
        <span>
          <span className="swatch exit-swatch" aria-hidden="true" />
          to a final stage
        </span>
        <span>
          <span className="swatch cancel-swatch" aria-hidden="true" />
          CANCEL
        </span>
        <span>● initial stage</span>
      </p>
    </div>
  );
}
