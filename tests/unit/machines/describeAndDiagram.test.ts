// describeJourney (the summary the API and console show) and toMermaid (the ops diagram).
import { describe, expect, it } from 'vitest';
import { addDuration, defaultProcess, describeJourney, toMermaid, type ProcessDefinition } from '../../../machines/index';
import { driveTo, JourneyDriver, linesWithDiscount, people } from './driver';

describe('describeJourney', () => {
  it('describes a running journey at its start', () => {
    const d = new JourneyDriver();
    expect(describeJourney(defaultProcess, d.snapshot)).toEqual({
      stage: 'lead',
      status: 'running',
      final: false,
      pendingCheckpoint: null,
      parked: null,
      ownerId: null,
      amount: null,
      stageEnteredAt: d.snapshot.context.stageEnteredAt,
      // The lead's checkpoint SLA counts only once it waits.
      slaDueAt: null,
      hold: null,
    });
  });

  it('shows the pending checkpoint, owner and quote total, also from a persisted snapshot', () => {
    const d = driveTo(new JourneyDriver(), 'opportunity').settle();
    d.act('PROPOSE', people.rep, linesWithDiscount(30));
    d.settle();
    const since = d.snapshot.context.statusSince;
    const expected = {
      stage: 'quoting',
      status: 'awaiting_confirmation',
      final: false,
      pendingCheckpoint: { stage: 'quoting', role: 'sales_manager', approveEvent: 'CONFIRM', rejectEvent: 'REJECT', since },
      parked: null,
      ownerId: 'rep-1',
      amount: { amount: '1000.00', currency: 'EUR' },
      stageEnteredAt: d.snapshot.context.stageEnteredAt,
      // The checkpoint's SLA (P1D) counts from when it began to wait, not from stage entry.
      slaDueAt: addDuration(Date.parse(since), 'P1D').toISOString(),
      hold: null,
    };
    expect(describeJourney(defaultProcess, d.snapshot)).toEqual(expected);
    expect(describeJourney(defaultProcess, JSON.parse(JSON.stringify(d.snapshot)))).toEqual(expected);
    expect(since > d.snapshot.context.stageEnteredAt).toBe(true);
  });

  it('shows a waiting checkpoint, the amount due once invoiced, and final stages', () => {
    const d = driveTo(new JourneyDriver(), 'awaiting_payment');
    expect(describeJourney(defaultProcess, d.snapshot)).toMatchObject({
      status: 'waiting',
      pendingCheckpoint: { role: 'finance', approveEvent: 'PAYMENT_RECEIVED', rejectEvent: 'WRITE_OFF' },
      amount: { amount: '1000.00', currency: 'EUR' },
    });
    driveTo(d, 'closed');
    expect(describeJourney(defaultProcess, d.snapshot)).toMatchObject({
      stage: 'closed',
      status: 'done',
      final: true,
      pendingCheckpoint: null,
      amount: { amount: '0.00', currency: 'EUR' },
    });
  });
});

describe('toMermaid', () => {
  const diagram = toMermaid(defaultProcess);

  it('is a state diagram starting at the initial stage', () => {
    const lines = diagram.trim().split('\n');
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines[1]).toBe('  [*] --> lead');
  });

  it('draws every transition, timer and final stage of the definition', () => {
    for (const [stage, spec] of Object.entries(defaultProcess.stages)) {
      for (const [event, t] of Object.entries(spec.on)) {
        for (const target of [t.target, ...(t.then ?? []).map((b) => b.target)].filter(Boolean)) {
          expect(diagram).toMatch(new RegExp(`^  ${stage} --> ${target} : ${event}\\b`, 'm'));
        }
      }
    }
    expect(diagram).toMatch(/^ {2}quote_sent --> opportunity : after quoteValidity$/m);
    expect(diagram).toMatch(/^ {2}awaiting_payment --> collections : after dunning \/ sendDunningNotice$/m);
    expect(diagram).toMatch(/^ {2}awaiting_payment --> paid : PAYMENT_RECEIVED \/ applyPayment \[invoice.paidInFull eq true\]$/m);
    expect(diagram).toMatch(/^ {2}fulfilment --> fulfilment : PICKED \(warehouse\)$/m);
    for (const stage of defaultProcess.final) expect(diagram).toContain(`  ${stage} --> [*]`);
  });

  it('keeps labels free of characters that break mermaid', () => {
    const def: ProcessDefinition = structuredClone(defaultProcess);
    const lead = def.stages.lead;
    if (lead) lead.on.REJECT = { target: 'disqualified', description: 'x' };
    const edges = toMermaid(def)
      .split('\n')
      .filter((l) => l.includes('-->'));
    for (const line of edges) expect(line.split(' : ')[1] ?? '').not.toMatch(/[:;]/);
  });
});
