// Validation errors grouped as a person fixes them: roots first, knock-ons under their root.
import { describe, expect, it } from 'vitest';
import { groupIssues } from '../../../web/src/groupIssues';
import { describeDuration, formatDuration, parseDuration } from '../../../web/src/durationParts';

describe('groupIssues', () => {
  it('puts each knock-on under the root it follows from', () => {
    const root = { path: 'stages.opportunity.on.PROPOSE.target', message: 'unknown stage "quotng"' };
    const other = { path: 'stages.quoting.sla', message: 'bad duration' };
    const k1 = { path: 'stages.quoting', message: 'unreachable', causedBy: root.path };
    const k2 = { path: 'stages.quote_sent', message: 'unreachable', causedBy: root.path };
    expect(groupIssues([k1, root, other, k2])).toEqual([
      { root, knockOns: [k1, k2] },
      { root: other, knockOns: [] },
    ]);
  });

  it('keeps a knock-on whose root is missing as a root of its own', () => {
    const orphan = { path: 'stages.quoting', message: 'unreachable', causedBy: 'initial' };
    expect(groupIssues([orphan])).toEqual([{ root: orphan, knockOns: [] }]);
  });
});

describe('durations as number and unit', () => {
  it('reads and writes ISO-8601 durations of one unit', () => {
    expect(parseDuration('P3D')).toEqual({ amount: 3, unit: 'D' });
    expect(parseDuration('PT4H')).toEqual({ amount: 4, unit: 'H' });
    expect(parseDuration('P1DT2H')).toBeNull();
    expect(formatDuration({ amount: 4, unit: 'H' })).toBe('PT4H');
    expect(formatDuration({ amount: 2, unit: 'W' })).toBe('P2W');
    expect(describeDuration('P1D')).toBe('1 day');
    expect(describeDuration('PT30M')).toBe('30 minutes');
  });
});
