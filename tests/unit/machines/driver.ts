// A pure test driver for a compiled journey machine: it plays the workflow's part with xstate's
// initialTransition()/transition() only, answering runActivity with ACTIVITY_DONE and a plausible
// catalogue result, and keeping the timers the machine started so a test can fire them.
import { initialTransition, transition } from 'xstate';
import {
  compileProcess,
  defaultProcess,
  type ActivityInput,
  type ActivityName,
  type ActivityResult,
  type JourneyEffect,
  type JourneyEvent,
  type LeadInput,
  type ProcessDefinition,
  type RunActivityParams,
} from '../../../machines/index';

type Machine = ReturnType<typeof compileProcess>;
export type Snapshot = ReturnType<typeof initialTransition<Machine>>[0];

export const people = {
  rep: { id: 'rep-1', roles: ['sales_rep'] },
  otherRep: { id: 'rep-2', roles: ['sales_rep'] },
  manager: { id: 'mgr-1', roles: ['sales_manager'] },
  otherManager: { id: 'mgr-2', roles: ['sales_manager'] },
  admin: { id: 'adm-1', roles: ['admin'] },
  ops: { id: 'ops-1', roles: ['ops'] },
  warehouse: { id: 'wh-1', roles: ['warehouse'] },
  finance: { id: 'fin-1', roles: ['finance'] },
  viewer: { id: 'view-1', roles: ['viewer'] },
} as const;
export type Person = (typeof people)[keyof typeof people];

