// One customer journey, from lead to cash, as one long-lived workflow. It compiles the process
// definition it was started with and drives the machine with xstate's pure transition functions
// only: the machine names activities and timers, this file runs them through Temporal and feeds
// their results back as events. Everything here must replay identically: changes that alter the
// commands this code issues go behind `patched('<change-id>')`.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  currentUpdateInfo,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { initialTransition, transition } from 'xstate';
import type { JourneyAuditEntry, JourneyRecord } from '../activities/journeyRecord';
import type { slaActivities } from '../activities/slaNotice';
import type { CatalogueActivities, LeadInput } from '../machines/schema/activityCatalogue';
import type { ProcessDefinition, RetryPolicy } from '../machines/schema/processDefinition';
import { allowedEvents } from '../machines/allowedEvents';
import { compileProcess } from '../machines/compileProcess';
import { requiredRoles, rolesFor } from '../machines/definitionLookup';
import { describeJourney } from '../machines/describeJourney';
import { durationToMs } from '../machines/duration';
import { timerFiresAt, type JourneyEffect, type RunActivityParams } from '../machines/effects';
import { paymentOf, type JourneyEvent } from '../machines/events';
import type { JourneyContext } from '../machines/journeyContext';
import { escalated, openSlaWatches, type SlaWatch } from '../machines/sla';
import { migrateContext } from '../machines/migrateJourney';
import { judge, type LiveJourney } from '../machines/migrationPlan';
import { auditEntries } from './audit';
import {
  confirmUpdate,
  migrateUpdate,
  REASSIGN_ROLES,
  reassignUpdate,
  REFUSAL,
  REMEMBERED_UPDATE_IDS,
  settledUpdate,
  stateQuery,
  transitionUpdate,
  type Actor,
  type ConfirmRequest,
  type JourneyState,
  type MigrateRequest,
  type MigrateResult,
  type RefusalDetails,
  type TransitionRequest,
} from './messages';
import { Projection, type ProjectionCarryOver } from './projection';
import { SlaClocks } from './slaClocks';

type Machine = ReturnType<typeof compileProcess>;
type Snapshot = ReturnType<typeof initialTransition<Machine>>[0];

/** What a run hands to the next one on continue-as-new. */
export interface JourneyCarryOver extends ProjectionCarryOver {
  snapshot: { value: string; context: unknown };
  timers: { timer: string; fireAt: number }[];
  /** The owner a person assigned, over the one the response rules chose. */
  ownerOverride: string | null;
  runs: number;
  /**
   * The latest accepted update ids (bounded): Temporal deduplicates update ids within one run only,
   * so a caller resending an update after continue-as-new must be recognised here.
   */
  updateIds?: string[];
}

export interface JourneyInput {
  journeyId: string;
  definition: ProcessDefinition;
  lead: LeadInput;
  carryOver?: JourneyCarryOver;
  /** Continue as new after this many history events (tests); otherwise when the server suggests it. */
  continueAsNewAfterEvents?: number;
}

export interface JourneyResult {
  journeyId: string;
  stage: string;
  runs: number;
}

