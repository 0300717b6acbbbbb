// Parked activities (RETRY, SKIP, CANCEL), stale internal events, and role checks.
import { describe, expect, it } from 'vitest';
import { allowedEvents, defaultProcess, describeJourney, type JourneyEvent } from '../../../machines/index';
import { driveTo, JourneyDriver, linesWithDiscount, people } from './driver';

const inOrdering = () => {
  const d = driveTo(new JourneyDriver(), 'ordering');
  d.complete(); // createOrder
  return d;
};

describe('a failing activity', () => {
  it('parks the stage with the error; only RETRY, SKIP or CANCEL are accepted', () => {
    const d = inOrdering();
    const step = d.awaited?.step;
    expect(step).toBe('ordering#1:checkCredit');
    d.fail('credit bureau down', 'CreditBureauUnavailable');
    expect(d.status).toBe('parked');
    const parked = { activity: 'checkCredit', step, error: { message: 'credit bureau down', type: 'CreditBureauUnavailable' }, since: d.snapshot.context.now };
    expect(d.snapshot.context.parked).toEqual(parked);
    expect(describeJourney(defaultProcess, d.snapshot)).toMatchObject({ status: 'parked', parked, pendingCheckpoint: null });
    expect(allowedEvents(d.machine, d.snapshot).sort()).toEqual(['CANCEL', 'RETRY', 'SKIP']);
    expect(allowedEvents(d.machine, d.snapshot, 'finance').sort()).toEqual(['RETRY', 'SKIP']);
    expect(allowedEvents(d.machine, d.snapshot, 'sales_rep')).toEqual([]);
    expect(d.act('CONFIRM', people.rep)).toEqual([]);
    expect(d.act('RETRY', people.rep)).toEqual([]);
  });

  it('RETRY re-emits the same step and input, and the stage resumes', () => {
    const d = inOrdering();
    const first = d.awaited;
    d.fail();
    const actions = d.act('RETRY', people.finance, undefined, 'bureau is back');
    expect(actions).toEqual([{ type: 'runActivity', params: first }]);
    expect(d.status).toBe('running');
    expect(d.snapshot.context.parked).toBeNull();
    expect(d.snapshot.context.interventions).toEqual([
      {
        stage: 'ordering',
        action: 'retry',
        activity: 'checkCredit',
        step: 'ordering#1:checkCredit',
        actor: { id: 'fin-1', roles: ['finance'] },
        at: expect.any(String),
        note: 'bureau is back',
      },
    ]);
    d.settle();
    expect(d.status).toBe('awaiting_confirmation');
    expect(d.snapshot.context.results.checkCredit?.approved).toBe(true);
  });

  it('SKIP continues as if the activity had finished, with no result', () => {
    const d = inOrdering();
    d.fail();
    expect(d.act('SKIP', people.ops)).toEqual([expect.objectContaining({ params: expect.objectContaining({ step: 'ordering#1:recommendAccessories' }) })]);
    expect(d.snapshot.context.results.checkCredit).toBeUndefined();
    expect(d.snapshot.context.interventions.map((i) => i.action)).toEqual(['skip']);
  });

  it('SKIP of the last activity of an event run still decides where to go', () => {
    const d = driveTo(new JourneyDriver(), 'awaiting_payment');
    d.act('PAYMENT_RECEIVED', people.finance, { amount: '1000.00', currency: 'EUR', reference: 'B' });
    d.fail();
    d.act('SKIP', people.finance);
    expect(d.stage).toBe('awaiting_payment');
    expect(d.status).toBe('waiting');
  });

  it('an activity whose input cannot be built after a SKIP parks with the reason', () => {
    const d = new JourneyDriver();
    d.fail();
    d.act('SKIP', people.ops);
    expect(d.status).toBe('parked');
    expect(d.snapshot.context.parked).toMatchObject({ activity: 'enrichProfile', step: 'lead#1:enrichProfile', error: { type: 'InvalidActivityInput' } });
    expect(d.snapshot.context.parked?.error.message).toContain('leadId');
  });

  // The activity checks its result against the catalogue's schema (activities/support/run.ts);
  // the workflow's plain check only refuses what is not an object at all.
  it('a result that is not an object parks the stage', () => {
    const d = new JourneyDriver();
    d.complete('lead-1');
    expect(d.status).toBe('parked');
    expect(d.snapshot.context.parked).toMatchObject({ step: 'lead#1:captureLead', error: { type: 'InvalidActivityResult' } });
    expect(d.act('RETRY', people.ops)).toEqual([expect.objectContaining({ params: expect.objectContaining({ step: 'lead#1:captureLead' }) })]);
  });

  it('CANCEL ends a parked journey', () => {
    const d = inOrdering();
    d.fail();
    d.act('CANCEL', people.manager);
    expect(d.settle().stage).toBe('cancelled');
  });
});

