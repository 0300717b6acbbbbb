// The default process's ordering stage: ADD_LINES runs addOrderLines then checkCredit and stays; a
// failed credit check holds CONFIRM (with the reason) until finance sends RELEASE_CREDIT_HOLD,
// which is recorded as a confirmation.
import { describe, expect, it } from 'vitest';
import { allowedEvents, defaultProcess, describeJourney } from '../../../machines/index';
import { driveTo, JourneyDriver, people } from './driver';

const heldCredit = { approved: false, exposure: { amount: '1200.00', currency: 'EUR' }, limit: { amount: '1000.00', currency: 'EUR' } };

/** In ordering, awaiting confirmation; the credit check answers `credit` when given. */
function inOrdering(credit?: typeof heldCredit): JourneyDriver {
  const d = driveTo(new JourneyDriver({ scenario: { invoiceCents: 120_000 } }), 'ordering');
  d.complete(); // createOrder
  if (credit) d.complete(credit);
  d.settle();
  expect(d.status).toBe('awaiting_confirmation');
  return d;
}

describe('adding lines to the order', () => {
  it('runs addOrderLines with the event lines, then checks credit again, and waits for CONFIRM', () => {
    const d = inOrdering();
    expect(allowedEvents(d.machine, d.snapshot, 'sales_rep').sort()).toEqual(['ADD_LINES', 'CONFIRM']);
    const actions = d.act('ADD_LINES', people.rep, { lines: [{ sku: 'PSU-12', quantity: 2 }] });
    expect(actions).toEqual([
      {
        type: 'runActivity',
        params: expect.objectContaining({
          activity: 'addOrderLines',
          step: 'ordering#1:addOrderLines#1',
          input: { orderId: 'order-1', lines: [{ sku: 'PSU-12', quantity: 2 }] },
        }),
      },
    ]);
    d.complete({ orderId: 'order-1', number: 'SO-2025-0001', total: { amount: '1228.56', currency: 'EUR' }, added: 1 });
    expect(d.awaited).toMatchObject({ activity: 'checkCredit', step: 'ordering#1:checkCredit#1' });
    d.settle();
    expect(d.stage).toBe('ordering');
    expect(d.status).toBe('awaiting_confirmation');
    // The order's total is the one with the added lines.
    expect(d.snapshot.context.results.createOrder?.total).toEqual({ amount: '1228.56', currency: 'EUR' });
    expect(describeJourney(defaultProcess, d.snapshot).amount).toEqual({ amount: '1228.56', currency: 'EUR' });
  });

  it('is refused to the warehouse and without lines', () => {
    const d = inOrdering();
    expect(d.act('ADD_LINES', people.warehouse, { lines: [{ sku: 'PSU-12', quantity: 1 }] })).toEqual([]);
    expect(d.act('ADD_LINES', people.rep, { lines: [] })).toEqual([]);
    expect(d.awaited).toBeNull();
  });
});

describe('a credit hold', () => {
  it('refuses CONFIRM, names the reason, and lets finance release it', () => {
    const d = inOrdering(heldCredit);
    const held = describeJourney(defaultProcess, d.snapshot).hold;
    expect(held).toEqual({
      reason: 'credit_hold',
      message: "credit hold: order total 1200.00 EUR exceeds the account's limit 1000.00 EUR",
      since: d.snapshot.context.statusSince,
    });
    expect(allowedEvents(d.machine, d.snapshot, 'sales_rep')).toEqual(['ADD_LINES']);
    expect(allowedEvents(d.machine, d.snapshot, 'finance')).toEqual(['RELEASE_CREDIT_HOLD']);
    expect(d.act('CONFIRM', people.rep)).toEqual([]);
    expect(d.stage).toBe('ordering');
    // Not the rep's to release.
    expect(d.act('RELEASE_CREDIT_HOLD', people.rep)).toEqual([]);

    d.act('RELEASE_CREDIT_HOLD', people.finance, undefined, 'long-standing customer');
    expect(d.awaited).toMatchObject({ activity: 'releaseCreditHold', input: { orderId: 'order-1' } });
    d.complete({ ...heldCredit, approved: true });
    expect(describeJourney(defaultProcess, d.snapshot).hold).toBeNull();
    expect(d.snapshot.context.confirmations.at(-1)).toEqual({
      stage: 'ordering',
      decision: 'approve',
      actor: { id: 'fin-1', roles: ['finance'] },
      at: expect.any(String),
      auto: false,
      note: 'long-standing customer',
    });
    d.act('CONFIRM', people.rep);
    expect(d.stage).toBe('fulfilment');
  });

  it('names the exposure when other open orders count against the limit', () => {
    const d = inOrdering({ ...heldCredit, exposure: { amount: '1500.00', currency: 'EUR' } });
    expect(describeJourney(defaultProcess, d.snapshot).hold?.message).toBe(
      "credit hold: open exposure 1500.00 EUR (order total 1200.00 EUR) exceeds the account's limit 1000.00 EUR",
    );
  });

  it('is no hold when the credit check was skipped', () => {
    const d = driveTo(new JourneyDriver(), 'ordering');
    d.complete(); // createOrder
    d.fail('bureau down');
    d.act('SKIP', people.finance);
    d.settle();
    expect(describeJourney(defaultProcess, d.snapshot).hold).toBeNull();
    expect(allowedEvents(d.machine, d.snapshot, 'sales_rep')).toContain('CONFIRM');
  });
});
