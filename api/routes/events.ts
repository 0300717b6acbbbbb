// Acting on a journey: events (the process vocabulary) and checkpoint confirmations, sent as
// Temporal updates whose validators have the last word, stale requests included (an expectedStage
// or a confirmation's stage the journey has left). The API checks what it can first (scope, payload
// shape) and explains refusals: 409 with the events allowed now, 403 naming the role needed.
// Answers are 200 once the stage settled, 202 with the state now when its activities still run.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addedLineSchema, eventPayloadSchemas, quoteLineSchema, requiredRoles, vocabularyEventTypes } from '../../machines/index';
import type { RefusalDetails } from '../../workflows/messages';
import { journeyAnswerSchema, type JourneyAnswer, type JourneyState } from '../../machines/schema/journeyState';
import { text, textBounds } from '../../machines/schema/bounds';
import { roles } from '../../machines/roles';
import { userOf, type AuthUser } from '../auth';
import { definitionOf } from '../definitions';
import type { ApiDeps } from '../deps';
import { ApiError, badRequest, fromUpdateFailure } from '../errors';
import { updateIdOf } from '../idempotency';
import { recordLatePayment, type LatePayment } from '../latePayment';
import { checkPaymentCurrency, paymentDataSchema } from '../paymentData';
import { safeParked } from '../safeErrors';
import { closedStage, liveState, sendConfirmation, sendEvent, type Answer } from '../journeyClient';
import { assertVisible } from '../scoping';
import { errors, journeyParams, type App } from '../schemas';

/** Who may act on journeys at all; which role may send which event comes from the definition. */
const ACTORS = roles.filter((role) => role !== 'viewer');

const quoteLines = z.array(z.strictObject(quoteLineSchema.shape)).min(1).max(100);
const note = text(textBounds.note).optional();

/** The payloads of DESIGN.md section 5, strict: unknown fields are refused. */
const eventDataSchemas: Partial<Record<string, z.ZodType>> = {
  PROPOSE: z.strictObject({ lines: quoteLines }),
  REVISE: z.strictObject({ lines: quoteLines }),
  ADD_LINES: z.strictObject({ lines: z.array(z.strictObject(addedLineSchema.shape)).min(1).max(100) }),
  SHIPPED: z.strictObject({ carrier: text(textBounds.carrier), trackingNumber: text(textBounds.trackingNumber) }),
  PAYMENT_RECEIVED: paymentDataSchema,
};
// Every event the machine needs data for has a strict schema here.
for (const type of Object.keys(eventPayloadSchemas)) if (!eventDataSchemas[type]) throw new Error(`no API schema for ${type} data`);

const stageName = text(textBounds.stageName);
const expectedStage = stageName
  .optional()
  .describe('the stage the caller saw; when the journey is elsewhere the answer is 409 stale_stage with the stage and the allowed events');

/** One body per event type, so the document says which take `data` (required) and which refuse it. */
const eventBody = z.discriminatedUnion(
  'type',
  vocabularyEventTypes.map((type) => {
    const data = eventDataSchemas[type];
    return z
      .strictObject({ type: z.literal(type), ...(data ? { data } : {}), note, expectedStage })
      .describe(data ? `${type} with its data` : `${type}, which takes no data`);
  }) as unknown as [z.ZodObject<{ type: z.ZodLiteral<string>; data?: z.ZodType; note: typeof note; expectedStage: typeof expectedStage }>],
);

const confirmationBody = z.strictObject({
  stage: stageName.describe(
    'the stage whose checkpoint is decided; when another checkpoint (or none) waits the answer is 409 stale_checkpoint with details.pendingCheckpoint',
  ),
  decision: z.enum(['approve', 'reject']),
  note,
});

/** 200 when the stage settled; 202 while its activities still run (poll GET /v1/journeys/{id}). */
function answer(reply: FastifyReply, state: Answer, roles: readonly string[]): JourneyAnswer {
  void reply.code(state.settled ? 200 : 202);
  return stateAnswer(state, roles);
}

function stateAnswer(state: JourneyState, roles: readonly string[]): JourneyAnswer {
  return {
    journeyId: state.journeyId,
    stage: state.stage,
    status: state.status,
    final: state.final,
    allowedEvents: state.allowedEvents,
    pendingCheckpoint: state.pendingCheckpoint,
    parked: safeParked(state.parked, roles),
  };
}

