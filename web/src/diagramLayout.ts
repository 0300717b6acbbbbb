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
  kind: 'forward' | 'back' | 'exit' | 'cancel';
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
const MARGIN_LEFT = 90;
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

  // Breadth first over the stages that are not final.
  const layer = new Map<string, number>();
  const initial = def.initial && names.includes(def.initial) ? def.initial : names.find((n) => !finals.has(n));
  const queue = initial && !finals.has(initial) ? [initial] : [];
  if (initial) layer.set(initial, 0);
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const e of raw) {
      if (e.from !== current || finals.has(e.to) || layer.has(e.to)) continue;
      layer.set(e.to, (layer.get(current) ?? 0) + 1);
      queue.push(e.to);
    }
  }
  let deepest = Math.max(0, ...layer.values());
  for (const n of names) if (!finals.has(n) && !layer.has(n)) layer.set(n, ++deepest);

  const byLayer = new Map<number, string[]>();
  for (const n of names) {
    if (finals.has(n)) continue;
    const l = layer.get(n) ?? 0;
    byLayer.set(l, [...(byLayer.get(l) ?? []), n]);
  }
  const widest = Math.max(1, ...[...byLayer.values()].map((l) => l.length));
  const position = new Map<string, { x: number; y: number }>();
  for (const [l, members] of byLayer) {
    const offset = ((widest - members.length) * COL) / 2;
    members.forEach((n, i) => position.set(n, { x: MARGIN_LEFT + offset + i * COL, y: MARGIN_TOP + l * ROW }));
  }

  // Final stages: right lane, each near the stages that lead to it, without overlapping.
  const laneX = MARGIN_LEFT + widest * COL + LANE_GAP - (COL - NODE_W);
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
    position.set(w.f, { x: laneX, y });
    nextFree = y + ROW * 0.8;
  }

  const nodes: DiagramNode[] = names.map((id) => {
    const spec = stages[id];
    const cp = spec?.checkpoint;
    const who = [cp?.role, cp?.auto === undefined || cp?.auto === false ? undefined : 'auto'].filter(Boolean).join(' or ');
    const p = position.get(id) ?? { x: 0, y: 0 };
    return { id, x: p.x, y: p.y, final: finals.has(id), initial: id === initial, subtitle: finals.has(id) ? 'final' : who || 'no checkpoint', stays: stays.get(id) ?? [] };
  });

  // One edge per pair and kind; labels of parallel edges are joined.
  const merged = new Map<string, DiagramEdge>();
  for (const e of raw) {
    const kind: DiagramEdge['kind'] = e.cancel ? 'cancel' : finals.has(e.to) ? 'exit' : (layer.get(e.to) ?? 0) <= (layer.get(e.from) ?? 0) ? 'back' : 'forward';
    const key = `${e.from}->${e.to}:${kind}`;
    const existing = merged.get(key);
    if (existing) existing.label = `${existing.label}, ${e.label}`;
    else merged.set(key, { from: e.from, to: e.to, label: e.label, kind });
  }

  const maxX = Math.max(...nodes.map((n) => n.x + NODE_W), 300);
  const maxY = Math.max(...nodes.map((n) => n.y + NODE_H), 100);
  return { nodes, edges: [...merged.values()], width: maxX + 40, height: maxY + 30 };
}
