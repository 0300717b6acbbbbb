// A journey's data moved to another version of its process: the stage mapped, timers kept with
// their deadlines or started again, and the new version's machine driving it from there.
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { compileProcess, defaultProcess, type JourneyEvent, type ProcessDefinition } from '../../../machines/index';
import { migrateContext } from '../../../machines/migrateJourney';
import { driveTo, JourneyDriver, people } from './driver';

/** Version 2: quote_sent renamed proposal_sent, with the same expiry timer. */
const renamed = (): ProcessDefinition => {
  const def = JSON.parse(JSON.stringify(defaultProcess).replaceAll('"quote_sent"', '"proposal_sent"')) as ProcessDefinition;
  def.version = 2;
  return def;
};
const AT = '2025-03-01T09:00:00.000Z';

function atQuoteSent() {
  const d = driveTo(new JourneyDriver(), 'quote_sent').settle();
  expect(d.snapshot.context.timers.map((t) => t.name)).toEqual(['expiry']);
  return d;
}

describe('migrateContext', () => {
  it('keeps a timer the target stage also has, with its id and deadline, and the new machine takes it when it fires', () => {
    const d = atQuoteSent();
    const timerId = d.snapshot.context.timers[0]!.id;
    const to = renamed();
    const { context, effects } = migrateContext(d.snapshot.context, to, 'proposal_sent', 'keep', AT);
    expect(effects).toEqual([]);
    expect(context.stage).toBe('proposal_sent');
    expect(context.visits.proposal_sent).toBe(1);
    expect(context.timers.map((t) => t.id)).toEqual([timerId]);

    const machine = compileProcess(to);
    const snapshot = machine.resolveState({ value: 'proposal_sent', context });
    const [fired] = transition(machine, snapshot, { type: 'TIMER_FIRED', timer: timerId, at: AT } as JourneyEvent);
    expect(fired.value).toBe('opportunity');
  });

  it('restarts timers from the move, and cancels those the target stage does not have', () => {
    const d = atQuoteSent();
    const oldId = d.snapshot.context.timers[0]!.id;
    const to = renamed();
    const restarted = migrateContext(d.snapshot.context, to, 'proposal_sent', 'restart', AT);
    expect(restarted.effects).toEqual([
      { type: 'cancelTimer', params: { timer: oldId } },
      { type: 'startTimer', params: { timer: 'proposal_sent#1:expiry', delay: to.policies.quoteValidity, anchor: AT } },
    ]);

    const withoutExpiry = renamed();
    delete withoutExpiry.stages.proposal_sent!.after;
    const kept = migrateContext(d.snapshot.context, withoutExpiry, 'proposal_sent', 'keep', AT);
    expect(kept.effects).toEqual([{ type: 'cancelTimer', params: { timer: oldId } }]);
    expect(kept.context.timers).toEqual([]);
  });

  it('leaves the journey on the new version able to go on: the customer accepts and it orders', () => {
    const d = atQuoteSent();
    const to = renamed();
    const { context } = migrateContext(d.snapshot.context, to, 'proposal_sent', 'keep', AT);
    const machine = compileProcess(to);
    const snapshot = machine.resolveState({ value: 'proposal_sent', context });
    const [next] = transition(machine, snapshot, { type: 'ACCEPT', actor: { id: people.rep.id, roles: [...people.rep.roles] }, at: AT } as JourneyEvent);
    expect(next.value).toBe('ordering');
    // A stage visited before counts a new visit, so its steps never reuse an earlier visit's keys.
    const back = migrateContext(d.snapshot.context, to, 'opportunity', 'keep', AT);
    expect(back.context.visits.opportunity).toBe((d.snapshot.context.visits.opportunity ?? 0) + 1);
  });
});
