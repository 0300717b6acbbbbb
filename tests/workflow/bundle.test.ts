// The workflow bundle is evaluated once per cached journey, so what it loads is paid per journey:
// the runtime core of machines/ without zod or the schema layer (machines/schema/).
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

describe('the workflow bundle', () => {
  const code = readFileSync(inject('bundlePath'), 'utf8');

  it('holds the journey workflow and the runtime core', () => {
    expect(code).toContain('./workflows/journey.ts');
    expect(code).toContain('./machines/compileProcess.ts');
  });

  it('loads neither zod nor the schema layer', () => {
    expect(code.match(/node_modules\/zod\//g) ?? []).toEqual([]);
    expect(code.match(/machines\/schema\/[A-Za-z]+\.ts/g) ?? []).toEqual([]);
  });
});
