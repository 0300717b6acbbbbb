// The process-definition format ops write and edit as JSON. The schema checks shape only;
// references between parts (targets, fields, activities, policies) are checked by validateProcess,
// which reports each problem with its path.
import { z } from 'zod';
import { moneySchema } from './activityCatalogue.js';
import { isoDurationSchema } from './duration.js';
import { roleSchema } from './roles.js';

const stageName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a stage name in snake_case such as "quote_sent"');
const eventName = z.string().regex(/^[A-Z][A-Z_]*$/, 'an event name in UPPER_CASE such as "CONFIRM"');
const fieldName = z.string().min(1);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const comparisonOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in'] as const;
const presenceOps = ['present', 'absent'] as const;

/** `{field, op, value}` or `{field, op, policy}` compares a context field; presence ops take neither. */
const fieldTestSchema = z.strictObject({
  field: fieldName,
  op: z.enum([...comparisonOps, ...presenceOps]),
  value: z.union([scalar, z.array(scalar)]).optional(),
  policy: z.string().optional(),
});
const allOfSchema = z.strictObject({
  get all() {
    return z.array(guardSchema).min(1);
  },
});
const anyOfSchema = z.strictObject({
  get any() {
    return z.array(guardSchema).min(1);
  },
});
const notSchema = z.strictObject({
  get not() {
    return guardSchema;
  },
});
/** A declarative condition over the catalogue of context fields (see fields.ts). */
const guardSchema = z.union([fieldTestSchema, allOfSchema, anyOfSchema, notSchema]);

const retryPolicySchema = z.strictObject({
  maximumAttempts: z.number().int().min(1).max(20),
  initialInterval: isoDurationSchema,
  backoffCoefficient: z.number().min(1).max(10).optional(),
  maximumInterval: isoDurationSchema.optional(),
});

const activityStepSchema = z.strictObject({
  activity: z.string().min(1),
  /** Run only when this holds at the moment the activity is due (e.g. raise a PO when short). */
  when: guardSchema.optional(),
  retry: retryPolicySchema.optional(),
});

const branchSchema = z.strictObject({ when: guardSchema.optional(), target: stageName });

/** What an event or a timer does: mark a field, run activities, then move (or stay). */
const reactionShape = {
  /** Sets a markable time field (e.g. `shipment.pickedAt`) to the event's time. */
  mark: fieldName.optional(),
  run: z.array(activityStepSchema).min(1).optional(),
  /** Where to go once `run` has finished (or at once without `run`). */
  target: stageName.optional(),
  /** Guarded alternatives to `target`, first match wins; none matching means stay. */
  then: z.array(branchSchema).min(1).optional(),
  description: z.string().optional(),
};

const transitionSchema = z.strictObject({
  ...reactionShape,
  /** Roles that may send the event; defaults to the checkpoint's role for its own events. */
  roles: z.array(roleSchema).optional(),
  guard: guardSchema.optional(),
  /** Accepted even while activities run or are parked (CANCEL). */
  interrupts: z.boolean().optional(),
  /**
   * Undo what the journey changed (orders, stock, purchase orders, invoices) before leaving.
   * Default: true for CANCEL, DECLINE, LOSE and WRITE_OFF, false otherwise.
   */
  compensate: z.boolean().optional(),
});

const timerSchema = z.strictObject({
  ...reactionShape,
  name: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'a timer name in camelCase such as "expiry"'),
  /** A duration, or a policy: a duration policy, or `dunning` for one timer per level in order. */
  delay: z.union([isoDurationSchema, z.strictObject({ policy: z.string() })]),
  /** A time field to count from (e.g. `invoice.dueDate`); default: when the stage was entered. */
  anchor: fieldName.optional(),
});

const checkpointSchema = z.strictObject({
  role: roleSchema.optional(),
  /** Confirms without a person when it holds; `true` always does. */
  auto: z.union([z.boolean(), guardSchema]).optional(),
  sla: isoDurationSchema.optional(),
  approve: eventName,
  reject: eventName.optional(),
  /** Segregation of duties: the approver must not be the person in this field. */
  notBy: fieldName.optional(),
});

const stageSchema = z.strictObject({
  description: z.string().optional(),
  sla: isoDurationSchema.optional(),
  entry: z.array(activityStepSchema).optional(),
  checkpoint: checkpointSchema,
  /** The checkpoint waits on someone outside (customer, supplier): status `waiting`. */
  wait: z.strictObject({ for: z.string().min(1), when: guardSchema.optional() }).optional(),
  on: z.record(eventName, transitionSchema),
  after: z.array(timerSchema).optional(),
});

const dunningLevelSchema = z.strictObject({
  level: z.number().int().min(1),
  /** After the invoice's due date. */
  offset: isoDurationSchema,
  fee: moneySchema.nullable(),
  template: z.string().min(1),
});

const policiesSchema = z.strictObject({
  mqlThreshold: z.number().min(0),
  sqlThreshold: z.number().min(0),
  discountApprovalLimitPct: z.number().min(0).max(100),
  /** Credit from over-payment above this amount (in the invoice's currency) waits for finance; absent: never. */
  overpaymentTolerance: z.number().min(0).optional(),
  paymentTerms: isoDurationSchema,
  quoteValidity: isoDurationSchema,
  nurtureWindow: isoDurationSchema,
  dunning: z.array(dunningLevelSchema).min(1),
  /** Default for every activity without its own `retry`. */
  retry: retryPolicySchema,
});

export const processDefinitionSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a key in kebab-case such as "lead-to-cash"'),
  version: z.number().int().min(1),
  title: z.string().optional(),
  initial: stageName,
  policies: policiesSchema,
  /** Who may RETRY or SKIP a parked activity, in any stage. */
  recovery: z.strictObject({ retry: z.array(roleSchema).min(1), skip: z.array(roleSchema).min(1) }),
  stages: z.record(stageName, stageSchema),
  final: z.array(stageName).min(1),
});

export type ProcessDefinition = z.infer<typeof processDefinitionSchema>;
export type StageDefinition = z.infer<typeof stageSchema>;
export type TransitionDefinition = z.infer<typeof transitionSchema>;
export type TimerDefinition = z.infer<typeof timerSchema>;
export type ActivityStep = z.infer<typeof activityStepSchema>;
export type Checkpoint = z.infer<typeof checkpointSchema>;
export type Guard = z.infer<typeof guardSchema>;
export type FieldTest = z.infer<typeof fieldTestSchema>;
export type RetryPolicy = z.infer<typeof retryPolicySchema>;
export type Policies = z.infer<typeof policiesSchema>;
export type DunningLevel = z.infer<typeof dunningLevelSchema>;

export const numericPolicies = ['mqlThreshold', 'sqlThreshold', 'discountApprovalLimitPct', 'overpaymentTolerance'] as const;
export const durationPolicies = ['paymentTerms', 'quoteValidity', 'nurtureWindow'] as const;
/** A timer on this policy fires once per dunning level, in level order. */
export const levelPolicy = 'dunning';
