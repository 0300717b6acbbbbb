// Every path of the default process, driven with xstate's pure transition functions only.
import { describe, expect, it } from 'vitest';
import { allowedEvents, defaultProcess, describeJourney } from '../../../machines/index';
import { driveTo, JourneyDriver, linesWithDiscount, people, type Action } from './driver';

const steps = (actions: readonly Action[]) => actions.flatMap((a) => (a.type === 'runActivity' ? [a.params.step] : []));
const runs = (d: JourneyDriver) => steps(d.effects);

describe('happy path', () => {
  it('runs every stage to closed, auto-confirming where the policies hold', () => {
    const d = driveTo(new JourneyDriver(), 'closed');
    expect(d.snapshot.status).toBe('done');
    expect(d.status).toBe('done');
    expect(runs(d)).toEqual([
      'lead#1:captureLead',
      'lead#1:enrichProfile',
      'lead#1:assignLead',
      'lead#1:sendAutoResponse',
      'qualification#1:scoreLead',
      'opportunity#1:createFollowUpTask',
      'quoting#1:priceQuote',
      'quote_sent#1:sendQuote',
      'ordering#1:createOrder',
      'ordering#1:checkCredit',
      'ordering#1:recommendAccessories',
      'fulfilment#1:reserveStock',
      'fulfilment#1:notifyShipment#1',
      'invoicing#1:issueInvoice',
      'invoicing#1:sendInvoice',
      'awaiting_payment#1:applyPayment#1',
      'paid#1:reconcile',
    ]);
    const decisions = d.snapshot.context.confirmations.map((c) => [c.stage, c.decision, c.actor.id, c.auto]);
    expect(decisions).toEqual([
      ['lead', 'approve', 'system', true],
      ['qualification', 'approve', 'system', true],
      ['opportunity', 'approve', 'rep-1', false],
      ['quoting', 'approve', 'system', true],
      ['quote_sent', 'approve', 'rep-1', false],
      ['ordering', 'approve', 'rep-1', false],
      ['fulfilment', 'approve', 'wh-1', false],
      ['invoicing', 'approve', 'system', true],
      ['awaiting_payment', 'approve', 'fin-1', false],
      ['paid', 'approve', 'system', true],
    ]);
    expect(d.snapshot.context.confirmations[0]?.actor).toEqual({ id: 'system', roles: ['system'] });
    // Every timer started was cancelled on leaving its stage.
    expect(d.timers.size).toBe(0);
    expect(d.cancelled).toEqual(['quote_sent#1:expiry', 'awaiting_payment#1:dunning#L1']);
  });

  it('passes each activity the input the catalogue asks for', () => {
    const d = driveTo(new JourneyDriver(), 'closed');
    const input = (activity: string) => d.effects.find((a) => a.type === 'runActivity' && a.params.activity === activity)?.params;
    expect(input('captureLead')).toMatchObject({ input: { lead: { email: 'ada@example.com' } } });
    expect(input('scoreLead')).toMatchObject({ input: { leadId: 'lead-1', mqlThreshold: 40, sqlThreshold: 70 } });
    expect(input('createFollowUpTask')).toMatchObject({ input: { leadId: 'lead-1', ownerId: 'rep-1' } });
    expect(input('priceQuote')).toMatchObject({ input: { opportunityId: 'opp-1', validity: 'P30D', author: 'rep-1', lines: linesWithDiscount(5).lines } });
    expect(input('issueInvoice')).toMatchObject({ input: { orderId: 'order-1', paymentTerms: 'P30D' } });
    expect(input('notifyShipment')).toMatchObject({ input: { orderId: 'order-1', carrier: 'DHL', trackingNumber: 'JD014600003828' } });
    expect(input('applyPayment')).toMatchObject({ input: { invoiceId: 'inv-1', payment: { amount: '1000.00', currency: 'EUR', reference: 'BANK-1' } } });
    expect(input('priceQuote')).toMatchObject({ retry: defaultProcess.policies.retry });
  });

  it('emits the next activity only when the previous one is done', () => {
    const d = new JourneyDriver();
    expect(steps(d.last)).toEqual(['lead#1:captureLead']);
    expect(steps(d.complete())).toEqual(['lead#1:enrichProfile']);
    expect(d.status).toBe('running');
  });
});