describe('stale internal events', () => {
  it('ignores an ACTIVITY_DONE for a step not awaited now', () => {
    const d = new JourneyDriver();
    const before = d.snapshot;
    const done = (step: string): JourneyEvent => ({ type: 'ACTIVITY_DONE', at: d.now(), step, activity: 'captureLead', result: {} });
    expect(d.send(done('lead#0:captureLead'))).toEqual([]);
    expect(d.snapshot).toBe(before);
    d.complete();
    const after = d.snapshot;
    expect(d.send(done('lead#1:captureLead'))).toEqual([]);
    expect(d.snapshot).toBe(after);
  });

  it('ignores an ACTIVITY_FAILED for a step not awaited now', () => {
    const d = new JourneyDriver();
    const before = d.snapshot;
    d.send({ type: 'ACTIVITY_FAILED', at: d.now(), step: 'lead#1:assignLead', activity: 'assignLead', error: { message: 'x' } });
    expect(d.snapshot).toBe(before);
  });

  it('ignores a timer of a stage already left, and a timer fired twice', () => {
    const d = driveTo(new JourneyDriver(), 'quote_sent').settle();
    d.act('REVISE', people.rep, linesWithDiscount(1));
    d.settle();
    expect(d.stage).toBe('quote_sent');
    const before = d.snapshot;
    expect(d.fireTimer('quote_sent#1:expiry')).toEqual([]);
    expect(d.snapshot).toBe(before);
    d.fireTimer('quote_sent#2:expiry');
    expect(d.stage).toBe('opportunity');
    const after = d.snapshot;
    expect(d.fireTimer('quote_sent#2:expiry')).toEqual([]);
    expect(d.snapshot).toBe(after);
  });

  it('a timer that fires while an activity runs is handled once the activity is done', () => {
    const d = driveTo(new JourneyDriver(), 'quote_sent');
    expect(d.awaited?.activity).toBe('sendQuote');
    expect(d.fireTimer('quote_sent#1:expiry')).toEqual([]);
    expect(d.stage).toBe('quote_sent');
    d.complete();
    expect(d.stage).toBe('opportunity');
  });
});

describe('roles', () => {
  it('refuses an event from a role the definition does not allow', () => {
    const d = driveTo(new JourneyDriver(), 'opportunity').settle();
    const before = d.snapshot;
    expect(d.act('PROPOSE', people.warehouse, linesWithDiscount(0))).toEqual([]);
    expect(d.snapshot).toBe(before);
    expect(allowedEvents(d.machine, d.snapshot, 'warehouse')).toEqual([]);
    expect(allowedEvents(d.machine, d.snapshot, 'sales_rep').sort()).toEqual(['LOSE', 'PROPOSE']);
    expect(allowedEvents(d.machine, d.snapshot, 'sales_manager').sort()).toEqual(['CANCEL', 'LOSE', 'PROPOSE']);
    expect(allowedEvents(d.machine, d.snapshot, 'admin').sort()).toEqual(['CANCEL', 'LOSE', 'PROPOSE']);
    expect(allowedEvents(d.machine, d.snapshot, 'viewer')).toEqual([]);
  });

  it('refuses vocabulary events other than CANCEL while activities run', () => {
    const d = new JourneyDriver();
    expect(allowedEvents(d.machine, d.snapshot)).toEqual(['CANCEL']);
    expect(d.act('CONFIRM', people.admin)).toEqual([]);
  });

  it('refuses an event without its payload', () => {
    const d = driveTo(new JourneyDriver(), 'opportunity').settle();
    expect(d.act('PROPOSE', people.rep)).toEqual([]);
    expect(d.act('PROPOSE', people.rep, { lines: [] })).toEqual([]);
    expect(d.stage).toBe('opportunity');
  });

  it('never lists internal events, nor events only the system sends', () => {
    const d = driveTo(new JourneyDriver(), 'paid');
    d.fail();
    expect(allowedEvents(d.machine, d.snapshot)).not.toContain('CONFIRM');
    for (const internal of ['ACTIVITY_DONE', 'ACTIVITY_FAILED', 'TIMER_FIRED']) expect(allowedEvents(d.machine, d.snapshot)).not.toContain(internal);
  });
});