/** Refuses quote lines naming products the catalogue does not sell (400 at the line's path). */
async function checkSkus(db: ApiDeps['db'], data: unknown): Promise<void> {
  const lines = (data as { lines?: { sku: string }[] } | undefined)?.lines;
  if (!lines) return;
  const known = new Set(
    (
      (await db('products')
        .whereIn(
          'sku',
          lines.map((l) => l.sku),
        )
        .where({ active: true })
        .select('sku')) as { sku: string }[]
    ).map((r) => r.sku),
  );
  const issues = lines.flatMap((line, i) =>
    known.has(line.sku) ? [] : [{ path: `body.data.lines.${i}.sku`, message: `no product ${line.sku} in the catalogue` }],
  );
  if (issues.length > 0) throw badRequest(`unknown product(s): ${issues.map((i) => i.message).join('; ')}`, issues);
}

/** Refuses added lines whose product has no price in the currency of the journey's order (400 at the line's path). */
async function checkAddedLinesPriced(db: ApiDeps['db'], journeyId: string, data: unknown): Promise<void> {
  const lines = (data as { lines: { sku: string }[] }).lines;
  const order = (await db('sales_orders').where({ journey_id: journeyId }).orderBy('created_at', 'desc').first('currency')) as { currency: string } | undefined;
  // Without an order the journey refuses ADD_LINES itself (409 with the events allowed now).
  if (!order) return;
  const skus = lines.map((l) => l.sku);
  const priced = new Set(
    ((await db('price_book').whereIn('sku', skus).where({ currency: order.currency }).select('sku')) as { sku: string }[]).map((r) => r.sku),
  );
  const issues = lines.flatMap((line, i) =>
    priced.has(line.sku) ? [] : [{ path: `body.data.lines.${i}.sku`, message: `no ${order.currency} price for ${line.sku}` }],
  );
  if (issues.length > 0) throw badRequest(`unpriced product(s): ${issues.map((i) => i.message).join('; ')}`, issues);
}

/**
 * Sends a transition as `user`, turning a role refusal into a 403 that names the roles needed (the
 * refusal carries them; else they are looked up in the journey's definition at its live stage).
 */
export async function transition(
  deps: ApiDeps,
  journeyId: string,
  user: AuthUser,
  type: string,
  data: unknown,
  note: string | undefined,
  options: { updateId?: string | undefined; expectedStage?: string | undefined } = {},
): Promise<Answer> {
  const { updateId, expectedStage } = options;
  try {
    const request = {
      type,
      actor: { id: user.id, roles: user.roles },
      ...(data === undefined ? {} : { data }),
      ...(note === undefined ? {} : { note }),
      ...(expectedStage === undefined ? {} : { expectedStage }),
    };
    return await sendEvent(deps, journeyId, request, updateId);
  } catch (error) {
    throw await explainRefusal(deps, journeyId, user, error, type, async (state) => {
      const def = await definitionOf(deps.db, state.definition.key, state.definition.version);
      return def ? requiredRoles(def, state.stage, type) : [];
    });
  }
}

async function explainRefusal(
  deps: ApiDeps,
  journeyId: string,
  user: AuthUser,
  error: unknown,
  event: string,
  needed: (state: JourneyState) => Promise<readonly string[]>,
): Promise<unknown> {
  if (error instanceof WorkflowNotFoundError) return ended(deps, journeyId, error);
  if (!(error instanceof WorkflowUpdateFailedError)) return error;
  const mapped = fromUpdateFailure(error);
  if (!mapped || mapped.status !== 403) return error;
  const refused = (error.cause instanceof ApplicationFailure ? error.cause.details?.[0] : undefined) as Partial<RefusalDetails> | undefined;
  const where = await refusedWhere(refused, () => liveState(deps, journeyId, user.roles).catch(() => null), needed);
  if (!where) return mapped;
  const required = [...where.roles];
  const lacksRole = required.length > 0 && !user.roles.some((r) => r === 'admin' || required.includes(r));
  const message = lacksRole ? `${event} in stage ${where.stage} needs the role ${required.join(' or ')}` : mapped.message;
  return new ApiError(403, 'forbidden', message, { ...(mapped.details as object), requiredRoles: required, stage: where.stage });
}

