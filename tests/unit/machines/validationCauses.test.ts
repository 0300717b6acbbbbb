// Every error in one round, root causes first: knock-on graph errors name the broken reference they follow from.
import { describe, expect, it } from 'vitest';
import { edited, stageOf } from '../../helpers/definitions';
import { defaultProcess } from '../../../machines/index';
import { validateAllAtOnce } from '../../../machines/schema/validationCauses';

function errorsOf(def: unknown) {
  const result = validateAllAtOnce(def);
  if (result.ok) throw new Error('expected the definition to be invalid');
  return result.errors;
}

describe('validateAllAtOnce', () => {
  it('accepts the default process', () => {
    expect(validateAllAtOnce(defaultProcess).ok).toBe(true);
  });

  it('names one root for a typo in a target and groups the unreachable stages under it', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'opportunity').on.PROPOSE!.target = 'quotng';
      }),
    );
    const roots = errors.filter((e) => e.causedBy === undefined);
    expect(roots).toEqual([{ path: 'stages.opportunity.on.PROPOSE.target', message: 'unknown stage "quotng"' }]);
    const knockOns = errors.filter((e) => e.causedBy !== undefined);
    expect(knockOns.length).toBeGreaterThan(3);
    expect(knockOns.every((e) => e.causedBy === 'stages.opportunity.on.PROPOSE.target')).toBe(true);
    expect(knockOns.map((e) => e.path)).toEqual(expect.arrayContaining(['stages.quoting', 'stages.quote_sent', 'stages.ordering']));
    // Roots come first.
    expect(errors[0]?.causedBy).toBeUndefined();
  });

  it('explains knock-ons of a target that resembles no stage', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'opportunity').on.PROPOSE!.target = 'nowhere';
      }),
    );
    expect(errors.filter((e) => e.causedBy === undefined).map((e) => e.path)).toEqual(['stages.opportunity.on.PROPOSE.target']);
    expect(errors).toContainEqual({
      path: 'stages.quoting',
      message: expect.stringContaining('unreachable'),
      causedBy: 'stages.opportunity.on.PROPOSE.target',
    });
  });

  it('keeps an unrelated unreachable stage as a root of its own', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'opportunity').on.PROPOSE!.target = 'quotng';
        def.stages.limbo = { checkpoint: { role: 'ops', approve: 'CONFIRM' }, on: { CONFIRM: { target: 'closed' } } };
      }),
    );
    expect(errors).toContainEqual({ path: 'stages.limbo', message: 'stage "limbo" is unreachable from "lead"' });
  });

  it('traces every stage to a typo in the initial stage', () => {
    const errors = errorsOf(
      edited((def) => {
        def.initial = 'laed';
      }),
    );
    expect(errors.filter((e) => e.causedBy === undefined).map((e) => e.path)).toEqual(['initial']);
    expect(errors.filter((e) => e.causedBy === 'initial').map((e) => e.path)).toContain('stages.lead');
  });

  it('reports reference errors in the same round as schema errors', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'quoting').sla = '3 days';
        stageOf(def, 'opportunity').on.PROPOSE!.target = 'quotng';
      }),
    );
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['stages.quoting.sla', 'stages.opportunity.on.PROPOSE.target']));
    expect(errors.find((e) => e.path === 'stages.quoting' && e.message.includes('unreachable'))?.causedBy).toBe('stages.opportunity.on.PROPOSE.target');
  });

  it('gives the schema errors alone for something too broken to check further', () => {
    const errors = errorsOf({ key: 'X' });
    expect(errors.length).toBeGreaterThan(1);
    expect(errors.every((e) => e.causedBy === undefined)).toBe(true);
  });
});
