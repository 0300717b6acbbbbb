// The parts of a process definition the editor's forms and the publish diff read, loosely typed:
// a draft may be half-written, so every part is optional here (the API validates the whole).
import type { Role } from './types';

export interface ReactionPart {
  target?: string;
  then?: { when?: unknown; target: string }[];
  roles?: Role[];
  run?: { activity: string }[];
  description?: string;
}

export interface TimerPart extends ReactionPart {
  name?: string;
  delay?: string | { policy: string };
  repeat?: number;
}

export interface CheckpointPart {
  role?: Role;
  auto?: boolean | Record<string, unknown>;
  sla?: string;
  escalateTo?: Role;
  approve?: string;
  reject?: string;
}

export interface StagePart {
  label?: string;
  description?: string;
  sla?: string;
  checkpoint?: CheckpointPart;
  on?: Record<string, ReactionPart>;
  after?: TimerPart[];
}

export interface DunningLevelPart {
  level?: number;
  offset?: string;
  fee?: { amount: string; currency: string } | null;
  template?: string;
}

export interface PoliciesPart {
  mqlThreshold?: number;
  sqlThreshold?: number;
  discountApprovalLimitPct?: number;
  overpaymentTolerance?: number;
  paymentTerms?: string;
  quoteValidity?: string;
  nurtureWindow?: string;
  dunning?: DunningLevelPart[];
  retry?: { maximumAttempts?: number; initialInterval?: string; backoffCoefficient?: number; maximumInterval?: string };
}

export interface DefinitionParts {
  key?: string;
  version?: number;
  title?: string;
  initial?: string;
  policies?: PoliciesPart;
  stages?: Record<string, StagePart>;
  final?: string[];
}

/** The definition with the value at `path` replaced; `undefined` removes the key. */
export function setAt<T>(definition: T, path: readonly (string | number)[], value: unknown): T {
  const copy = structuredClone(definition);
  let at = copy as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) {
    if (at[part] === undefined || at[part] === null || typeof at[part] !== 'object') at[part] = {};
    at = at[part] as Record<string | number, unknown>;
  }
  const last = path.at(-1);
  if (last === undefined) return copy;
  if (value === undefined && !Array.isArray(at)) delete at[last];
  else at[last] = value;
  return copy;
}