/** The stage and the roles needed: from the refusal itself, else from the journey's live state. */
async function refusedWhere(
  refused: Partial<RefusalDetails> | undefined,
  live: () => Promise<JourneyState | null>,
  needed: (state: JourneyState) => Promise<readonly string[]>,
): Promise<{ stage: string; roles: readonly string[] } | null> {
  if (refused?.requiredRoles && refused.stage !== undefined) return { stage: refused.stage, roles: refused.requiredRoles };
  const state = await live();
  return state ? { stage: state.stage, roles: await needed(state) } : null;
}

/** A journey whose workflow has closed takes no more events: 409, unless it never existed. */
export async function ended(deps: ApiDeps, journeyId: string, error: WorkflowNotFoundError): Promise<unknown> {
  const stage = await closedStage(deps, journeyId);
  if (stage === null) return error;
  return new ApiError(409, 'transition_not_allowed', `the journey has ended in stage ${stage}`, { allowedEvents: [], stage, ended: true });
}

/** The stage a journey ended in, when `error` is the refusal of an event to an ended journey. */
function endedStage(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 409 || error.code !== 'transition_not_allowed') return null;
  const details = error.details as { allowedEvents?: string[]; stage?: string; ended?: boolean } | undefined;
  return details?.ended ? (details.stage ?? null) : null;
}

function journeyId(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

export function eventRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;

  app.post(
    '/v1/journeys/:id/events',
    {
      config: { roles: ACTORS },
      schema: {
        tags: ['journeys'],
        summary: 'Send an event of the process vocabulary to the journey',
        description:
          "Which roles may send which event comes from the journey's process definition. 200 when the stage settled; 202 with the state now while its activities still run " +
          "(poll GET /v1/journeys/{id}). With an Idempotency-Key a retry is never applied twice, even after the workflow continued as new. A PAYMENT_RECEIVED for a journey that has ended is kept as the account's credit on its last invoice (200); without an invoice, 409 no_invoice.",
        params: journeyParams,
        body: eventBody,
        response: { 200: journeyAnswerSchema, 202: journeyAnswerSchema, ...errors(400, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const { type, note, expectedStage } = request.body;
      const data = 'data' in request.body ? request.body.data : undefined;
      await checkSkus(db, data);
      const id = journeyId(request);
      await assertVisible(db, user, id);
      if (type === 'ADD_LINES') await checkAddedLinesPriced(db, id, data);
      if (type === 'PAYMENT_RECEIVED') await checkPaymentCurrency(db, id, data as { currency: string });
      try {
        return answer(reply, await transition(deps, id, user, type, data, note, { updateId: updateIdOf(request), expectedStage }), user.roles);
      } catch (error) {
        const endedIn = type === 'PAYMENT_RECEIVED' ? endedStage(error) : null;
        if (endedIn === null) throw error;
        // Money that arrives after the journey ended is never refused: it becomes the account's credit.
        await recordLatePayment(db, id, data as LatePayment, endedIn);
        void reply.code(200);
        return { journeyId: id, stage: endedIn, status: 'done', final: true, allowedEvents: [], pendingCheckpoint: null, parked: null };
      }
    },
  );

  app.post(
    '/v1/journeys/:id/confirmations',
    {
      config: { roles: ACTORS },
      schema: {
        tags: ['journeys'],
        summary: "Approve or reject the checkpoint waiting in the journey's stage",
        description:
          "403 when the caller lacks the checkpoint's role (after an SLA breach, its escalateTo role may decide too), or authored what they would approve (segregation of duties). 409 stale_checkpoint when the checkpoint of `stage` " +
          'no longer waits (a retried approval never decides the next checkpoint). 200 when the stage settled; 202 while its activities still run.',
        params: journeyParams,
        body: confirmationBody,
        response: { 200: journeyAnswerSchema, 202: journeyAnswerSchema, ...errors(400, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const id = journeyId(request);
      await assertVisible(db, user, id);
      const { stage, decision, note } = request.body;
      try {
        const confirmation = { stage, decision, actor: { id: user.id, roles: user.roles }, ...(note === undefined ? {} : { note }) };
        return answer(reply, await sendConfirmation(deps, id, confirmation, updateIdOf(request)), user.roles);
      } catch (error) {
        throw await explainRefusal(deps, id, user, error, `the ${decision === 'approve' ? 'approval' : 'rejection'}`, async (state) =>
          state.pendingCheckpoint?.role ? [state.pendingCheckpoint.role] : [],
        );
      }
    },
  );
}
