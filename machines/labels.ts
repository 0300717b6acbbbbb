// The names people read for a definition's stages and events: its labels, else the key in words
// ("quote_sent" → "Quote sent"). The key stays the name in the API and the timeline.
import type { ProcessDefinition } from './schema/processDefinition.js';

export interface ProcessLabels {
  stages: Record<string, string>;
  events: Record<string, string>;
}

/** `quote_sent` → "Quote sent", `PAYMENT_RECEIVED` → "Payment received". */
export function keyInWords(key: string): string {
  const words = key.replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The labels a definition gives its stages (final ones too) and events. */
export function labelsOf(def: ProcessDefinition): ProcessLabels {
  const stages: Record<string, string> = { ...def.finalLabels };
  for (const [name, stage] of Object.entries(def.stages)) if (stage.label) stages[name] = stage.label;
  return { stages, events: { ...def.eventLabels } };
}

export function stageLabelOf(def: ProcessDefinition, stage: string): string {
  return (Object.hasOwn(def.stages, stage) ? def.stages[stage]?.label : def.finalLabels?.[stage]) ?? keyInWords(stage);
}
