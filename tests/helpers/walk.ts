// Walks a journey through the default process as the people in DESIGN.md section 3 would, one
// step per stage, until it reaches `until` (default: closed). Fails loudly when it gets stuck.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { defaultProcess, type ProcessDefinition } from '../../machines/index';
import { REFUSAL, type JourneyState } from '../../workflows/messages';
import { actors, confirm, send, waitForState, type JourneyHandle } from './journeys';

export const demoLines = [{ sku: 'CAM-200', quantity: 2 }];

export function variant(changes: (def: ProcessDefinition) => void, version = 1000 + Math.floor(Math.random() * 1e6)): ProcessDefinition {
  const def = structuredClone(defaultProcess);
  def.version = version;
  changes(def);
  return def;
}

/** One person's step in the stage the journey is in; null when the journey is done. */
export async function step(handle: JourneyHandle, s: JourneyState): Promise<JourneyState | null> {
  const marks = (s.context.marks ?? {}) as Record<string, string>;
  switch (s.stage) {
    case 'lead':
      return confirm(handle, actors.rep, 'lead');
    case 'qualification':
      return send(handle, actors.rep, 'QUALIFY');
    case 'opportunity':
      return send(handle, actors.rep, 'PROPOSE', { lines: demoLines });
    case 'quoting':
      return confirm(handle, actors.manager, 'quoting');
    case 'quote_sent':
      return send(handle, actors.rep, 'ACCEPT');
    case 'ordering':
      return send(handle, actors.rep, 'CONFIRM');
    case 'fulfilment':
      if (!marks['shipment.pickedAt']) return send(handle, actors.warehouse, 'PICKED');
      if (!marks['shipment.packedAt']) return send(handle, actors.warehouse, 'PACKED');
      return send(handle, actors.warehouse, 'SHIPPED', { carrier: 'DHL', trackingNumber: `TRK-${s.journeyId}` });
    case 'invoicing':
      return confirm(handle, actors.finance, 'invoicing');
    case 'awaiting_payment':
    case 'collections':
      if (!s.amount) throw new Error(`no amount due in ${s.stage}`);
      return send(handle, actors.finance, 'PAYMENT_RECEIVED', { ...s.amount, reference: `PAY-${s.journeyId}` });
    default:
      return null;
  }
}

/**
 * The journey refused the step because its stage was running activities, though the state read
 * just before said it was not. Seen once, in a full run, with workers SIGKILLed: the person's move
 * is then to read the state again and retry, as a client of the API does after a 409.
 */
function refusedWhileRunning(error: unknown): boolean {
  return (
    error instanceof WorkflowUpdateFailedError &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === REFUSAL.notAllowed &&
    error.cause.message.endsWith('(running)')
  );
}

/** `waitMs`: how long each step may take to settle (longer in chaos tests, where workers die). */
export async function walk(handle: JourneyHandle, until = 'closed', maxSteps = 40, waitMs = 60_000): Promise<JourneyState> {
  let s = await waitForState(handle, (x) => x.status !== 'running', waitMs);
  let retries = 0;
  for (let i = 0; i < maxSteps; i++) {
    if (s.stage === until || s.final) return s;
    if (s.status === 'parked') throw new Error(`journey parked in ${s.stage}: ${JSON.stringify(s.parked)}`);
    let next: JourneyState | null;
    try {
      next = await step(handle, s);
    } catch (error) {
      if (!refusedWhileRunning(error) || ++retries > 3) throw error;
      s = await waitForState(handle, (x) => x.status !== 'running', waitMs);
      continue;
    }
    if (!next) return s;
    s = next.status === 'running' ? await waitForState(handle, (x) => x.status !== 'running', waitMs) : next;
  }
  throw new Error(`journey did not reach ${until} in ${maxSteps} steps; it is in ${s.stage} (${s.status})`);
}