type ProjectionActivities = { recordJourney(record: JourneyRecord): Promise<void> };
const projectionOptions = {
  startToCloseTimeout: '10 seconds',
  // The projection must eventually be written; PostgreSQL being down only delays it.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;
const projectionActivities = proxyActivities<ProjectionActivities>(projectionOptions);
// A local activity adds one marker to the history instead of an activity's three events and the
// workflow task that takes its result. A write run again (a retry, a worker lost before the marker)
// is harmless: recordJourney only moves the projection forward and keeps each audit entry once.
const localProjectionActivities = proxyLocalActivities<ProjectionActivities>(projectionOptions);

/** A definition's retry policy as Temporal's activity options. */
function activityOptions(retry: RetryPolicy) {
  return {
    // Each activity is one transaction and maybe one email: seconds at most. A short limit means
    // an attempt lost with a crashed worker is retried soon, not after minutes.
    startToCloseTimeout: '10 seconds',
    retry: {
      // Definitions write ISO-8601 durations; Temporal takes milliseconds.
      maximumAttempts: retry.maximumAttempts,
      initialInterval: durationToMs(retry.initialInterval),
      backoffCoefficient: retry.backoffCoefficient ?? 2,
      ...(retry.maximumInterval ? { maximumInterval: durationToMs(retry.maximumInterval) } : {}),
    },
  } as const;
}

/** One activity proxy per retry policy named in the definition (bounded: the machine parks after). */
const proxies = new Map<string, CatalogueActivities>();
function activitiesWith(retry: RetryPolicy): CatalogueActivities {
  const key = JSON.stringify(retry);
  let proxy = proxies.get(key);
  if (!proxy) {
    proxy = proxyActivities<CatalogueActivities>(activityOptions(retry));
    proxies.set(key, proxy);
  }
  return proxy;
}

export async function journeyWorkflow(input: JourneyInput): Promise<JourneyResult> {
  const { journeyId, lead } = input;
  // The version the journey runs on: the one it started with, until a migration moves it.
  let definition = input.definition;
  // Journeys started before abandoning exits ran their undos replay without them.
  const compensation = patched('compensation-on-exit');
  let machine = compileProcess(definition, { compensation });
  // Journeys started before projection writes became local activities replay with activities.
  const { recordJourney } = patched('local-projection-writes') ? localProjectionActivities : projectionActivities;
  // Journeys started before SLAs acted replay without their timers.
  const slaClocks = patched('sla-timers') ? new SlaClocks(slaRanOut) : null;
  const { notifySlaBreach } = proxyActivities<ReturnType<typeof slaActivities>>(activityOptions(definition.policies.retry));
  const now = () => new Date().toISOString();

  let snapshot: Snapshot;
  const projection = new Projection({ journeyId, definition, lead }, recordJourney, input.carryOver);
  const followSlas = () => slaClocks?.follow(openSlaWatches(definition, snapshot.context));
  /** Writes the projection, and keeps the SLA timers in step with where the journey now is. */
  const record = () => {
    const d = describe();
    // Only definitions that guard an approval on credit put a hold on the record: such journeys
    // started after holds existed, so histories from before never reach the patch.
    projection.record(d.hold && patched('credit-hold') ? d : { ...d, hold: null });
    followSlas();
  };
  let inFlight = 0;
  const timers = new Map<string, { fireAt: number; scope: CancellationScope }>();

  let ownerOverride = input.carryOver?.ownerOverride ?? null;
  const updateIds: string[] = [...(input.carryOver?.updateIds ?? [])];

  /** True when the running update's id was accepted before (in an earlier run): answer, do not apply. */
  function alreadyApplied(): boolean {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && updateIds.includes(id);
  }

  function rememberUpdate(): void {
    const id = currentUpdateInfo()?.id;
    if (id === undefined) return;
    updateIds.push(id);
    if (updateIds.length > REMEMBERED_UPDATE_IDS) updateIds.splice(0, updateIds.length - REMEMBERED_UPDATE_IDS);
  }

  function describe() {
    const d = describeJourney(definition, snapshot);
    return ownerOverride ? { ...d, ownerId: ownerOverride } : d;
  }

  /** Events enabled now for any of these roles (for anyone when no roles are given). */
  function allowedFor(roles?: string[]): string[] {
    if (!roles) return allowedEvents(machine, snapshot);
    return [...new Set(roles.flatMap((role) => allowedEvents(machine, snapshot, role)))].sort();
  }

  function stateFor(roles?: string[]): JourneyState {
    const d = describe();
    return {
      journeyId,
      definition: { key: definition.key, version: definition.version },
      stage: d.stage,
      status: d.status,
      final: d.final,
      stageEnteredAt: d.stageEnteredAt,
      ownerId: d.ownerId,
      amount: d.amount,
      allowedEvents: allowedFor(roles),
      pendingCheckpoint: d.pendingCheckpoint,
      parked: d.parked,
      context: snapshot.context as Record<string, unknown>,
    };
  }

  function apply(event: JourneyEvent): void {
    const before = snapshot;
    const role = actingRole(event);
    const [next, actions] = transition(machine, snapshot, event);
    snapshot = next;
    for (const entry of auditEntries(before, next, event, role)) projection.audit(entry);
    for (const action of actions) execute(action);
    record();
  }

  /** Runs an effect the machine named; its other actions are pure context updates (assign). */
  function execute(action: { type: string; params?: unknown }): void {
    if (action.type.startsWith('xstate.')) return;
    // compileProcess names no other actions than the effects of machines/effects.ts.
    const effect = action as JourneyEffect;
    switch (effect.type) {
      case 'runActivity':
        return runActivity(effect.params);
      case 'startTimer':
        return startTimer(effect.params.timer, timerFiresAt(effect.params, now()));
      case 'cancelTimer':
        timers.get(effect.params.timer)?.scope.cancel();
        timers.delete(effect.params.timer);
        return;
      default:
        throw new Error(`the journey machine named an unknown action: ${action.type}`);
    }
  }

  function runActivity({ activity, step, input: activityInput, retry }: RunActivityParams): void {
    inFlight++;
    // The catalogue pairs each activity with its input; TypeScript cannot correlate the two unions.
    const run = activitiesWith(retry)[activity] as (call: { journeyId: string; step: string; input: unknown }) => Promise<unknown>;
    void run({ journeyId, step, input: activityInput })
      .then(
        (result) => apply({ type: 'ACTIVITY_DONE', step, activity, result, at: now() }),
        (error: unknown) => apply({ type: 'ACTIVITY_FAILED', step, activity, error: failureOf(error), at: now() }),
      )
      .finally(() => inFlight--);
  }

  function startTimer(timer: string, fireAt: number): void {
    timers.get(timer)?.scope.cancel();
    const scope = new CancellationScope();
    timers.set(timer, { fireAt, scope });
    void scope
      .run(() => sleep(Math.max(1, fireAt - Date.now())))
      .then(
        () => {
          timers.delete(timer);
          apply({ type: 'TIMER_FIRED', timer, at: now() });
        },
        (error: unknown) => {
          if (!isCancellation(error)) throw error;
        },
      );
  }

  /** Records the breach (once per watch: it may have ended in the same task) and emails the owner. */
  function slaRanOut(watch: SlaWatch): void {
    const event: JourneyEvent = { type: 'SLA_BREACHED', key: watch.key, at: now() };
    if (!snapshot.can(event)) return;
    apply(event);
    inFlight++;
    const { stage, scope, sla, since, deadline } = watch;
    const escalateTo = definition.stages[stage]?.checkpoint.escalateTo ?? null;
    const notice = { ownerId: describe().ownerId, stage, scope, sla, since, deadline, escalateTo, lead: { name: lead.name, company: lead.company ?? null } };
    void notifySlaBreach({ journeyId, step: `${watch.key}:notifySlaBreach`, input: notice })
      // Retries spent (the database gone for long): the timeline still shows the breach.
      .catch((error: unknown) => log.warn('the SLA breach email could not be queued', { journeyId, step: watch.key, error: failureOf(error).message }))
      .finally(() => inFlight--);
  }

  /** Who may send `type` now: the definition's roles, widened by an SLA breach's escalation. */
  function rolesNow(type: string): readonly string[] {
    return requiredRoles(definition, describe().stage, type, escalated(snapshot.context));
  }

  /** The role a person acts in (their first role that may send the event now), for the audit. */
  function actingRole(event: JourneyEvent): string | null {
    const e = event as { type: string; actor?: Actor };
    if (!e.actor) return null;
    return e.actor.roles.find((role) => allowedEvents(machine, snapshot, role).includes(e.type)) ?? null;
  }

  /** Refuses an event sent for another stage than the journey's (a stale retry or a stale screen). */
  function refuseStaleStage(request: TransitionRequest): void {
    const stage = describe().stage;
    if (request.expectedStage === undefined || request.expectedStage === stage) return;
    throw refusal(REFUSAL.staleStage, `the journey is in stage ${stage}, not ${request.expectedStage}`, allowedFor(request.actor.roles), { stage });
  }

  /** Refuses a confirmation naming another stage than the one whose checkpoint waits now. */
  function refuseStaleCheckpoint(request: ConfirmRequest): void {
    const pending = describe().pendingCheckpoint;
    if (pending && pending.stage === request.stage) return;
    const waiting = pending ? `the checkpoint of stage ${pending.stage} waits` : `no checkpoint waits (stage ${describe().stage})`;
    throw refusal(REFUSAL.staleCheckpoint, `no checkpoint of stage ${request.stage} waits: ${waiting}`, allowedFor(request.actor.roles), {
      stage: describe().stage,
      pendingCheckpoint: pending,
    });
  }

  /** Refuses an event the actor may not send now, listing what they may send instead and who may send it. */
  function refuse(event: JourneyEvent, actor: Actor, roles: readonly string[]): void {
    const forActor = allowedFor(actor.roles);
    const forAnyone = allowedFor();
    const type = (event as { type: string }).type;
    const stage = describe().stage;
    const hold = describe().hold;
    const mayApprove = actor.roles.some((role) => role === 'admin' || roles.includes(role));
    if (hold && mayApprove && type === describe().pendingCheckpoint?.approveEvent) {
      throw refusal(REFUSAL.creditHold, hold.message, forActor, { stage });
    }
    if (!forAnyone.includes(type)) {
      throw refusal(REFUSAL.notAllowed, `${type} is not allowed in stage ${stage} (${describe().status})`, forActor);
    }
    const who = { stage, requiredRoles: [...roles] };
    if (!forActor.includes(type)) {
      throw refusal(REFUSAL.forbidden, `${type} in stage ${stage} needs another role than ${actor.roles.join(', ') || 'none'}`, forActor, who);
    }
    if (!snapshot.can(event)) {
      throw refusal(REFUSAL.forbidden, `${type} is refused for ${actor.id}: ${guardReason(type)}`, forActor, who);
    }
  }

  function guardReason(type: string): string {
    const d = describe();
    if (d.pendingCheckpoint && type === d.pendingCheckpoint.approveEvent)
      return 'the author of a document may not approve it (segregation of duties), or its data is incomplete';
    return "its data does not satisfy the stage's rules";
  }

  function toEvent(type: string, actor: Actor, data?: unknown, note?: string): JourneyEvent {
    return { type, actor, at: now(), ...(data === undefined ? {} : { data }), ...(note === undefined ? {} : { note }) } as JourneyEvent;
  }

  function checkpointEvent(decision: 'approve' | 'reject'): string {
    const pending = describe().pendingCheckpoint;
    if (!pending) throw refusal(REFUSAL.noCheckpoint, `no checkpoint is waiting in stage ${describe().stage}`, allowedEvents(machine, snapshot));
    const type = decision === 'approve' ? pending.approveEvent : pending.rejectEvent;
    if (!type) throw refusal(REFUSAL.notAllowed, `the checkpoint of stage ${pending.stage} cannot be rejected`, allowedEvents(machine, snapshot));
    return type;
  }

  /** After an accepted event, wait briefly for the stage's activities so callers see where it settled. */
  async function settled(roles?: string[]): Promise<JourneyState> {
    await condition(() => describe().status !== 'running', '10 seconds');
    return stateFor(roles);
  }

  /** Roles that may record a payment in some stage of this definition. */
  const paymentRoles = () => [...new Set(Object.keys(definition.stages).flatMap((stage) => rolesFor(definition, stage, 'PAYMENT_RECEIVED')))];

  /** Money is never refused once there is an invoice: a payment the journey cannot take now waits its turn or becomes credit. */
  function takesPayment(request: TransitionRequest): boolean {
    if (request.type !== 'PAYMENT_RECEIVED' || describe().final) return false;
    if (!(snapshot.context as JourneyContext).results.issueInvoice) return false;
    if (paymentOf(request.data) === null) return false;
    return request.actor.roles.some((role) => role === 'admin' || paymentRoles().includes(role));
  }

  /** Applies payments in the order they came, each once the journey is no longer busy; what the invoice cannot take is credit. */
  async function receivePayment(request: TransitionRequest): Promise<JourneyState> {
    while (describe().status === 'running' && !describe().final) await condition(() => describe().status !== 'running' || describe().final);
    const event = toEvent(request.type, request.actor, request.data, request.note);
    if (!describe().final && snapshot.can(event)) {
      apply(event);
      return settled(request.actor.roles);
    }
    const invoiceId = (snapshot.context as JourneyContext).results.issueInvoice?.invoiceId ?? '';
    const payment = paymentOf(request.data);
    // takesPayment() checked the fields already; this only narrows the type.
    if (payment === null) throw ApplicationFailure.nonRetryable('PAYMENT_RECEIVED needs amount, currency and reference', REFUSAL.notAllowed);
    const step = `credit:${currentUpdateInfo()?.id ?? String(projection.lastSeq)}`;
    const result = await activitiesWith(definition.policies.retry).recordCredit({ journeyId, step, input: { invoiceId, payment } });
    const actorRole = request.actor.roles.find((role) => role === 'admin' || paymentRoles().includes(role));
    const entry: Omit<JourneyAuditEntry, 'seq'> = {
      at: now(),
      type: 'event',
      stage: describe().stage,
      event: 'PAYMENT_RECEIVED',
      actorId: request.actor.id,
      ...(actorRole ? { actorRole } : {}),
      detail: { data: payment, credit: result.credit, paymentId: result.paymentId },
    };
    projection.audit(entry);
    record();
    return stateFor(request.actor.roles);
  }

  // Start, or resume where the previous run stopped.
  if (input.carryOver) {
    // Runs from before SLAs acted handed over a context without slaBreaches.
    const { value, context } = input.carryOver.snapshot;
    snapshot = machine.resolveState({ value, context: { slaBreaches: [], ...(context as object) } } as never) as Snapshot;
    for (const t of input.carryOver.timers) startTimer(t.timer, t.fireAt);
    projection.resume(input.carryOver.unrecorded);
    followSlas();
  } else {
    const [first, actions] = initialTransition(machine, { journeyId, lead, at: now() });
    snapshot = first;
    projection.audit({
      at: now(),
      type: 'started',
      stage: describe().stage,
      detail: { definition: `${definition.key}@${definition.version}`, source: lead.source },
    });
    for (const action of actions) execute(action);
    record();
  }

  setHandler(stateQuery, (roles?: string[]) => stateFor(roles));
  setHandler(settledUpdate, (roles?: string[]) => settled(roles));

  setHandler(
    transitionUpdate,
    async (request) => {
      if (alreadyApplied()) return stateFor(request.actor.roles);
      rememberUpdate();
      if (takesPayment(request)) return receivePayment(request);
      apply(toEvent(request.type, request.actor, request.data, request.note));
      return settled(request.actor.roles);
    },
    {
      validator: (request) => {
        if (alreadyApplied()) return;
        refuseStaleStage(request);
        if (takesPayment(request)) return;
        refuse(toEvent(request.type, request.actor, request.data, request.note), request.actor, rolesNow(request.type));
      },
    },
  );

  setHandler(
    confirmUpdate,
    async (request) => {
      if (alreadyApplied()) return stateFor(request.actor.roles);
      rememberUpdate();
      apply(toEvent(checkpointEvent(request.decision), request.actor, undefined, request.note));
      return settled(request.actor.roles);
    },
    {
      validator: (request) => {
        if (alreadyApplied()) return;
        refuseStaleCheckpoint(request);
        const type = checkpointEvent(request.decision);
        refuse(toEvent(type, request.actor, undefined, request.note), request.actor, rolesNow(type));
      },
    },
  );

  setHandler(
    reassignUpdate,
    (request) => {
      if (alreadyApplied()) return stateFor(request.actor.roles);
      rememberUpdate();
      const from = describe().ownerId;
      ownerOverride = request.ownerId;
      const actorRole = request.actor.roles.find((role: string) => REASSIGN_ROLES.includes(role));
      const entry: Omit<JourneyAuditEntry, 'seq'> = {
        at: now(),
        type: 'event',
        stage: describe().stage,
        event: 'REASSIGN',
        actorId: request.actor.id,
        ...(actorRole ? { actorRole } : {}),
        detail: { from, to: request.ownerId, ...(request.note ? { note: request.note } : {}) },
      };
      projection.audit(entry);
      record();
      return stateFor(request.actor.roles);
    },
    {
      validator: (request) => {
        if (alreadyApplied()) return;
        if (describe().final) throw refusal(REFUSAL.notAllowed, `the journey ended in ${describe().stage}; there is nothing to reassign`, []);
        if (!request.actor.roles.some((role: string) => REASSIGN_ROLES.includes(role))) {
          throw refusal(REFUSAL.forbidden, `reassigning needs one of the roles ${REASSIGN_ROLES.join(', ')}`, allowedFor(request.actor.roles));
        }
      },
    },
  );

  /** The journey as a migration judges it. */
  function live(): LiveJourney {
    const d = describe();
    return { stage: d.stage, status: d.status, pendingCheckpoint: d.pendingCheckpoint };
  }

  /** Refuses a move the journey cannot take now: another key or version, a stage that changed since the dry run, a blocking verdict. */
  function refuseMigration(request: MigrateRequest): void {
    const refused = (reason: string) => ApplicationFailure.create({ type: REFUSAL.migrationRefused, message: reason, nonRetryable: true });
    if (request.to.key !== definition.key) throw refused(`the journey runs ${definition.key}, not ${request.to.key}`);
    if (definition.version !== request.fromVersion) throw refused(`the journey runs on version ${definition.version}, not ${request.fromVersion}`);
    if (describe().stage !== request.expectedStage) throw refused(`the journey moved from ${request.expectedStage} to ${describe().stage} since the dry run`);
    const judged = judge(live(), definition, request.to, request.stageMap);
    if (judged.verdict !== 'ready' && judged.verdict !== 'ready_at_safe_point') throw refused(`${judged.verdict}: ${judged.reason ?? ''}`);
  }

  /** Moves the journey at a quiet point (no activity in flight or parked), judged again then. */
  async function migrate(request: MigrateRequest): Promise<MigrateResult> {
    await condition(() => describe().final || (inFlight === 0 && describe().status !== 'running' && describe().status !== 'parked'));
    const judged = judge(live(), definition, request.to, request.stageMap);
    if (judged.verdict !== 'ready' || judged.target === undefined) {
      return { result: 'refused', reason: `${judged.verdict}: ${judged.reason ?? ''}`, stage: describe().stage, version: definition.version };
    }
    const from = { version: definition.version, stage: describe().stage };
    const moved = migrateContext(snapshot.context as JourneyContext, request.to, judged.target, request.timers, now());
    definition = request.to;
    machine = compileProcess(definition, { compensation });
    snapshot = machine.resolveState({ value: judged.target, context: moved.context } as never) as Snapshot;
    projection.moveTo(definition);
    projection.audit({
      at: now(),
      type: 'migrated',
      stage: judged.target,
      detail: {
        from: from.version,
        to: definition.version,
        fromStage: from.stage,
        toStage: judged.target,
        migrationId: request.migrationId,
        timers: request.timers,
      },
    });
    for (const effect of moved.effects) execute(effect);
    record();
    return { result: 'migrated', stage: judged.target, version: definition.version };
  }

  setHandler(
    migrateUpdate,
    async (request) => {
      if (alreadyApplied()) {
        const result = definition.version === request.to.version ? 'migrated' : 'refused';
        return { result, stage: describe().stage, version: definition.version };
      }
      rememberUpdate();
      return migrate(request);
    },
    {
      validator: (request) => {
        if (alreadyApplied()) return;
        refuseMigration(request);
      },
    },
  );

  const limit = input.continueAsNewAfterEvents;
  const wantsNewRun = () => workflowInfo().continueAsNewSuggested || (limit !== undefined && workflowInfo().historyLength >= limit);
  // End or continue as new only at a quiet moment: no activity in flight (its result would be
  // lost) and no update handler mid-way (its caller would get an error). Projection writes still
  // in flight go to the next run. Nothing may be awaited between this check and continueAsNew.
  const quiet = () => inFlight === 0 && allHandlersFinished();
  await condition(() => quiet() && (describe().final || wantsNewRun()));

  if (describe().final) {
    await projection.settled();
    for (const t of timers.values()) t.scope.cancel();
    return { journeyId, stage: describe().stage, runs: (input.carryOver?.runs ?? 0) + 1 };
  }
  return continueAsNew<typeof journeyWorkflow>({
    ...input,
    // A migrated journey goes on on its new version.
    definition,
    carryOver: {
      snapshot: { value: describe().stage, context: snapshot.context },
      timers: [...timers.entries()].map(([timer, t]) => ({ timer, fireAt: t.fireAt })),
      ...projection.carryOver(),
      ownerOverride,
      runs: (input.carryOver?.runs ?? 0) + 1,
      updateIds,
    },
  });
}

function refusal(
  type: string,
  message: string,
  allowed: string[],
  where: Pick<RefusalDetails, 'stage' | 'pendingCheckpoint' | 'requiredRoles'> = {},
): ApplicationFailure {
  const details: RefusalDetails = { allowedEvents: allowed, reason: message, ...where };
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });
}

function failureOf(error: unknown): { message: string; type?: string } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return { message: cause.message, ...(cause.type ? { type: cause.type } : {}) };
  return { message: cause instanceof Error ? cause.message : String(cause) };
}
