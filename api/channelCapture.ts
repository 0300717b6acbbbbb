// Leads from channels without a signed-in user (web forms, inbound mail) take the capture path of
// POST /v1/leads: the journey's own capture step dedupes, assigns an owner and answers the person.
// The journey id comes from the channel (an Idempotency-Key, a Message-ID), so a repeat names the
// same journey, which Temporal starts once.
import { createHash } from 'node:crypto';
import { recordStartedJourney } from '../db/queries/journeys';
import type { LeadInput } from '../machines/index';
import type { ApiDeps } from './deps';
import { startJourneyDetached, workflowIdOf } from './journeyClient';
import { definitionForLead } from './processRouting';

/** The journey a channel's message starts: the same channel and key give the same id. */
export function channelJourneyId(channel: string, key: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([channel, key]))
    .digest('hex');
  return `jrn_${digest.slice(0, 32)}`;
}

/** Starts the lead's journey (or finds it started) without waiting for capture; answers its first stage. */
export async function captureFromChannel(deps: ApiDeps, journeyId: string, lead: LeadInput): Promise<{ stage: string }> {
  const definition = await definitionForLead(deps.db, lead);
  await startJourneyDetached(deps, { journeyId, definition, lead });
  // Visible at once to those who see every journey; routing names its owner during capture.
  await recordStartedJourney(deps.db, {
    journeyId,
    workflowId: workflowIdOf(journeyId),
    definition: { key: definition.key, version: definition.version },
    stage: definition.initial,
    ownerId: null,
    lead,
  });
  return { stage: definition.initial };
}
