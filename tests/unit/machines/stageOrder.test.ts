// Stage order comes from the definition: as its stages are listed, final stages after them.
import { describe, expect, it } from 'vitest';
import { defaultProcess } from '../../../machines/index';
import { stageOrder } from '../../../machines/stageOrder';

describe('stageOrder', () => {
  it('puts the default process in journey order, final stages last', () => {
    const order = stageOrder(defaultProcess);
    // DESIGN.md section 3: the happy path in order.
    const happy = ['lead', 'qualification', 'opportunity', 'quoting', 'quote_sent', 'ordering', 'fulfilment', 'invoicing', 'awaiting_payment', 'paid'];
    expect(happy.map((s) => order.indexOf(s))).toEqual([...happy.map((s) => order.indexOf(s))].sort((a, b) => a - b));
    expect(order.slice(-defaultProcess.final.length)).toEqual(defaultProcess.final);
    expect(new Set(order).size).toBe(order.length);
  });

  it('follows a definition that lists its stages otherwise, and lists a final stage once', () => {
    const def = { stages: { intake: {}, review: {}, done: {} }, final: ['done', 'dropped'] } as never;
    expect(stageOrder(def)).toEqual(['intake', 'review', 'done', 'dropped']);
  });
});
