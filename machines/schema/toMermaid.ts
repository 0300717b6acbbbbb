// A mermaid stateDiagram-v2 of a definition, for the ops console.
import type { Guard, ProcessDefinition, TimerDefinition, TransitionDefinition } from './processDefinition.js';

function describeGuard(guard: Guard): string {
  if ('all' in guard) return guard.all.map(describeGuard).join(' and ');
  if ('any' in guard) return `(${guard.any.map(describeGuard).join(' or ')})`;
  if ('not' in guard) return `not ${describeGuard(guard.not)}`;
  const operand = guard.policy ?? (guard.value === undefined ? '' : JSON.stringify(guard.value));
  return `${guard.field} ${guard.op}${operand === '' ? '' : ` ${operand}`}`;
}

/** Mermaid labels end at a newline and choke on `:` and `;`; keep them on one plain line. */
const label = (text: string): string => text.replace(/[:;\n]/g, ' ').replace(/"/g, "'");

function edges(from: string, trigger: string, reaction: TransitionDefinition | TimerDefinition): string[] {
  const runs = reaction.run ? ` / ${reaction.run.map((r) => r.activity).join(', ')}` : '';
  const lines: string[] = [];
  if (reaction.target) lines.push(`  ${from} --> ${reaction.target} : ${label(`${trigger}${runs}`)}`);
  for (const branch of reaction.then ?? []) {
    const when = branch.when ? ` [${describeGuard(branch.when)}]` : '';
    lines.push(`  ${from} --> ${branch.target} : ${label(`${trigger}${runs}${when}`)}`);
  }
  if (!reaction.target && !reaction.then) lines.push(`  ${from} --> ${from} : ${label(`${trigger}${runs}`)}`);
  return lines;
}

export function toMermaid(def: ProcessDefinition): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${def.initial}`];
  for (const [stage, spec] of Object.entries(def.stages)) {
    const { checkpoint } = spec;
    const who = [checkpoint.role, checkpoint.auto === undefined || checkpoint.auto === false ? undefined : 'auto']
      .filter((part) => part !== undefined)
      .join(' or ');
    const activities = (spec.entry ?? []).map((a) => a.activity).join(', ');
    lines.push(`  ${stage} : ${label(`${stage}${activities ? ` (${activities})` : ''} - ${who} ${checkpoint.approve}`)}`);
    for (const [event, transition] of Object.entries(spec.on)) {
      const roles = transition.roles ? ` (${transition.roles.join(', ')})` : '';
      edges(stage, `${event}${roles}`, transition).forEach((line) => lines.push(line));
    }
    for (const timer of spec.after ?? []) {
      const delay = typeof timer.delay === 'string' ? timer.delay : timer.delay.policy;
      edges(stage, `after ${delay}`, timer).forEach((line) => lines.push(line));
    }
  }
  for (const stage of def.final) lines.push(`  ${stage} --> [*]`);
  return `${lines.join('\n')}\n`;
}
