// The journeys benchmark's wait: under load `settled` answers `running` after 10 s, and the next
// event must wait until the journey has really settled (issue 13: the benchmark crashed).
import { describe, expect, it } from 'vitest';
import { untilSettled } from '../../../bench/engineJourney';
import type { JourneyState } from '../../../workflows/messages';

const state = (status: string, stage = 'fulfilment'): JourneyState => ({
  journeyId: 'j-1',
  definition: { key: 'lead-to-cash', version: 2 },
  stage,
  status,
  final: false,
  stageEnteredAt: '2026-01-01T00:00:00Z',
  ownerId: null,
  amount: null,
  allowedEvents: [],
  pendingCheckpoint: null,
  parked: null,
  context: {},
});

describe('untilSettled', () => {
  it('asks again while the journey is still running and returns the settled state', async () => {
    const answers = [state('running'), state('awaiting_confirmation', 'awaiting_payment')];
    let asked = 0;
    const settled = await untilSettled(state('running'), async () => answers[asked++]!);
    expect(asked).toBe(2);
    expect(settled).toMatchObject({ stage: 'awaiting_payment', status: 'awaiting_confirmation' });
  });

  it('does not ask when the update already answered a settled state', async () => {
    let asked = 0;
    const settled = await untilSettled(state('awaiting_confirmation'), async () => {
      asked++;
      return state('running');
    });
    expect(asked).toBe(0);
    expect(settled.status).toBe('awaiting_confirmation');
  });
});
