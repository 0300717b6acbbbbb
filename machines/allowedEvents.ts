// The vocabulary events a journey accepts now, for the API's 409 answers and the console's buttons.
import { mayRecover, transitionEnabled } from './acceptance.js';
import { definitionOf, type JourneyMachine } from './compileProcess.js';
import { stageDefinition } from './definitionLookup.js';
import { recoveryEventTypes } from './events.js';
import type { JourneyContext } from './journeyContext.js';

/**
 * For `role` alone when given (no person, so segregation of duties is not evaluated), else for
 * anyone. Payloads are not checked either: the caller has not sent one yet.
 */
export function allowedEvents(machine: JourneyMachine, snapshot: { value: unknown; context: JourneyContext }, role?: string): string[] {
  const def = definitionOf(machine);
  const context = { ...snapshot.context, stage: String(snapshot.value) };
  const spec = stageDefinition(def, context.stage);
  if (!spec) return [];
  const roles = role === undefined ? ['admin'] : [role];
  const events = Object.keys(spec.on).filter((event) => transitionEnabled(def, context, event, roles));
  const recovery = recoveryEventTypes.filter((event) => mayRecover(def, context, event, roles));
  return [...events, ...recovery];
}
