// The frame every catalogue activity runs in: validate the input, then in ONE transaction lock the
// (journey, step), return the stored result if there is one, else run the effect and store its
// result; after the commit, send the emails the step wrote. A retry with the same step therefore
// adds no row and sends no second email.
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { Db } from '../../db/connection';
import { findStepResult, lockStep, saveStepResult } from '../../db/queries/idempotency';
import { activityCatalogue, type ActivityCall, type ActivityInput, type ActivityName, type ActivityResult } from '../../machines/schema/activityCatalogue';
import { deliverStep } from '../mail/outbox';
import type { Mailer } from '../mail/mailer';
import { refuse } from './failures';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  now: () => Date;
  /** Where customers reach the API, for links in emails. */
  publicUrl: string;
}

export interface StepContext {
  trx: Knex.Transaction;
  journeyId: string;
  step: string;
  /** One instant per attempt, so every row the effect writes carries the same time. */
  now: Date;
}

function issuesOf(error: z.ZodError, prefix: string): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message }));
}

function checkCall(name: string, call: unknown): { journeyId: string; step: string; input: unknown } {
  const c = (call ?? {}) as Record<string, unknown>;
  const bad: { path: string; message: string }[] = [];
  if (typeof c.journeyId !== 'string' || c.journeyId.length === 0 || c.journeyId.length > 64)
    bad.push({ path: 'journeyId', message: 'a non-empty string of at most 64 characters' });
  if (typeof c.step !== 'string' || c.step.length === 0 || c.step.length > 200)
    bad.push({ path: 'step', message: 'a non-empty string of at most 200 characters' });
  if (bad.length > 0) throw refuse('InvalidInput', `${name}: invalid call`, { issues: bad });
  return { journeyId: c.journeyId as string, step: c.step as string, input: c.input };
}

export function defineActivity<A extends ActivityName>(
  deps: ActivityDeps,
  name: A,
  effect: (input: ActivityInput<A>, ctx: StepContext) => Promise<ActivityResult<A>>,
): (call: ActivityCall<A>) => Promise<ActivityResult<A>> {
  const schemas = activityCatalogue[name] as unknown as { input: z.ZodType<ActivityInput<A>>; result: z.ZodType<ActivityResult<A>> };
  return defineStep(deps, name, schemas, effect);
}

/** The same frame for a step the engine runs itself, outside the catalogue (an SLA notice). */
export function defineStep<I, R>(
  deps: ActivityDeps,
  name: string,
  schemas: { input: z.ZodType<I>; result: z.ZodType<R> },
  effect: (input: I, ctx: StepContext) => Promise<R>,
): (call: { journeyId: string; step: string; input: I }) => Promise<R> {
  return async (call) => {
    const { journeyId, step, input } = checkCall(name, call);
    const parsed = schemas.input.safeParse(input);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error, 'input');
      throw refuse('InvalidInput', `${name}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
    }
    const result = await deps.db.transaction(async (trx) => {
      await lockStep(trx, journeyId, step);
      const existing = await findStepResult(trx, journeyId, step);
      if (existing) {
        if (existing.activity !== name) {
          throw refuse('StepConflict', `step ${step} of journey ${journeyId} already ran ${existing.activity}, not ${name}`, {
            journeyId,
            step,
            activity: existing.activity,
          });
        }
        return existing.result as R;
      }
      const produced = schemas.result.parse(await effect(parsed.data, { trx, journeyId, step, now: deps.now() }));
      await saveStepResult(trx, { journeyId, step, activity: name, result: produced });
      return produced;
    });
    await deliverStep(deps.db, deps.mailer, journeyId, step);
    return result;
  };
}
