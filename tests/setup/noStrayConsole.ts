// A test that writes to the console fails: output belongs in assertions, not in the log.
import { afterEach, beforeEach, expect, vi } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let spies: { mock: { calls: unknown[][] }; mockRestore(): void }[] = [];

beforeEach(() => {
  spies = methods.map((m) => vi.spyOn(console, m));
});

afterEach(() => {
  const calls = spies.flatMap((spy, i) => spy.mock.calls.map((args: unknown[]) => `console.${methods[i]}(${args.map(String).join(' ')})`));
  spies.forEach((spy) => spy.mockRestore());
  expect(calls, 'stray console output').toEqual([]);
});
