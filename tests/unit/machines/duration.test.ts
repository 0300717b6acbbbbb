// ISO-8601 durations: months on the calendar, everywhere a duration meets a clock.
import { describe, expect, it } from 'vitest';
import { addDuration, defaultProcess, durationToMs, timerFiresAt } from '../../../machines/index';
import { driveTo, JourneyDriver } from './driver';

describe('durations', () => {
  it('adds months on the UTC calendar, ending a short month on its last day', () => {
    expect(addDuration(new Date('2027-01-31T10:00:00Z'), 'P1M').toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(addDuration(new Date('2028-01-31T10:00:00Z'), 'P1M').toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addDuration(new Date('2027-12-15T00:00:00Z'), 'P1Y1M').toISOString()).toBe('2029-01-15T00:00:00.000Z');
    expect(addDuration(new Date('2027-03-31T08:00:00Z'), 'P1M', -1).toISOString()).toBe('2027-02-28T08:00:00.000Z');
    expect(addDuration(Date.UTC(2027, 0, 1), 'P2WT1H30M0.25S').toISOString()).toBe('2027-01-15T01:30:00.250Z');
  });

  it('measures a month by the one it starts in', () => {
    const day = 86_400_000;
    expect(durationToMs('P1M', new Date('2027-02-01T00:00:00Z'))).toBe(28 * day);
    expect(durationToMs('P1M', new Date('2027-03-01T00:00:00Z'))).toBe(31 * day);
    expect(durationToMs('PT30S')).toBe(30_000);
    expect(durationToMs('P1D')).toBe(day);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['P', 'PT', 'P1', '1D', 'P1DT', 'P-1D', '']) expect(() => durationToMs(text), text).toThrow(RangeError);
  });

  it('fires a quote expiry of P1M a calendar month after the quote was sent, as its validity date says', () => {
    const def = structuredClone(defaultProcess);
    def.policies.quoteValidity = 'P1M';
    const d = driveTo(new JourneyDriver({ def }), 'quote_sent');
    const expiry = d.timers.get(d.timer('expiry'));
    expect(expiry?.delay).toBe('P1M');
    // The driver's clock runs in January 2025: a calendar month later is the same day in February.
    const sent = expiry?.anchor ?? '';
    expect(sent).toMatch(/^2025-01-/);
    const firesAt = timerFiresAt({ timer: 'expiry', delay: 'P1M', anchor: sent }, '2030-01-01T00:00:00.000Z');
    expect(new Date(firesAt).toISOString()).toBe(sent.replace('2025-01-', '2025-02-'));
    // The quote activity dates its validity with the same arithmetic.
    expect(addDuration(new Date(sent), def.policies.quoteValidity).getTime()).toBe(firesAt);
  });
});