describe('lead and qualification', () => {
  it('waits for a sales rep when the lead is a duplicate, and REJECT disqualifies', () => {
    const d = new JourneyDriver({ scenario: { duplicateOf: 'lead-0' } }).settle();
    expect(d.stage).toBe('lead');
    expect(d.status).toBe('awaiting_confirmation');
    expect(describeJourney(defaultProcess, d.snapshot).pendingCheckpoint).toMatchObject({
      stage: 'lead',
      role: 'sales_rep',
      approveEvent: 'CONFIRM',
      rejectEvent: 'REJECT',
    });
    d.act('REJECT', people.rep, undefined, 'same person as lead-0');
    expect(d.stage).toBe('disqualified');
    expect(d.snapshot.context.confirmations.at(-1)).toEqual({
      stage: 'lead',
      decision: 'reject',
      actor: { id: 'rep-1', roles: ['sales_rep'] },
      at: expect.any(String),
      note: 'same person as lead-0',
      auto: false,
    });
  });

  it('a score under the SQL threshold waits for the rep, who disqualifies', () => {
    const d = driveTo(new JourneyDriver({ scenario: { score: 30 } }), 'qualification').settle();
    expect(d.status).toBe('awaiting_confirmation');
    d.act('DISQUALIFY', people.rep);
    expect(d.stage).toBe('disqualified');
    expect(d.snapshot.status).toBe('done');
  });

  it('nurture waits for the customer; RE_ENGAGE scores the lead again', () => {
    const d = driveTo(new JourneyDriver({ scenario: { score: 55 } }), 'qualification').settle();
    const actions = d.act('NURTURE', people.rep);
    expect(d.stage).toBe('nurture');
    expect(d.status).toBe('waiting');
    expect(actions).toEqual([
      { type: 'startTimer', params: { timer: 'nurture#1:touch', delay: 'P14D', anchor: expect.any(String) } },
      { type: 'startTimer', params: { timer: 'nurture#1:window', delay: 'P90D', anchor: expect.any(String) } },
    ]);
    expect(d.act('RE_ENGAGE', people.rep)).toEqual([
      { type: 'cancelTimer', params: { timer: 'nurture#1:touch' } },
      { type: 'cancelTimer', params: { timer: 'nurture#1:window' } },
      expect.objectContaining({ type: 'runActivity', params: expect.objectContaining({ step: 'qualification#2:scoreLead' }) }),
    ]);
    expect(d.stage).toBe('qualification');
  });

  it('nurture sends its cadence: an email per firing, each its own step, four at most, then the window', () => {
    const d = driveTo(new JourneyDriver({ scenario: { score: 55 } }), 'qualification').settle();
    d.act('NURTURE', people.rep);
    const steps: string[] = [];
    for (const round of ['nurture#1:touch', 'nurture#1:touch#R2', 'nurture#1:touch#R3', 'nurture#1:touch#R4']) {
      const fired = d.fireTimer(round);
      expect(fired).toEqual([expect.objectContaining({ type: 'runActivity', params: expect.objectContaining({ activity: 'sendNurtureEmail' }) })]);
      steps.push((fired[0]!.params as { step: string }).step);
      const next = d.complete();
      expect(d.stage).toBe('nurture');
      expect(d.status).toBe('waiting');
      const again = next.filter((a) => a.type === 'startTimer');
      // Each repeat counts from the firing before it; none after the fourth.
      expect(again).toEqual(
        round.endsWith('#R4')
          ? []
          : [{ type: 'startTimer', params: { timer: expect.stringMatching(/^nurture#1:touch#R\d$/), delay: 'P14D', anchor: expect.any(String) } }],
      );
    }
    expect(new Set(steps).size).toBe(4);
    expect(steps[0]).toBe('nurture#1:sendNurtureEmail#touch');
    expect(steps[3]).toBe('nurture#1:sendNurtureEmail#touch#R4');
    expect([...d.timers.keys()]).toEqual(['nurture#1:window']);
    d.fireTimer('nurture#1:window');
    expect(d.stage).toBe('disqualified');
  });

  it('the nurture window closing disqualifies the lead', () => {
    const d = driveTo(new JourneyDriver({ scenario: { score: 55 } }), 'qualification').settle();
    d.act('NURTURE', people.rep);
    d.fireTimer('nurture#1:window');
    expect(d.stage).toBe('disqualified');
  });
});

describe('quoting', () => {
  it('loops through a rejected approval and a revision, each a new quote version', () => {
    const d = driveTo(new JourneyDriver(), 'opportunity').settle();
    d.act('PROPOSE', people.rep, linesWithDiscount(20));
    d.settle();
    expect(d.stage).toBe('quoting');
    expect(d.status).toBe('awaiting_confirmation');
    d.act('REJECT', people.manager, undefined, 'too generous');
    expect(d.stage).toBe('opportunity');
    d.settle().act('PROPOSE', people.rep, linesWithDiscount(10));
    d.settle();
    expect(d.stage).toBe('quote_sent');
    d.settle().act('REVISE', people.rep, linesWithDiscount(25));
    d.settle();
    expect(d.stage).toBe('quoting');
    d.act('CONFIRM', people.manager);
    expect(d.stage).toBe('quote_sent');
    expect(runs(d).filter((s) => s.includes('priceQuote'))).toEqual(['quoting#1:priceQuote', 'quoting#2:priceQuote', 'quoting#3:priceQuote']);
    expect(runs(d)).toContain('opportunity#2:createFollowUpTask');
    expect(d.snapshot.context.results.priceQuote?.version).toBe(3);
    const quoting = d.snapshot.context.confirmations.filter((c) => c.stage === 'quoting');
    expect(quoting.map((c) => [c.decision, c.actor.id, c.auto])).toEqual([
      ['reject', 'mgr-1', false],
      ['approve', 'system', true],
      ['approve', 'mgr-1', false],
    ]);
  });

  it('a discount over the limit needs a sales manager other than the author', () => {
    const d = driveTo(new JourneyDriver(), 'opportunity').settle();
    d.act('PROPOSE', people.manager, linesWithDiscount(30));
    d.settle();
    expect(describeJourney(defaultProcess, d.snapshot).pendingCheckpoint).toMatchObject({ role: 'sales_manager', approveEvent: 'CONFIRM' });
    const before = d.snapshot;
    expect(d.act('CONFIRM', people.manager)).toEqual([]);
    expect(d.snapshot).toBe(before);
    expect(d.act('CONFIRM', people.rep)).toEqual([]);
    expect(d.snapshot).toBe(before);
    // Role checks see only the role: a sales manager may confirm; segregation is checked per person.
    expect(allowedEvents(d.machine, d.snapshot, 'sales_manager')).toContain('CONFIRM');
    expect(allowedEvents(d.machine, d.snapshot, 'sales_rep')).not.toContain('CONFIRM');
    d.act('CONFIRM', people.otherManager);
    expect(d.stage).toBe('quote_sent');
  });

  it('segregation of duties applies to admins too', () => {
    const d = driveTo(new JourneyDriver(), 'opportunity').settle();
    d.act('PROPOSE', people.admin, linesWithDiscount(40));
    d.settle();
    const before = d.snapshot;
    d.act('CONFIRM', people.admin);
    expect(d.snapshot).toBe(before);
    d.act('CONFIRM', { id: 'adm-2', roles: ['admin'] } as never);
    expect(d.stage).toBe('quote_sent');
  });

  it('an expired quote goes back to opportunity, marked expired until the next version', () => {
    const d = driveTo(new JourneyDriver(), 'quote_sent');
    const start = d.effects.find((a) => a.type === 'startTimer' && a.params.timer === 'quote_sent#1:expiry');
    expect(start?.params).toMatchObject({ delay: defaultProcess.policies.quoteValidity });
    d.settle();
    expect(d.status).toBe('waiting');
    d.fireTimer('quote_sent#1:expiry');
    expect(d.stage).toBe('opportunity');
    expect(d.snapshot.context.marks['quote.expiredAt']).toEqual(expect.any(String));
    d.settle().act('PROPOSE', people.rep, linesWithDiscount(0));
    d.settle();
    expect(d.snapshot.context.marks['quote.expiredAt']).toBeUndefined();
  });

  it('DECLINE from quote_sent loses the deal', () => {
    const d = driveTo(new JourneyDriver(), 'quote_sent').settle();
    d.act('DECLINE', people.rep);
    expect(d.stage).toBe('lost');
  });
});

describe('fulfilment', () => {
  it('short stock raises a purchase order and waits for RESTOCKED, then reserves again', () => {
    const d = driveTo(new JourneyDriver({ scenario: { shortReservations: 1 } }), 'fulfilment').settle();
    expect(runs(d).slice(-2)).toEqual(['fulfilment#1:reserveStock', 'fulfilment#1:raisePurchaseOrder']);
    expect(d.status).toBe('waiting');
    expect(d.act('PICKED', people.warehouse)).toEqual([]);
    expect(allowedEvents(d.machine, d.snapshot, 'warehouse')).toEqual(['RESTOCKED']);
    expect(steps(d.act('RESTOCKED', people.warehouse))).toEqual(['fulfilment#1:reserveStock#1']);
    d.settle();
    expect(d.status).toBe('awaiting_confirmation');
    expect(allowedEvents(d.machine, d.snapshot, 'warehouse')).toEqual(['PICKED']);
  });

  it('needs PICKED, PACKED, SHIPPED in that order, and emails the shipment', () => {
    const d = driveTo(new JourneyDriver(), 'fulfilment').settle();
    const shipped = { carrier: 'UPS', trackingNumber: '1Z999' };
    expect(d.act('SHIPPED', people.warehouse, shipped)).toEqual([]);
    expect(d.act('PACKED', people.warehouse)).toEqual([]);
    d.act('PICKED', people.warehouse);
    expect(d.act('PICKED', people.warehouse)).toEqual([]);
    d.act('PACKED', people.warehouse);
    expect(d.act('SHIPPED', people.warehouse, { carrier: 'UPS' })).toEqual([]);
    expect(steps(d.act('SHIPPED', people.warehouse, shipped))).toEqual(['fulfilment#1:notifyShipment#1']);
    expect(d.awaited?.input).toEqual({ orderId: 'order-1', ...shipped });
    d.complete();
    expect(d.stage).toBe('invoicing');
  });
});

describe('payments and dunning', () => {
  const pay = (d: JourneyDriver, amount: string, reference: string) => d.act('PAYMENT_RECEIVED', people.finance, { amount, currency: 'EUR', reference });

  it('a zero-value invoice is settled at once: no awaiting_payment, no dunning timer', () => {
    const d = driveTo(new JourneyDriver({ scenario: { invoiceCents: 0 } }), 'invoicing').settle();
    expect(d.stage).toBe('closed');
    const stages = d.effects.flatMap((e) => (e.type === 'startTimer' ? [e.params.timer] : []));
    expect(stages.filter((timer) => timer.startsWith('awaiting_payment'))).toEqual([]);
    expect(d.snapshot.context.visits.awaiting_payment).toBeUndefined();
  });

  it('an over-payment beyond the tolerance waits for finance; within it the journey goes on', () => {
    const d = driveTo(new JourneyDriver(), 'awaiting_payment');
    pay(d, '1200.00', 'BANK-OVER');
    d.settle();
    expect([d.stage, d.status]).toEqual(['overpayment_review', 'awaiting_confirmation']);
    expect(allowedEvents(d.machine, d.snapshot, 'sales_rep')).toEqual([]);
    d.act('CONFIRM', people.finance);
    expect(d.settle().stage).toBe('closed');

    const within = driveTo(new JourneyDriver(), 'awaiting_payment');
    pay(within, '1003.00', 'BANK-ROUNDING');
    expect(within.settle().stage).toBe('closed');
  });

  it('a partial payment stays; the rest pays in full and stops dunning', () => {
    const d = driveTo(new JourneyDriver(), 'awaiting_payment');
    pay(d, '400.00', 'BANK-1');
    d.settle();
    expect(d.stage).toBe('awaiting_payment');
    expect(d.status).toBe('waiting');
    expect(describeJourney(defaultProcess, d.snapshot).amount).toEqual({ amount: '600.00', currency: 'EUR' });
    expect(steps(pay(d, '600.00', 'BANK-2'))).toEqual(['awaiting_payment#1:applyPayment#2']);
    const actions = d.complete();
    expect(actions[0]).toEqual({ type: 'cancelTimer', params: { timer: 'awaiting_payment#1:dunning#L1' } });
    expect(d.stage).toBe('paid');
    d.settle();
    expect(d.stage).toBe('closed');
    expect(d.snapshot.context.payments.map((p) => p.paidInFull)).toEqual([false, true]);
  });

  it('dunning levels fire in order from the due date, then collections, then write-off', () => {
    const d = driveTo(new JourneyDriver(), 'awaiting_payment');
    const dueDate = d.snapshot.context.results.issueInvoice?.dueDate;
    expect(d.timers.get('awaiting_payment#1:dunning#L1')).toEqual({ timer: 'awaiting_payment#1:dunning#L1', delay: 'P7D', anchor: dueDate });
    const notices: unknown[] = [];
    for (const [level, delay] of [
      [1, 'P21D'],
      [2, 'P35D'],
    ] as const) {
      d.fireTimer(`awaiting_payment#1:dunning#L${level}`);
      notices.push(d.awaited?.input);
      expect(d.awaited?.step).toBe(`awaiting_payment#1:sendDunningNotice#L${level}`);
      expect(d.complete()).toEqual([{ type: 'startTimer', params: { timer: `awaiting_payment#1:dunning#L${level + 1}`, delay, anchor: dueDate } }]);
      expect(d.stage).toBe('awaiting_payment');
    }
    d.fireTimer('awaiting_payment#1:dunning#L3');
    notices.push(d.awaited?.input);
    d.complete();
    expect(notices).toEqual(defaultProcess.policies.dunning.map((l) => ({ invoiceId: 'inv-1', level: l.level, fee: l.fee, template: l.template })));
    expect(d.stage).toBe('collections');
    expect(d.status).toBe('awaiting_confirmation');
    expect(allowedEvents(d.machine, d.snapshot, 'finance').sort()).toEqual(['PAYMENT_RECEIVED', 'WRITE_OFF']);
    expect(d.act('WRITE_OFF', people.rep)).toEqual([]);
    d.act('WRITE_OFF', people.finance, undefined, 'insolvent');
    // The undos run before the journey leaves: the invoice is written off, the rest put back.
    expect(d.awaited).toMatchObject({ activity: 'writeOffInvoice', step: 'collections#1:writeOffInvoice#1', input: { invoiceId: 'inv-1' } });
    d.settle();
    expect(d.stage).toBe('written_off');
    expect(d.snapshot.context.amountDue).toEqual({ amount: '0.00', currency: 'EUR' });
  });

  it('a payment in collections still pays the journey', () => {
    const d = driveTo(new JourneyDriver(), 'awaiting_payment');
    for (const level of [1, 2, 3]) {
      d.fireTimer(`awaiting_payment#1:dunning#L${level}`);
      d.settle();
    }
    expect(d.stage).toBe('collections');
    expect(steps(pay(d, '1000.00', 'BANK-9'))).toEqual(['collections#1:applyPayment#1']);
    d.settle();
    expect(d.stage).toBe('closed');
  });
});

describe('cancel', () => {
  const cancellable = ['lead', 'qualification', 'opportunity', 'quoting', 'quote_sent', 'ordering', 'fulfilment'];

  // Scenarios that keep the auto-confirming stages waiting for a person.
  const scenario = { lead: { duplicateOf: 'lead-0' }, qualification: { score: 50 } } as Record<string, object>;
  const waitingIn = (stage: string) => {
    if (stage !== 'quoting') return driveTo(new JourneyDriver({ scenario: scenario[stage] ?? {} }), stage).settleHere();
    const d = driveTo(new JourneyDriver(), 'opportunity').settleHere();
    d.act('PROPOSE', people.rep, linesWithDiscount(30));
    return d.settleHere();
  };

  it.each(cancellable)('%s can be cancelled by a sales manager or ops, not by a rep', (stage) => {
    const d = waitingIn(stage);
    expect([d.stage, d.status]).toEqual([stage, expect.stringMatching(/^(awaiting_confirmation|waiting)$/)]);
    expect(d.act('CANCEL', people.rep)).toEqual([]);
    const byOps = waitingIn(stage);
    byOps.act('CANCEL', people.ops);
    expect(byOps.settle().stage).toBe('cancelled');
    const before = d.effects.length;
    d.act('CANCEL', people.manager);
    expect(d.settle().stage).toBe('cancelled');
    // Once an order exists, its undos run newest first, once each; before that, none.
    const undos = d.effects.slice(before).flatMap((e) => (e.type === 'runActivity' ? [e.params.activity] : []));
    const hasOrder = stage === 'ordering' || stage === 'fulfilment';
    expect(undos).toEqual(hasOrder ? ['closePurchaseOrders', 'releaseReservation', 'cancelOrder'] : []);
  });

  it('cancels a stage while its activity runs; the late result is ignored', () => {
    const d = new JourneyDriver();
    const running = d.awaited;
    d.act('CANCEL', people.manager);
    expect(d.stage).toBe('cancelled');
    const before = d.snapshot;
    const [late] = [{ type: 'ACTIVITY_DONE', at: d.now(), step: running?.step ?? '', activity: 'captureLead', result: {} } as const];
    expect(d.send(late)).toEqual([]);
    expect(d.snapshot).toBe(before);
  });

  it('nurture cancels and its timer is cancelled with it', () => {
    const d = driveTo(new JourneyDriver({ scenario: { score: 50 } }), 'qualification').settle();
    d.act('NURTURE', people.rep);
    expect(d.act('CANCEL', people.ops)).toEqual([
      { type: 'cancelTimer', params: { timer: 'nurture#1:touch' } },
      { type: 'cancelTimer', params: { timer: 'nurture#1:window' } },
    ]);
  });

  it('cannot cancel once shipped', () => {
    const d = driveTo(new JourneyDriver(), 'fulfilment').settle();
    d.act('PICKED', people.warehouse);
    d.act('PACKED', people.warehouse);
    d.act('SHIPPED', people.warehouse, { carrier: 'DHL', trackingNumber: 'X1' });
    expect(d.act('CANCEL', people.manager)).toEqual([]);
    d.complete();
    expect(d.stage).toBe('invoicing');
    expect(allowedEvents(d.machine, d.snapshot)).not.toContain('CANCEL');
  });
});
