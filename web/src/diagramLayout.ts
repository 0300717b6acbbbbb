// Lays out a process definition for the diagram: stages in layers from the initial stage
// (breadth first, top to bottom), final stages in a lane on the right, one edge per event/timer
// and target. Pure: reads the definition JSON, draws nothing.

interface Reaction {
  target?: string;
  then?: { target: string }[];
  roles?: string[];
}

interface StageSpec {
  on?: Record<string, Reaction>;
  after?: (Reaction & { name?: string; delay?: string | { policy: string } })[];
  checkpoint?: { role?: string; auto?: unknown; approve?: string };
}

export interface DefinitionShape {
  initial?: string;
  stages?: Record<string, StageSpec>;
  final?: string[];
}

export interface DiagramNode {
  id: string;
  x: number;
  y: number;
  /** 0 for the happy path, 1… for stages beside it; the final lane comes last. */
  column: number;
  final: boolean;
  initial: boolean;
  subtitle: string;
  /** Events that keep the stage (marks, restock): listed, not drawn. */
  stays: string[];
}

export interface DiagramEdge {
  from: string;
  to: string;
  label: string;
  /** `around`: a forward edge that would cross a stage in its column, drawn on the right. */
  kind: 'forward' | 'around' | 'back' | 'exit' | 'cancel';
}

export interface Diagram {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  width: number;
  height: number;
}

export const NODE_W = 150;
export const NODE_H = 44;
const COL = 200;
const ROW = 78;
const MARGIN_LEFT = 140;
const MARGIN_TOP = 30;
const LANE_GAP = 70;

function targets(reaction: Reaction): string[] {
  return [...new Set([reaction.target, ...(reaction.then ?? []).map((t) => t.target)].filter((t): t is string => typeof t === 'string'))];
}

