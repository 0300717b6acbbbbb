// The publish review's plain-words changes and JSON line differences between two definitions.
import { describe, expect, it } from 'vitest';
import { defaultProcess } from '../../../machines/index';
import { describeChanges, inOrderOf } from '../../../web/src/definitionDiff';
import type { DefinitionParts } from '../../../web/src/definitionParts';
import { lineDiff } from '../../../web/src/lineDiff';

const base = (): DefinitionParts => structuredClone(defaultProcess) as unknown as DefinitionParts;

describe('describeChanges', () => {
  it('finds nothing between a definition and its copy', () => {
    expect(describeChanges(base(), base())).toEqual([]);
  });

  it('ignores the order of keys (stored definitions come back in storage order)', () => {
    const reordered = JSON.parse(
      JSON.stringify(base(), (_key, value: unknown) =>
        value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
      ),
    ) as DefinitionParts;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(base())[0]);
    expect(describeChanges(reordered, base())).toEqual([]);
  });

  it("names a checkpoint's SLA change with the stage and both durations", () => {
    const after = base();
    after.stages!.quoting!.checkpoint!.sla = 'P3D';
    expect(describeChanges(base(), after)).toEqual([{ where: 'Quoting', what: 'checkpoint SLA: 1 day → 3 days' }]);
  });

  it('names policy changes: discount limit, payment terms, a dunning fee', () => {
    const after = base();
    after.policies!.discountApprovalLimitPct = 20;
    after.policies!.paymentTerms = 'P45D';
    after.policies!.dunning![1]!.fee = { amount: '25.00', currency: 'EUR' };
    const changes = describeChanges(base(), after);
    expect(changes).toContainEqual({ where: 'Policies', what: 'Discount limit: 15% → 20%' });
    expect(changes).toContainEqual({ where: 'Policies', what: expect.stringMatching(/^Payment terms: \d+ days → 45 days$/) });
    expect(changes).toContainEqual({ where: 'Policies', what: expect.stringMatching(/^Dunning level 2: .*fee 15\.00 EUR.* → .*fee 25\.00 EUR/) });
    expect(changes.every((c) => c.where === 'Policies')).toBe(true);
  });

  it('names roles, targets, added and removed events and stages', () => {
    const after = base();
    after.stages!.ordering!.checkpoint!.role = 'sales_manager';
    after.stages!.opportunity!.on!.PROPOSE!.target = 'lost';
    delete after.stages!.quote_sent!.on!.DECLINE;
    after.stages!.review = { checkpoint: { role: 'ops', approve: 'CONFIRM' }, on: { CONFIRM: { target: 'closed' } } };
    delete after.stages!.nurture;
    const changes = describeChanges(base(), after).map((c) => `${c.where}: ${c.what}`);
    expect(changes).toEqual(
      expect.arrayContaining([
        'Ordering: checkpoint role: Sales rep → Sales manager',
        'Opportunity: Propose leads to: Quoting → Lost',
        'Quote sent: event Decline removed',
        'Review: stage added: Ops confirms, a person confirms',
        'Nurture: stage removed',
      ]),
    );
  });

  it('says so when the key has no current version', () => {
    expect(describeChanges(null, base())).toEqual([{ where: 'Process', what: 'first version of lead-to-cash' }]);
  });
});

describe('lineDiff', () => {
  it('shows changed lines with context and elides the rest', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h'].join('\n');
    expect(lineDiff(before, after, 1)).toEqual([
      { kind: 'gap', text: '…' },
      { kind: 'same', text: 'd' },
      { kind: 'removed', text: 'e' },
      { kind: 'added', text: 'E' },
      { kind: 'same', text: 'f' },
      { kind: 'gap', text: '…' },
    ]);
  });

  it('shows no differences for the same definition in another key order', () => {
    const stored = { b: 1, a: { d: [{ f: 1, e: 2 }], c: 3 } };
    const draft = { a: { c: 3, d: [{ e: 2, f: 1 }] }, b: 1 };
    expect(JSON.stringify(inOrderOf(stored, draft))).toBe(JSON.stringify(draft));
    expect(lineDiff(JSON.stringify(inOrderOf(stored, draft), null, 2), JSON.stringify(draft, null, 2))).toEqual([]);
  });

  it('is empty for equal texts', () => {
    expect(lineDiff('x\ny', 'x\ny')).toEqual([]);
  });
});
