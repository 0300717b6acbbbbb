// The workflow checks payloads and activity inputs without zod; these checks must never let
// through what the schema layer refuses for a missing field, and never refuse what it accepts.
import { describe, expect, it } from 'vitest';
import { hasValidPayload, payloadOf, type PayloadEventType, type VocabularyEvent } from '../../../machines/events';
import { activityCatalogue, activityNames, eventPayloadSchemas } from '../../../machines/index';
import { activityNames as coreActivityNames } from '../../../machines/activityNames';
import { buildActivityInput } from '../../../machines/activityIO';
import { defaultProcess } from '../../../machines/defaultProcess';
import { driveTo, JourneyDriver } from './driver';

const actor = { id: 'u-1', roles: ['admin'] };
const event = (type: PayloadEventType, data: unknown) => ({ type, data, at: '2026-01-01T00:00:00.000Z', actor }) as VocabularyEvent;

const samples: [PayloadEventType, unknown][] = [
  ['PROPOSE', { lines: [{ sku: 'A-1', quantity: 2, discountPct: 5 }] }],
  ['PROPOSE', { lines: [{ sku: 'A-1', quantity: 2, extra: true }], note: 'kept out' }],
  ['PROPOSE', { lines: [] }],
  ['PROPOSE', { lines: [{ sku: 'A-1' }] }],
  ['PROPOSE', {}],
  ['REVISE', { lines: [{ sku: '', quantity: 1 }] }],
  ['ADD_LINES', { lines: [{ sku: 'B-2', quantity: 1, discountPct: 10 }] }],
  ['ADD_LINES', null],
  ['SHIPPED', { carrier: 'DHL', trackingNumber: '123' }],
  ['SHIPPED', { carrier: 'DHL' }],
  ['SHIPPED', { carrier: '', trackingNumber: '1' }],
  ['PAYMENT_RECEIVED', { amount: '100.00', currency: 'EUR', reference: 'INV-1', bank: 'x' }],
  ['PAYMENT_RECEIVED', { amount: '100', currency: 'eur', reference: 'INV-1' }],
  ['PAYMENT_RECEIVED', { amount: 100, currency: 'EUR', reference: 'INV-1' }],
  ['PAYMENT_RECEIVED', { amount: '1.00', currency: 'EUR', reference: 'x'.repeat(101) }],
  ['PAYMENT_RECEIVED', { amount: '1.00', currency: 'EUR' }],
];

describe('payload checks without zod', () => {
  it.each(samples)('%s %j: the plain check agrees with the schema', (type, data) => {
    expect(hasValidPayload(event(type, data))).toBe(eventPayloadSchemas[type].safeParse(data).success);
  });

  it.each(samples.filter(([type, data]) => eventPayloadSchemas[type].safeParse(data).success))(
    '%s %j: the payload kept is what the schema leaves',
    (type, data) => {
      expect(payloadOf(type, data)).toEqual(eventPayloadSchemas[type].parse(data));
    },
  );
});

describe('activity names', () => {
  it('the core lists exactly the catalogue, in its order', () => {
    expect(coreActivityNames).toEqual(Object.keys(activityCatalogue));
    expect(activityNames).toEqual(coreActivityNames);
  });
});

describe('activity inputs without zod', () => {
  it('every input built along a whole journey passes the catalogue schema', () => {
    const d = new JourneyDriver();
    const built: string[] = [];
    const context = () => d.snapshot.context;
    driveTo(d, 'closed');
    for (const activity of coreActivityNames) {
      const level = activity === 'sendDunningNotice' ? 1 : null;
      const input = buildActivityInput(activity, context(), defaultProcess, level);
      if (!input.ok) continue;
      built.push(activity);
      expect(activityCatalogue[activity].input.safeParse(input.input).success, activity).toBe(true);
    }
    expect(built).toEqual(expect.arrayContaining(['captureLead', 'priceQuote', 'issueInvoice', 'sendDunningNotice']));
  });

  it('an input lacking a record the schema needs is refused, naming the field', () => {
    const d = new JourneyDriver();
    const input = buildActivityInput('createOrder', d.snapshot.context, defaultProcess, null);
    expect(input).toMatchObject({ ok: false, error: { type: 'InvalidActivityInput' } });
    expect(input.ok ? '' : input.error.message).toContain('quoteId: missing');
  });
});
