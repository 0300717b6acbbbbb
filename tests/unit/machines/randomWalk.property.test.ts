// Random event sequences against the default process: the machine never throws, never leaves
// its stages, keeps its invariants, and every snapshot survives JSON persistence and restore.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { allowedEvents, defaultProcess, journeyStatuses, vocabularyEventTypes, type JourneyEvent } from '../../../machines/index';
import { JourneyDriver, people, type Action, type Person } from './driver';

const stages = new Set([...Object.keys(defaultProcess.stages), ...defaultProcess.final]);
const internalEvents = ['ACTIVITY_DONE', 'ACTIVITY_FAILED', 'TIMER_FIRED'];

const person = fc.constantFrom<Person>(...Object.values(people));
const payloads = {
  PROPOSE: fc.record({
    lines: fc.array(
      fc.record({ sku: fc.constantFrom('SKU-1', 'SKU-2'), quantity: fc.integer({ min: 1, max: 5 }), discountPct: fc.integer({ min: 0, max: 40 }) }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  SHIPPED: fc.record({ carrier: fc.constantFrom('DHL', 'UPS'), trackingNumber: fc.string({ minLength: 1, maxLength: 8 }) }),
  // 1200.00 over-pays the 1000.00 invoice beyond the tolerance (overpayment_review).
  PAYMENT_RECEIVED: fc.record({
    amount: fc.constantFrom('100.00', '600.00', '1200.00'),
    currency: fc.constant('EUR'),
    reference: fc.constantFrom('B-1', 'B-2'),
  }),
};
const payload = fc.record({ valid: fc.boolean(), propose: payloads.PROPOSE, shipped: payloads.SHIPPED, payment: payloads.PAYMENT_RECEIVED });

const command = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('complete' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail' as const), message: fc.string({ maxLength: 10 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('timer' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('staleTimer' as const), id: fc.string({ maxLength: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('staleDone' as const), pick: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('allowed' as const), pick: fc.nat(), person, payload }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('any' as const), type: fc.constantFrom(...vocabularyEventTypes), person, payload }) },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

function dataFor(type: string, p: { valid: boolean; propose: unknown; shipped: unknown; payment: unknown }): unknown {
  if (!p.valid) return type === 'SHIPPED' ? { carrier: 'DHL' } : undefined;
  if (type === 'PROPOSE' || type === 'REVISE') return p.propose;
  if (type === 'SHIPPED') return p.shipped;
  if (type === 'PAYMENT_RECEIVED') return p.payment;
  // The proposal's products, without discounts (an added line takes the list price).
  if (type === 'ADD_LINES')
    return { lines: (p.propose as { lines: { sku: string; quantity: number }[] }).lines.map(({ sku, quantity }) => ({ sku, quantity })) };
  return undefined;
}

/** The event a command means in the driver's current state, or null when it means nothing now. */
function eventFor(d: JourneyDriver, c: Command): JourneyEvent | null {
  const at = d.now();
  const run = d.awaited;
  const started = d.effects.flatMap((e) => (e.type === 'startTimer' ? [e.params.timer] : []));
  const steps = d.effects.flatMap((e) => (e.type === 'runActivity' ? [e.params] : []));
  switch (c.kind) {
    case 'complete':
      return run && { type: 'ACTIVITY_DONE', at, step: run.step, activity: run.activity, result: d.plausibleResult(run) };
    case 'fail':
      return run && { type: 'ACTIVITY_FAILED', at, step: run.step, activity: run.activity, error: { message: c.message } };
    case 'timer': {
      const running = [...d.timers.keys()];
      const pool = running.length > 0 ? running : started;
      const timer = pool[c.pick % Math.max(1, pool.length)];
      return timer === undefined ? null : { type: 'TIMER_FIRED', at, timer };
    }
    case 'staleTimer':
      return { type: 'TIMER_FIRED', at, timer: c.id };
    case 'staleDone': {
      const old = steps[c.pick % Math.max(1, steps.length)];
      return old ? { type: 'ACTIVITY_DONE', at, step: old.step, activity: old.activity, result: d.plausibleResult(old) } : null;
    }
    case 'any': {
      const data = dataFor(c.type, c.payload);
      const actor = { id: c.person.id, roles: [...c.person.roles] };
      return { type: c.type, at, actor, ...(data === undefined ? {} : { data }) } as JourneyEvent;
    }
    case 'allowed': {
      // Something that moves the journey, by someone whose role may send it; CANCEL would end
      // most walks early, so only the 'any' command sends it.
      const options = allowedEvents(d.machine, d.snapshot).filter((t) => t !== 'CANCEL');
      const type = options[c.pick % Math.max(1, options.length)];
      if (type === undefined) return null;
      const senders = Object.values(people).filter((p) => allowedEvents(d.machine, d.snapshot, p.roles[0]).includes(type));
      const sender = senders[c.pick % Math.max(1, senders.length)] ?? c.person;
      const data = dataFor(type, c.payload);
      const actor = { id: sender.id, roles: [...sender.roles] };
      return { type, at, actor, ...(data === undefined ? {} : { data }) } as JourneyEvent;
    }
  }
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const effectsOf = (actions: readonly { type: string; params?: unknown }[]) =>
  actions.filter((a) => a.type === 'runActivity' || a.type === 'startTimer' || a.type === 'cancelTimer').map((a) => ({ type: a.type, params: a.params }));

describe('random event sequences', () => {
  it('keep the machine in its stages, consistent, and persistable', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 100, size: 'max' }), (commands) => {
        const d = new JourneyDriver();
        const seenSteps = new Set<string>();
        const noteSteps = (actions: readonly Action[], retried: boolean) => {
          for (const a of actions) {
            if (a.type !== 'runActivity') continue;
            // A step names one execution need: only a RETRY emits a step again.
            if (!retried) expect(seenSteps.has(a.params.step), a.params.step).toBe(false);
            seenSteps.add(a.params.step);
          }
        };
        noteSteps(d.effects, false);
        for (const c of commands) {
          const event = eventFor(d, c);
          if (!event) continue;
          const before = d.snapshot;
          const restored = d.machine.resolveState(plain(before) as Parameters<typeof d.machine.resolveState>[0]);
          expect(plain(restored)).toEqual(plain(before));

          const actions = d.send(event);
          const [fromRestored, restoredActions] = transition(d.machine, restored, event);
          expect(plain(fromRestored)).toEqual(plain(d.snapshot));
          expect(effectsOf(restoredActions)).toEqual(plain(actions));

          const { context } = d.snapshot;
          expect(stages.has(d.stage)).toBe(true);
          expect(context.stage).toBe(d.stage);
          expect(journeyStatuses).toContain(context.status);
          expect(context.status === 'done').toBe(defaultProcess.final.includes(d.stage));
          expect(d.snapshot.status === 'done').toBe(defaultProcess.final.includes(d.stage));
          if (context.status === 'running') expect(seenSteps.has(context.run?.step ?? '') || actions.some((a) => a.type === 'runActivity')).toBe(true);
          expect(context.status === 'parked').toBe(context.parked !== null);
          noteSteps(actions, event.type === 'RETRY');

          const accepted = d.snapshot !== before;
          if (!accepted) expect(actions).toEqual([]);
          if ('actor' in event) {
            const role = event.actor.roles[0] ?? '';
            const allowed = allowedEvents(d.machine, before, role);
            for (const internal of internalEvents) expect(allowed).not.toContain(internal);
            // Accepted implies allowed for the role; allowed with a valid payload implies accepted,
            // unless segregation of duties refuses the person.
            if (accepted) expect(allowed).toContain(event.type);
            const author = before.context.results.priceQuote?.author ?? before.context.proposal?.author;
            const segregated = before.context.stage === 'quoting' && event.type === 'CONFIRM' && event.actor.id === author;
            const validPayload = !('payload' in c) || c.payload.valid;
            if (allowed.includes(event.type) && validPayload && !segregated) expect(accepted).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('reach every stage of the default process', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.array(command, { minLength: 60, maxLength: 160, size: 'max' }), (commands) => {
        const d = new JourneyDriver();
        for (const c of commands) {
          const event = eventFor(d, c);
          if (event) d.send(event);
          reached.add(d.stage);
        }
      }),
      { numRuns: 300, seed: 42 },
    );
    // The properties above are only meaningful if such walks explore the whole process.
    expect([...stages].filter((s) => !reached.has(s))).toEqual([]);
  }, 60_000);
});
