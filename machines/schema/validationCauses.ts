// Every error of a definition in one round, root causes first: a broken target or initial stage
// makes stages downstream "unreachable" (or leaves some without a path to a final stage); those
// knock-ons carry `causedBy`, the path of the root error they follow from, so a person fixes one
// typo instead of reading eight errors.
import { graphErrors } from './processGraph.js';
import { processDefinitionSchema, type ProcessDefinition } from './processDefinition.js';
import { semanticErrors, validateProcess, type ValidationError } from './validateProcess.js';

export interface ExplainedError extends ValidationError {
  /** The path of the root error this one follows from; absent on root causes. */
  causedBy?: string;
}

export type ExplainedResult = { ok: true; process: ProcessDefinition } | { ok: false; errors: ExplainedError[] };

const UNKNOWN_STAGE = /^unknown stage "/;
const sameError = (a: ValidationError) => (b: ValidationError) => a.path === b.path && a.message === b.message;

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/** The definition with the value at `path` (dot-separated) replaced. */
function withValue(def: ProcessDefinition, path: string, value: string): ProcessDefinition {
  const copy = structuredClone(def);
  const parts = path.split('.');
  const last = parts.pop();
  let at: unknown = copy;
  for (const part of parts) at = (at as Record<string, unknown> | undefined)?.[part];
  if (last !== undefined && at && typeof at === 'object') (at as Record<string, unknown>)[last] = value;
  return copy;
}

/**
 * The stages a broken reference may have meant: the closest name when one is near (a typo), else
 * every stage, so the repair that explains the most knock-ons is found either way.
 */
function candidates(def: ProcessDefinition, wrong: string): string[] {
  const known = [...Object.keys(def.stages), ...def.final];
  const scored = known.map((name) => ({ name, d: distance(wrong, name) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  return best && best.d <= Math.max(2, Math.floor(wrong.length / 3)) ? [best.name] : known;
}

/** Marks each graph error that disappears once one root reference is repaired with that root's path. */
export function explainErrors(def: ProcessDefinition, errors: readonly ValidationError[]): ExplainedError[] {
  const graph = graphErrors(def);
  const knockOnCandidates = errors.filter((e) => graph.some(sameError(e)));
  const roots = errors.filter((e) => (e.path === 'initial' || e.path.endsWith('.target')) && UNKNOWN_STAGE.test(e.message));
  const causes = new Map<ValidationError, string>();
  for (const root of roots) {
    const wrong = /^unknown stage "(.*)"/.exec(root.message)?.[1] ?? '';
    let explained: ValidationError[] = [];
    for (const guess of candidates(def, wrong)) {
      const remaining = graphErrors(withValue(def, root.path, guess));
      const resolved = knockOnCandidates.filter((e) => !causes.has(e) && !remaining.some(sameError(e)));
      if (resolved.length > explained.length) explained = resolved;
    }
    for (const e of explained) causes.set(e, root.path);
  }
  const explainedErrors: ExplainedError[] = errors.map((e) => {
    const causedBy = causes.get(e);
    return causedBy === undefined ? { ...e } : { ...e, causedBy };
  });
  return [...explainedErrors.filter((e) => e.causedBy === undefined), ...explainedErrors.filter((e) => e.causedBy !== undefined)];
}

const within = (path: string, outer: string) => outer === '' || path === outer || path.startsWith(`${outer}.`);

/**
 * validateProcess in one round: when the schema refuses parts, the reference and graph checks still
 * run over the rest where they can, so fixing a bad duration does not reveal a broken target later.
 */
export function validateAllAtOnce(def: unknown): ExplainedResult {
  const result = validateProcess(def);
  if (result.ok) return result;
  const schemaRefused = !processDefinitionSchema.safeParse(def).success;
  let errors = result.errors;
  if (schemaRefused) {
    try {
      const more = semanticErrors(def as ProcessDefinition).filter((e) => !errors.some((s) => within(e.path, s.path)));
      errors = [...errors, ...more];
    } catch {
      // Too broken for the reference checks: the schema's errors are this round.
    }
  }
  try {
    return { ok: false, errors: explainErrors(def as ProcessDefinition, errors) };
  } catch {
    return { ok: false, errors };
  }
}
