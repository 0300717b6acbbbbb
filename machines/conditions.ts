// Evaluates a definition's declarative guards against a journey's context.
import { readField, type FieldValue } from './fields.js';
import type { JourneyContext } from './journeyContext.js';
import { numericPolicies } from './policies.js';
import type { FieldTest, Guard, Policies } from './schema/processDefinition.js';

type Operand = FieldValue | FieldValue[];

function operandOf(test: FieldTest, policies: Policies): Operand | undefined {
  if (test.policy !== undefined) {
    return (numericPolicies as readonly string[]).includes(test.policy) ? policies[test.policy as (typeof numericPolicies)[number]] : undefined;
  }
  return test.value;
}

function compare(value: FieldValue, op: FieldTest['op'], operand: Operand | undefined): boolean {
  switch (op) {
    case 'present':
      return value !== null;
    case 'absent':
      return value === null;
    case 'eq':
      return value === operand;
    case 'neq':
      return value !== operand;
    case 'in':
      return Array.isArray(operand) && operand.includes(value);
    default:
      // Ordering only between numbers; anything missing makes the comparison false.
      if (typeof value !== 'number' || typeof operand !== 'number') return false;
      if (op === 'gt') return value > operand;
      if (op === 'gte') return value >= operand;
      if (op === 'lt') return value < operand;
      return value <= operand;
  }
}

export function holds(guard: Guard | boolean, context: JourneyContext, policies: Policies): boolean {
  if (typeof guard === 'boolean') return guard;
  if ('all' in guard) return guard.all.every((g) => holds(g, context, policies));
  if ('any' in guard) return guard.any.some((g) => holds(g, context, policies));
  if ('not' in guard) return !holds(guard.not, context, policies);
  return compare(readField(context, guard.field), guard.op, operandOf(guard, policies));
}
