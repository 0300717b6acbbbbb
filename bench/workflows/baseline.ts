// The journeys benchmark's baseline: the default process hand-written as straight-line workflow
// code, with the same activities, the same projection writes per stage and the same events, but
// no process definition and no xstate. What the generic engine costs is the difference. Each stage
// it enters is written as the engine writes it, with its transition (which the reports' roll-ups
// count), since a hand-written journey would keep that record too.
import { condition, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { JourneyRecord } from '../../activities/journeyRecord';
import type { CatalogueActivities, LeadInput, Money, QuoteLine } from '../../machines/schema/activityCatalogue';
import type { TransitionRequest } from '../../workflows/messages';

export const baselineEvent = defineUpdate<{ stage: string }, [TransitionRequest]>('transition');

type Activities = CatalogueActivities & { recordJourney(record: JourneyRecord): Promise<void> };
const a = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 5, initialInterval: 1000 } });

export async function baselineJourneyWorkflow(input: { journeyId: string; lead: LeadInput }): Promise<{ stage: string }> {
  const { journeyId, lead } = input;
  let stage = 'lead';
  let version = 0;
  let waitingFor: string | null = null;
  let received: TransitionRequest | null = null;
  let amount: Money | null = null;
  const enteredAt = () => new Date().toISOString();

  // An event waits until the journey is ready for it, then returns at the next point of rest.
  setHandler(baselineEvent, async (request) => {
    await condition(() => waitingFor === request.type);
    received = request;
    waitingFor = null;
    await condition(() => waitingFor !== null || stage === 'closed');
    return { stage };
  });

  async function enter(next: string): Promise<void> {
    const from = stage;
    stage = next;
    const at = enteredAt();
    const entry =
      version === 0
        ? ({ seq: 1, at, type: 'started', stage, detail: {} } as const)
        : ({ seq: version + 1, at, type: 'transition', stage, detail: { from, to: stage } } as const);
    await a.recordJourney({
      journeyId,
      workflowId: workflowInfo().workflowId,
      definition: { key: 'baseline', version: 1 },
      version: ++version,
      stage,
      status: 'running',
      stageEnteredAt: at,
      ownerId: null,
      lead: { name: lead.name, email: lead.email, company: lead.company ?? null },
      amount,
      pending: null,
      parked: null,
      slaDueAt: null,
      audit: [entry],
    });
  }

  async function next(type: string): Promise<TransitionRequest> {
    received = null;
    waitingFor = type;
    await condition(() => received !== null);
    return received as unknown as TransitionRequest;
  }

  const call = <T>(activity: keyof CatalogueActivities, inputOf: unknown) =>
    (a[activity] as unknown as (c: { journeyId: string; step: string; input: unknown }) => Promise<T>)({
      journeyId,
      step: `${stage}#1:${activity}`,
      input: inputOf,
    });

  await enter('lead');
  const captured = await call<{ leadId: string }>('captureLead', { lead });
  await call('enrichProfile', { leadId: captured.leadId });
  const assigned = await call<{ ownerId: string | null }>('assignLead', { leadId: captured.leadId });
  await call('sendAutoResponse', { leadId: captured.leadId });
  await enter('qualification');
  await call('scoreLead', { leadId: captured.leadId, mqlThreshold: 40, sqlThreshold: 70 });
  await enter('opportunity');
  const opportunity = await call<{ opportunityId: string }>('createFollowUpTask', { leadId: captured.leadId, ownerId: assigned.ownerId });
  const proposal = await next('PROPOSE');
  await enter('quoting');
  const quote = await call<{ quoteId: string; total: Money }>('priceQuote', {
    opportunityId: opportunity.opportunityId,
    lines: (proposal.data as { lines: QuoteLine[] }).lines,
    validity: 'P30D',
    author: proposal.actor.id,
  });
  amount = quote.total;
  await enter('quote_sent');
  await call('sendQuote', { quoteId: quote.quoteId });
  await next('ACCEPT');
  await enter('ordering');
  const order = await call<{ orderId: string }>('createOrder', { quoteId: quote.quoteId });
  await call('checkCredit', { orderId: order.orderId });
  await call('recommendAccessories', { orderId: order.orderId });
  await enter('fulfilment');
  await call('reserveStock', { orderId: order.orderId });
  await next('PICKED');
  await next('PACKED');
  const shipped = (await next('SHIPPED')).data as { carrier: string; trackingNumber: string };
  await call('notifyShipment', { orderId: order.orderId, ...shipped });
  await enter('invoicing');
  const invoice = await call<{ invoiceId: string; amountDue: Money }>('issueInvoice', { orderId: order.orderId, paymentTerms: 'P30D' });
  await call('sendInvoice', { invoiceId: invoice.invoiceId });
  amount = invoice.amountDue;
  await enter('awaiting_payment');
  const payment = (await next('PAYMENT_RECEIVED')).data as Money & { reference: string };
  await call('applyPayment', { invoiceId: invoice.invoiceId, payment });
  await enter('paid');
  await call('reconcile', { invoiceId: invoice.invoiceId });
  await enter('closed');
  return { stage };
}