export function layoutDefinition(def: DefinitionShape): Diagram {
  const stages = def.stages ?? {};
  const finals = new Set(def.final ?? []);
  const names = [...new Set([...Object.keys(stages), ...finals])];
  const raw: { from: string; to: string; label: string; cancel: boolean }[] = [];
  const stays = new Map<string, string[]>();
  for (const [from, spec] of Object.entries(stages)) {
    for (const [event, reaction] of Object.entries(spec.on ?? {})) {
      const to = targets(reaction);
      if (to.length === 0) stays.set(from, [...(stays.get(from) ?? []), event]);
      for (const t of to) if (t !== from) raw.push({ from, to: t, label: event, cancel: event === 'CANCEL' });
    }
    for (const timer of spec.after ?? []) {
      const delay = typeof timer.delay === 'string' ? timer.delay : (timer.delay?.policy ?? timer.name ?? '');
      for (const t of targets(timer)) if (t !== from) raw.push({ from, to: t, label: `after ${delay}`, cancel: false });
    }
  }

  // Back edges: those closing a cycle in a depth-first walk from the initial stage. The rest form
  // a DAG, layered by longest path, so every forward edge points down.
  const initial = def.initial && names.includes(def.initial) ? def.initial : names.find((n) => !finals.has(n));
  const inner = raw.filter((e) => !finals.has(e.to) && !finals.has(e.from));
  const back = new Set<(typeof raw)[number]>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string) => {
    state.set(node, 'open');
    for (const e of inner.filter((x) => x.from === node)) {
      if (state.get(e.to) === 'open') back.add(e);
      else if (!state.has(e.to)) visit(e.to);
    }
    state.set(node, 'done');
  };
  if (initial && !finals.has(initial)) visit(initial);
  for (const n of names) if (!finals.has(n) && !state.has(n)) visit(n);
  const forward = inner.filter((e) => !back.has(e));
  const layer = new Map<string, number>(names.filter((n) => !finals.has(n)).map((n) => [n, 0]));
  for (let changed = true, rounds = 0; changed && rounds < names.length; rounds++) {
    changed = false;
    for (const e of forward) {
      const next = (layer.get(e.from) ?? 0) + 1;
      if (next > (layer.get(e.to) ?? 0)) {
        layer.set(e.to, next);
        changed = true;
      }
    }
  }

  // The spine: the shortest way from the initial stage to the first final stage (the happy path),
  // drawn straight down the first column; other stages of a layer sit to its right.
  const spine = new Set<string>();
  const goal = (def.final ?? [])[0];
  if (initial && goal) {
    const cameFrom = new Map<string, string>([[initial, '']]);
    const queue = [initial];
    while (queue.length > 0 && !cameFrom.has(goal)) {
      const current = queue.shift() as string;
      for (const e of raw) {
        if (e.from !== current || e.cancel || cameFrom.has(e.to)) continue;
        cameFrom.set(e.to, current);
        if (!finals.has(e.to)) queue.push(e.to);
      }
    }
    for (let at = cameFrom.get(goal); at; at = cameFrom.get(at)) spine.add(at);
  }

  const byLayer = new Map<number, string[]>();
  for (const n of names) {
    if (finals.has(n)) continue;
    const l = layer.get(n) ?? 0;
    byLayer.set(l, [...(byLayer.get(l) ?? []), n]);
  }
  const position = new Map<string, { x: number; y: number; column: number }>();
  let columns = 1;
  for (const [l, members] of byLayer) {
    const onSpine = members.filter((m) => spine.has(m));
    const off = members.filter((m) => !spine.has(m));
    const ordered = onSpine.length > 0 ? [...onSpine, ...off] : [null, ...off];
    ordered.forEach((n, column) => {
      if (n === null) return;
      position.set(n, { x: MARGIN_LEFT + column * COL, y: MARGIN_TOP + l * ROW, column });
      columns = Math.max(columns, column + 1);
    });
  }

  // Final stages: right lane, each near the stages that lead to it, without overlapping.
  const laneX = MARGIN_LEFT + columns * COL + LANE_GAP - (COL - NODE_W);
  const wanted = [...finals].map((f) => {
    const from = raw.filter((e) => e.to === f && !e.cancel).map((e) => position.get(e.from)?.y ?? 0);
    const all = raw.filter((e) => e.to === f).map((e) => position.get(e.from)?.y ?? 0);
    const ys = from.length > 0 ? from : all;
    return { f, y: ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : MARGIN_TOP };
  });
  wanted.sort((a, b) => a.y - b.y);
  let nextFree = MARGIN_TOP;
  for (const w of wanted) {
    const y = Math.max(w.y, nextFree);
    position.set(w.f, { x: laneX, y, column: columns });
    nextFree = y + ROW * 0.8;
  }

  const nodes: DiagramNode[] = names.map((id) => {
    const spec = stages[id];
    const cp = spec?.checkpoint;
    const who = [cp?.role, cp?.auto === undefined || cp?.auto === false ? undefined : 'auto'].filter(Boolean).join(' or ');
    const p = position.get(id) ?? { x: 0, y: 0, column: 0 };
    return {
      id,
      x: p.x,
      y: p.y,
      column: p.column,
      final: finals.has(id),
      initial: id === initial,
      subtitle: finals.has(id) ? 'final' : who || 'no checkpoint',
      stays: stays.get(id) ?? [],
    };
  });

  // One edge per pair and kind; labels of parallel edges are joined.
  const occupied = new Set([...position.values()].map((p) => `${p.column}:${p.y}`));
  const crosses = (from: string, to: string) => {
    const a = position.get(from);
    const b = position.get(to);
    if (!a || !b || a.column !== b.column) return false;
    for (let y = a.y + ROW; y < b.y; y += ROW) if (occupied.has(`${a.column}:${y}`)) return true;
    return false;
  };
  const merged = new Map<string, DiagramEdge>();
  for (const e of raw) {
    const kind: DiagramEdge['kind'] = e.cancel ? 'cancel' : finals.has(e.to) ? 'exit' : back.has(e) ? 'back' : crosses(e.from, e.to) ? 'around' : 'forward';
    const key = `${e.from}->${e.to}:${kind}`;
    const existing = merged.get(key);
    if (existing) existing.label = `${existing.label}, ${e.label}`;
    else merged.set(key, { from: e.from, to: e.to, label: e.label, kind });
  }

  const maxX = Math.max(...nodes.map((n) => n.x + NODE_W), 300);
  const maxY = Math.max(...nodes.map((n) => n.y + NODE_H), 100);
  return { nodes, edges: [...merged.values()], width: maxX + 40, height: maxY + 30 };
}