export const lead: LeadInput = { source: 'web_form', name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical Ltd', country: 'GB' };

/** Knobs for the plausible results the driver answers with. */
export interface Scenario {
  duplicateOf: string | null;
  score: number;
  /** How many reserveStock calls come back short before stock is reserved. */
  shortReservations: number;
  invoiceCents: number;
}

const defaultScenario: Scenario = { duplicateOf: null, score: 85, shortReservations: 0, invoiceCents: 100_000 };

const eur = (cents: number) => ({ amount: (cents / 100).toFixed(2), currency: 'EUR' });
const cents = (amount: string) => Math.round(Number(amount) * 100);

export type Action = JourneyEffect;

export class JourneyDriver {
  readonly machine: Machine;
  snapshot: Snapshot;
  /** Every effect the machine asked for, in order. */
  readonly effects: Action[] = [];
  /** Effects of the latest send(). */
  last: Action[] = [];
  readonly timers = new Map<string, { delay: string; anchor?: string }>();
  readonly cancelled: string[] = [];
  private pending: RunActivityParams | null = null;
  private readonly scenario: Scenario;
  private tick = 0;
  private calls: Partial<Record<ActivityName, number>> = {};
  private paidCents = 0;

  constructor(options: { def?: ProcessDefinition; scenario?: Partial<Scenario> } = {}) {
    this.machine = compileProcess(options.def ?? defaultProcess);
    this.scenario = { ...defaultScenario, ...options.scenario };
    const [snapshot, actions] = initialTransition(this.machine, { journeyId: 'journey-1', lead, at: this.now() });
    this.snapshot = snapshot;
    this.record(actions);
  }

  get stage(): string {
    return String(this.snapshot.value);
  }

  get status(): string {
    return this.snapshot.context.status;
  }

  /** The activity the machine waits for now, if any. */
  get awaited(): RunActivityParams | null {
    return this.pending;
  }

  now(): string {
    this.tick += 1;
    return new Date(Date.UTC(2025, 0, 1) + this.tick * 60_000).toISOString();
  }

  send(event: JourneyEvent): Action[] {
    const [next, actions] = transition(this.machine, this.snapshot, event);
    this.snapshot = next;
    this.record(actions);
    return this.last;
  }

  act(type: string, actor: Person, data?: unknown, note?: string): Action[] {
    const event = {
      type,
      at: this.now(),
      actor: { id: actor.id, roles: [...actor.roles] },
      ...(data === undefined ? {} : { data }),
      ...(note === undefined ? {} : { note }),
    };
    return this.send(event as JourneyEvent);
  }

  /** Answers awaited activities with plausible results until none is awaited (or `until` runs next). */
  settle(until?: ActivityName): this {
    for (let guard = 0; this.pending && this.pending.activity !== until; guard++) {
      if (guard > 50) throw new Error('activities never settle');
      this.complete();
    }
    return this;
  }

  /** Like settle(), but stops when the journey leaves its current stage. */
  settleHere(): this {
    const stage = this.stage;
    while (this.pending && this.stage === stage) this.complete();
    return this;
  }

  complete(result?: unknown): Action[] {
    const run = this.pending;
    if (!run) throw new Error(`no activity awaited in ${this.stage} (${this.status})`);
    return this.send({ type: 'ACTIVITY_DONE', at: this.now(), step: run.step, activity: run.activity, result: result ?? this.plausibleResult(run) });
  }

  fail(message = 'boom', type?: string): Action[] {
    const run = this.pending;
    if (!run) throw new Error('no activity awaited');
    const error = type === undefined ? { message } : { message, type };
    return this.send({ type: 'ACTIVITY_FAILED', at: this.now(), step: run.step, activity: run.activity, error });
  }

  fireTimer(timer: string): Action[] {
    this.timers.delete(timer);
    return this.send({ type: 'TIMER_FIRED', at: this.now(), timer });
  }

  /** The id of the one running timer whose id contains `part`. */
  timer(part: string): string {
    const ids = [...this.timers.keys()].filter((id) => id.includes(part));
    if (ids.length !== 1 || ids[0] === undefined) throw new Error(`expected one timer like ${part}, have ${[...this.timers.keys()].join(', ')}`);
    return ids[0];
  }

  private record(actions: readonly { type: string; params?: unknown }[]): void {
    this.last = actions
      .filter((a) => a.type === 'runActivity' || a.type === 'startTimer' || a.type === 'cancelTimer')
      .map((a) => ({ type: a.type, params: a.params }) as Action);
    this.effects.push(...this.last);
    for (const effect of this.last) {
      if (effect.type === 'runActivity') this.pending = effect.params;
      if (effect.type === 'startTimer') this.timers.set(effect.params.timer, effect.params);
      if (effect.type === 'cancelTimer') {
        this.timers.delete(effect.params.timer);
        this.cancelled.push(effect.params.timer);
      }
    }
    const run = this.snapshot.context.run;
    if (!run || this.snapshot.context.status !== 'running') this.pending = null;
  }

  /** A plausible catalogue result for `run`, consistent with earlier answers (payments add up). */
  plausibleResult(run: RunActivityParams): unknown {
    const n = (this.calls[run.activity] = (this.calls[run.activity] ?? 0) + 1);
    const invoice = this.scenario.invoiceCents;
    const results: { [A in ActivityName]: (input: ActivityInput<A>) => ActivityResult<A> } = {
      captureLead: () => ({
        leadId: 'lead-1',
        accountId: 'acct-1',
        contactId: 'contact-1',
        duplicateOf: this.scenario.duplicateOf,
        requiredFieldsPresent: true,
      }),
      enrichProfile: () => ({ companySize: 120, industry: 'software', country: 'GB' }),
      assignLead: () => ({ ownerId: 'rep-1', team: 'emea', rule: 'country:GB' }),
      sendAutoResponse: () => ({ emailId: `mail-auto-${n}` }),
      sendNurtureEmail: () => ({ emailId: `mail-nurture-${n}`, optedOut: false }),
      scoreLead: () => ({
        score: this.scenario.score,
        fit: 40,
        engagement: this.scenario.score - 40,
        grade: this.scenario.score >= 70 ? 'sql' : this.scenario.score >= 40 ? 'mql' : 'none',
      }),
      createFollowUpTask: () => ({ opportunityId: 'opp-1', taskId: `task-${n}` }),
      priceQuote: (input) => ({
        quoteId: `quote-${n}`,
        version: n,
        total: eur(100_000),
        maxDiscountPct: Math.max(0, ...input.lines.map((l) => l.discountPct ?? 0)),
        validUntil: '2025-02-01T00:00:00.000Z',
        author: input.author,
      }),
      sendQuote: () => ({ emailId: `mail-quote-${n}` }),
      createOrder: () => ({ orderId: 'order-1', number: 'SO-2025-0001', total: eur(invoice) }),
      checkCredit: () => ({ approved: true, exposure: eur(invoice), limit: null }),
      recommendAccessories: () => ({ suggestions: [{ sku: 'CABLE-1', reason: 'accessory', forSku: 'SKU-1' }] }),
      addOrderLines: (input) => ({ orderId: input.orderId, number: 'SO-2025-0001', total: eur(invoice), added: input.lines.length }),
      releaseCreditHold: () => ({ approved: true, exposure: eur(invoice), limit: eur(invoice) }),
      reserveStock: () =>
        n <= this.scenario.shortReservations ? { reserved: false, shortages: [{ sku: 'SKU-1', quantity: 2 }] } : { reserved: true, shortages: [] },
      raisePurchaseOrder: () => ({ purchaseOrderIds: [`po-${n}`] }),
      notifyShipment: () => ({ shipmentId: 'ship-1', emailId: `mail-ship-${n}` }),
      issueInvoice: () => ({ invoiceId: 'inv-1', number: 'INV-2025-0001', total: eur(invoice), dueDate: '2025-03-01T00:00:00.000Z', amountDue: eur(invoice) }),
      sendInvoice: () => ({ emailId: `mail-invoice-${n}` }),
      applyPayment: (input) => {
        this.paidCents += cents(input.payment.amount);
        const due = Math.max(0, invoice - this.paidCents);
        return { paymentId: `pay-${n}`, amountDue: eur(due), paidInFull: due === 0, credit: eur(Math.max(0, this.paidCents - invoice)) };
      },
      recordCredit: (input) => ({ paymentId: `pay-${n}`, credit: input.payment }),
      sendDunningNotice: () => ({ noticeId: `notice-${n}`, emailId: `mail-dunning-${n}`, amountDue: eur(invoice - this.paidCents) }),
      reconcile: () => ({ reconciled: true, paid: eur(this.paidCents), credit: eur(Math.max(0, this.paidCents - invoice)) }),
      cancelOrder: (input) => ({ orderId: input.orderId, status: 'cancelled' }),
      releaseReservation: () => ({ released: [] }),
      closePurchaseOrders: () => ({ closed: [] }),
      writeOffInvoice: (input) => ({ invoiceId: input.invoiceId, status: 'written_off', writtenOff: eur(Math.max(0, invoice - this.paidCents)) }),
    };
    const answer = results[run.activity] as (input: unknown) => unknown;
    return answer(run.input);
  }
}

/** Lines of a quote with the given discount on the first line. */
export const linesWithDiscount = (discountPct: number) => ({
  lines: [
    { sku: 'SKU-1', quantity: 2, discountPct },
    { sku: 'SKU-2', quantity: 1 },
  ],
});

/** What moves a journey one step along the happy path from each stage. */
const happyStep: Record<string, (d: JourneyDriver) => unknown> = {
  opportunity: (d) => d.act('PROPOSE', people.rep, linesWithDiscount(5)),
  quote_sent: (d) => d.act('ACCEPT', people.rep),
  ordering: (d) => d.act('CONFIRM', people.rep),
  fulfilment: (d) => {
    const { marks } = d.snapshot.context;
    if (!marks['shipment.pickedAt']) return d.act('PICKED', people.warehouse);
    if (!marks['shipment.packedAt']) return d.act('PACKED', people.warehouse);
    return d.act('SHIPPED', people.warehouse, { carrier: 'DHL', trackingNumber: 'JD014600003828' });
  },
  awaiting_payment: (d) => d.act('PAYMENT_RECEIVED', people.finance, { amount: '1000.00', currency: 'EUR', reference: 'BANK-1' }),
};

/** Drives the happy path until the journey is in `stage` (its entry activities maybe still running). */
export function driveTo(driver: JourneyDriver, stage: string): JourneyDriver {
  for (let guard = 0; driver.stage !== stage; guard++) {
    if (guard > 40) throw new Error(`driveTo(${stage}) is stuck in ${driver.stage} (${driver.status})`);
    const step = happyStep[driver.stage];
    if (driver.awaited) driver.complete();
    else if (step) step(driver);
    else throw new Error(`no happy step from ${driver.stage} (${driver.status})`);
  }
  return driver;
}
