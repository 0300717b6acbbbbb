// The process-definition format ops write and edit as JSON. The schema checks shape only;
// references between parts (targets, fields, activities, policies) are checked by validateProcess,
// which reports each problem with its path.
import { z } from 'zod';
import { amountPattern, durationPattern, number, numberBounds, positiveDurationPattern, text, textBounds } from './bounds.js';
import { roles } from '../roles.js';

const roleSchema = z.enum(roles);
const stageName = text(textBounds.stageName);
const eventName = text(textBounds.eventName);
const fieldName = text(textBounds.definitionName);
const scalar = z.union([text(textBounds.definitionTitle), z.number(), z.boolean(), z.null()]);
/** Durations that must be longer than nothing (SLAs, terms, offsets, retry intervals): P0D is refused. */
const positiveDuration = z.string().regex(positiveDurationPattern, 'an ISO-8601 duration longer than zero, such as "P7D" or "PT30S"');
const duration = z
  .string()
  .regex(durationPattern, 'an ISO-8601 duration such as "P7D" or "PT30S" (at most 2 digits of years, 3 of months, 4 of weeks, 5 of days)');

export const comparisonOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in'] as const;
const presenceOps = ['present', 'absent'] as const;

/** `{field, op, value}` or `{field, op, policy}` compares a context field; presence ops take neither. */
const fieldTestSchema = z.strictObject({
  field: fieldName,
  op: z.enum([...comparisonOps, ...presenceOps]),
  value: z.union([scalar, z.array(scalar).max(100)]).optional(),
  policy: fieldName.optional(),
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
/** A declarative condition over the catalogue of context fields (see fields.ts). A component of its own: it nests. */
const guardSchema = z
  .union([fieldTestSchema, allOfSchema, anyOfSchema, notSchema])
  .meta({ id: 'Guard', description: 'a condition: {field, op, value|policy}, {all:[…]}, {any:[…]} or {not:…}; like any JSON body, at most 64 levels deep' });

const retryPolicySchema = z.strictObject({
  maximumAttempts: z.number().int().min(1).max(20),
  initialInterval: positiveDuration,
  backoffCoefficient: z.number().min(1).max(10).optional(),
  maximumInterval: positiveDuration.optional(),
});

const activityStepSchema = z.strictObject({
  activity: fieldName,
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
  description: text(textBounds.definitionDescription).optional(),
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
  /** Recorded as a confirmation of the stage (who, when, note), though not the checkpoint's event: a credit release. */
  confirms: z.boolean().optional(),
});

const timerSchema = z.strictObject({
  ...reactionShape,
  name: text(textBounds.timerName),
  /** A duration, or a policy: a duration policy, or `dunning` for one timer per level in order. */
  delay: z.union([duration, z.strictObject({ policy: fieldName })]),
  /** A time field to count from (e.g. `invoice.dueDate`); default: when the stage was entered. */
  anchor: fieldName.optional(),
  /**
   * A cadence: the timer fires this many times in a stage visit, each `delay` after the previous
   * one's activities have run (e.g. a nurture email every P14D, at most 4). Never with a target.
   */
  repeat: z.number().int().min(2).max(100).optional(),
});

const checkpointSchema = z.strictObject({
  role: roleSchema.optional(),
  /** Confirms without a person when it holds; `true` always does. */
  auto: z.union([z.boolean(), guardSchema]).optional(),
  /** Counts from when the checkpoint began to wait (the stage's own `sla` counts from entry). */
  sla: positiveDuration.optional(),
  /** Once an SLA of the stage visit is breached, this role may also approve or reject. */
  escalateTo: roleSchema.optional(),
  approve: eventName,
  reject: eventName.optional(),
  /** Segregation of duties: the approver must not be the person in this field. */
  notBy: fieldName.optional(),
});

/** What people read for a stage or an event (the console, wait reasons); the key stays the name in the API. */
const label = text(textBounds.definitionLabel);

const stageSchema = z.strictObject({
  label: label.optional(),
  description: text(textBounds.definitionDescription).optional(),
  /** Counts from stage entry; on breach the owner is emailed and the timeline records it. */
  sla: positiveDuration.optional(),
  /** The chance (0 to 1) that a journey in this stage ends won: weights the open pipeline in reports. */
  probability: z.number().min(0).max(1).optional(),
  entry: z.array(activityStepSchema).optional(),
  checkpoint: checkpointSchema,
  /** The checkpoint waits on someone outside (customer, supplier): status `waiting`. */
  wait: z.strictObject({ for: fieldName, when: guardSchema.optional() }).optional(),
  on: z.record(eventName, transitionSchema),
  after: z.array(timerSchema).optional(),
});

const dunningLevelSchema = z.strictObject({
  level: number(numberBounds.dunningLevel),
  /** After the invoice's due date. */
  offset: positiveDuration,
  fee: z
    .strictObject({
      amount: z.string().regex(amountPattern, 'a decimal string such as "5.00"'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"'),
    })
    .nullable(),
  template: text(textBounds.templateKey),
});

const policiesSchema = z.strictObject({
  mqlThreshold: number(numberBounds.scoreThreshold),
  sqlThreshold: number(numberBounds.scoreThreshold),
  discountApprovalLimitPct: number(numberBounds.discountPct),
  /** Credit from over-payment above this amount (in the invoice's currency) waits for finance; absent: never. */
  overpaymentTolerance: z.number().min(0).max(1_000_000_000).optional(),
  paymentTerms: positiveDuration,
  quoteValidity: positiveDuration,
  nurtureWindow: positiveDuration,
  dunning: z.array(dunningLevelSchema).min(1).max(numberBounds.dunningLevel.max),
  /** Default for every activity without its own `retry`. */
  retry: retryPolicySchema,
});

export const processDefinitionSchema = z.strictObject({
  key: text(textBounds.definitionKey),
  version: z.number().int().min(1).max(1_000_000),
  title: text(textBounds.definitionTitle).optional(),
  initial: stageName,
  policies: policiesSchema,
  /** Who may RETRY or SKIP a parked activity, in any stage. */
  recovery: z.strictObject({ retry: z.array(roleSchema).min(1), skip: z.array(roleSchema).min(1) }),
  stages: z.record(stageName, stageSchema),
  final: z.array(stageName).min(1),
  /** Final stages have no entry of their own in `stages`: their labels are here. */
  finalLabels: z.record(stageName, label).optional(),
  eventLabels: z.record(eventName, label).optional(),
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
