// What an action really did: the answer to an event comes while the journey may still work on it
// (a 202, or a retried activity that fails again and parks seconds later), so the console waits
// until the journey rests and reports where it is then, or why it stopped.
import { api } from './api';
import { activityLabel, roleNoun, stageLabel } from './labels';
import type { JourneyDetail } from './types';

const POLL_MS = 1_000;
/** Long enough for an activity's bounded retries to end in parking again. */
const SETTLE_MS = 60_000;

export interface Outcome {
  ok: boolean;
  text: string;
}

/** The journey once it rests (not `running`), or null when it still works after `waitMs`. */
export async function settledJourney(journeyId: string, waitMs = SETTLE_MS): Promise<JourneyDetail | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const journey = await api.get<JourneyDetail>(`/v1/journeys/${encodeURIComponent(journeyId)}`);
    if (journey.status !== 'running') return journey;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const sentence = (message: string) =>
  message
    .trim()
    .replace(/^./, (c) => c.toLowerCase())
    .replace(/\.?$/, '.');

/** "still failing — a product has no price in the price book." or "done — the journey is now in …". */
export function outcomeOf(journey: JourneyDetail | null, { retried = false } = {}): Outcome {
  if (!journey) return { ok: true, text: 'sent; the journey is still working on it.' };
  if (journey.parked) {
    const what = retried ? 'still failing' : `done, but ${activityLabel(journey.parked.activity).toLowerCase()} failed`;
    return { ok: false, text: `${what} — ${sentence(journey.parked.error.message)}` };
  }
  const waits = journey.pendingCheckpoint ? `, waiting for ${roleNoun(journey.pendingCheckpoint.role)}` : '';
  return { ok: true, text: `done — the journey is now in ${stageLabel(journey.stage)}${waits}.` };
}

/** The outcome after the action's name: "Retry: still failing — …". */
export function describeOutcome(action: string, journey: JourneyDetail | null, options: { retried?: boolean } = {}): Outcome {
  const outcome = outcomeOf(journey, options);
  return { ok: outcome.ok, text: `${action}: ${outcome.text}` };
}
