// `lead-to-cash` version 1: the default process of DESIGN.md section 3, in the format ops edit.
import type { ProcessDefinition, TransitionDefinition } from './schema/processDefinition.js';

/** CANCEL from every stage before shipping; it cuts into running or parked activities. */
const cancel: TransitionDefinition = { roles: ['sales_manager', 'ops'], interrupts: true, target: 'cancelled' };
const salesTeam: TransitionDefinition['roles'] = ['sales_rep', 'sales_manager'];
/** A skipped credit check leaves the credit unknown: only a failed one holds the order. */
const creditNotHeld = { field: 'credit.approved', op: 'neq', value: false } as const;
const paidInFull = { field: 'invoice.paidInFull', op: 'eq', value: true } as const;
/** Paid in full: on to paid, unless the over-payment's credit exceeds the tolerance (finance looks first). */
const settledBy: TransitionDefinition['then'] = [
  { when: { all: [paidInFull, { field: 'payment.credit', op: 'gt', policy: 'overpaymentTolerance' }] }, target: 'overpayment_review' },
  { when: paidInFull, target: 'paid' },
];

export const defaultProcess: ProcessDefinition = {
  key: 'lead-to-cash',
  version: 1,
  title: 'Lead to cash',
  initial: 'lead',
  policies: {
    mqlThreshold: 40,
    sqlThreshold: 70,
    discountApprovalLimitPct: 15,
    overpaymentTolerance: 5,
    paymentTerms: 'P30D',
    quoteValidity: 'P30D',
    nurtureWindow: 'P90D',
    dunning: [
      { level: 1, offset: 'P7D', fee: null, template: 'dunning-reminder' },
      { level: 2, offset: 'P21D', fee: { amount: '15.00', currency: 'EUR' }, template: 'dunning-second-notice' },
      { level: 3, offset: 'P35D', fee: null, template: 'dunning-final-notice' },
    ],
    retry: { maximumAttempts: 5, initialInterval: 'PT1S', backoffCoefficient: 2, maximumInterval: 'PT1M' },
  },
  recovery: { retry: ['finance', 'ops'], skip: ['finance', 'ops'] },
  stages: {
    lead: {
      probability: 0.05,
      label: 'New lead',
      description: 'Capture, dedupe, enrich, assign and answer the inquiry.',
      entry: [{ activity: 'captureLead' }, { activity: 'enrichProfile' }, { activity: 'assignLead' }, { activity: 'sendAutoResponse' }],
      checkpoint: {
        role: 'sales_rep',
        auto: {
          all: [
            { field: 'lead.duplicateOf', op: 'absent' },
            { field: 'lead.requiredFieldsPresent', op: 'eq', value: true },
          ],
        },
        sla: 'PT4H',
        // A lead nobody answered in four hours: the rep's manager may decide it.
        escalateTo: 'sales_manager',
        approve: 'CONFIRM',
        reject: 'REJECT',
      },
      on: { CONFIRM: { target: 'qualification' }, REJECT: { target: 'disqualified' }, CANCEL: cancel },
    },
    qualification: {
      probability: 0.1,
      label: 'Qualifying',
      description: 'Score fit and engagement against the MQL/SQL thresholds.',
      entry: [{ activity: 'scoreLead' }],
      checkpoint: {
        role: 'sales_rep',
        auto: { field: 'score', op: 'gte', policy: 'sqlThreshold' },
        sla: 'P2D',
        approve: 'QUALIFY',
        reject: 'DISQUALIFY',
      },
      on: {
        QUALIFY: { target: 'opportunity' },
        NURTURE: { roles: ['sales_rep'], target: 'nurture' },
        DISQUALIFY: { target: 'disqualified' },
        CANCEL: cancel,
      },
    },
    nurture: {
      probability: 0.05,
      label: 'Nurturing',
      description: 'Keep the lead warm until it shows intent again or the window closes.',
      // DESIGN names no checkpoint here. As in a CRM's nurture track, the owner decides to
      // re-engage when the lead shows new intent; the window's end disqualifies it.
      checkpoint: { role: 'sales_rep', approve: 'RE_ENGAGE' },
      wait: { for: 'customer' },
      on: { RE_ENGAGE: { target: 'qualification' }, CANCEL: cancel },
      after: [
        // The cadence: an email every two weeks, at most four, each with an unsubscribe link.
        { name: 'touch', delay: 'P14D', repeat: 4, run: [{ activity: 'sendNurtureEmail' }] },
        { name: 'window', delay: { policy: 'nurtureWindow' }, target: 'disqualified' },
      ],
    },
    opportunity: {
      probability: 0.2,
      label: 'Opportunity',
      description: 'Record needs; the owner gets a follow-up task.',
      entry: [{ activity: 'createFollowUpTask' }],
      checkpoint: { role: 'sales_rep', sla: 'P14D', approve: 'PROPOSE', reject: 'LOSE' },
      on: {
        PROPOSE: { roles: salesTeam, target: 'quoting' },
        LOSE: { roles: salesTeam, target: 'lost' },
        CANCEL: cancel,
      },
    },
    quoting: {
      probability: 0.4,
      label: 'Preparing the quote',
      description: 'Price the quote; a manager approves discounts over the limit.',
      entry: [{ activity: 'priceQuote' }],
      checkpoint: {
        role: 'sales_manager',
        auto: { field: 'quote.maxDiscountPct', op: 'lte', policy: 'discountApprovalLimitPct' },
        sla: 'P1D',
        approve: 'CONFIRM',
        reject: 'REJECT',
        notBy: 'quote.author',
      },
      on: { CONFIRM: { target: 'quote_sent' }, REJECT: { target: 'opportunity' }, CANCEL: cancel },
    },
    quote_sent: {
      probability: 0.5,
      label: 'Quote with the customer',
      description: 'The customer has the quote until it expires.',
      entry: [{ activity: 'sendQuote' }],
      // DESIGN names no checkpoint here. The customer decides; the owner records that decision,
      // as a CRM keeps acceptance a person's act rather than an unattended email reply.
      checkpoint: { role: 'sales_rep', approve: 'ACCEPT', reject: 'DECLINE' },
      wait: { for: 'customer' },
      on: {
        ACCEPT: { roles: salesTeam, target: 'ordering' },
        REVISE: { roles: salesTeam, target: 'quoting' },
        DECLINE: { roles: salesTeam, target: 'lost' },
        CANCEL: cancel,
      },
      after: [{ name: 'expiry', delay: { policy: 'quoteValidity' }, mark: 'quote.expiredAt', target: 'opportunity' }],
    },
    ordering: {
      probability: 0.8,
      label: 'Confirming the order',
      description: 'Create the sales order from the accepted quote and check credit.',
      entry: [{ activity: 'createOrder' }, { activity: 'checkCredit' }, { activity: 'recommendAccessories' }],
      checkpoint: { role: 'sales_rep', sla: 'P1D', escalateTo: 'sales_manager', approve: 'CONFIRM' },
      on: {
        // A credit hold (the account's limit exceeded) stops the confirmation until finance releases it.
        CONFIRM: { guard: creditNotHeld, target: 'fulfilment' },
        // Suggested accessories or substitutes join the order before it is confirmed; credit is checked again.
        ADD_LINES: { roles: salesTeam, run: [{ activity: 'addOrderLines' }, { activity: 'checkCredit' }] },
        RELEASE_CREDIT_HOLD: {
          roles: ['finance'],
          guard: { field: 'credit.approved', op: 'eq', value: false },
          confirms: true,
          run: [{ activity: 'releaseCreditHold' }],
        },
        CANCEL: cancel,
      },
    },
    fulfilment: {
      probability: 0.9,
      label: 'Picking and shipping',
      description: 'Reserve stock (restock when short), then pick, pack and ship.',
      entry: [{ activity: 'reserveStock' }, { activity: 'raisePurchaseOrder', when: { field: 'stock.reserved', op: 'eq', value: false } }],
      checkpoint: { role: 'warehouse', sla: 'P5D', approve: 'SHIPPED' },
      wait: { for: 'restock', when: { field: 'stock.reserved', op: 'eq', value: false } },
      on: {
        RESTOCKED: {
          roles: ['warehouse'],
          guard: { field: 'stock.reserved', op: 'eq', value: false },
          run: [{ activity: 'reserveStock' }],
        },
        // A skipped reservation leaves stock.reserved unknown: the warehouse may still pick.
        PICKED: {
          roles: ['warehouse'],
          guard: {
            all: [
              { field: 'stock.reserved', op: 'neq', value: false },
              { field: 'shipment.pickedAt', op: 'absent' },
            ],
          },
          mark: 'shipment.pickedAt',
        },
        PACKED: {
          roles: ['warehouse'],
          guard: {
            all: [
              { field: 'shipment.pickedAt', op: 'present' },
              { field: 'shipment.packedAt', op: 'absent' },
            ],
          },
          mark: 'shipment.packedAt',
        },
        SHIPPED: {
          guard: { field: 'shipment.packedAt', op: 'present' },
          mark: 'shipment.shippedAt',
          run: [{ activity: 'notifyShipment' }],
          target: 'invoicing',
        },
        CANCEL: { ...cancel, guard: { field: 'shipment.shippedAt', op: 'absent' } },
      },
    },
    invoicing: {
      probability: 0.95,
      label: 'Invoicing',
      description: 'Issue and send the invoice.',
      entry: [{ activity: 'issueInvoice' }, { activity: 'sendInvoice' }],
      checkpoint: { role: 'finance', auto: true, sla: 'P1D', approve: 'CONFIRM' },
      on: {
        CONFIRM: {
          // Nothing to collect (a 100% discount): settled at once, no dunning.
          then: [{ when: { field: 'invoice.amountDue', op: 'eq', value: 0 }, target: 'paid' }, { target: 'awaiting_payment' }],
        },
      },
    },
    awaiting_payment: {
      probability: 0.95,
      label: 'Awaiting payment',
      description: 'Apply payments; dun per policy, then hand over to collections.',
      checkpoint: { role: 'finance', approve: 'PAYMENT_RECEIVED', reject: 'WRITE_OFF' },
      wait: { for: 'payment' },
      on: {
        PAYMENT_RECEIVED: {
          run: [{ activity: 'applyPayment' }],
          then: settledBy,
        },
        WRITE_OFF: { target: 'written_off' },
      },
      after: [
        {
          name: 'dunning',
          delay: { policy: 'dunning' },
          anchor: 'invoice.dueDate',
          run: [{ activity: 'sendDunningNotice' }],
          target: 'collections',
        },
      ],
    },
    collections: {
      probability: 0.5,
      label: 'In collections',
      description: 'Finance chases the debt or writes it off.',
      checkpoint: { role: 'finance', sla: 'P14D', approve: 'PAYMENT_RECEIVED', reject: 'WRITE_OFF' },
      on: {
        PAYMENT_RECEIVED: {
          run: [{ activity: 'applyPayment' }],
          then: settledBy,
        },
        WRITE_OFF: { target: 'written_off' },
      },
    },
    overpayment_review: {
      probability: 1,
      label: 'Reviewing an over-payment',
      description: 'Paid more than the tolerance: finance confirms the credit kept on the account.',
      checkpoint: { role: 'finance', sla: 'P2D', approve: 'CONFIRM' },
      on: { CONFIRM: { target: 'paid' } },
    },
    paid: {
      probability: 1,
      label: 'Paid',
      description: 'Reconcile payments with the invoice, then close.',
      entry: [{ activity: 'reconcile' }],
      checkpoint: { auto: true, approve: 'CONFIRM' },
      on: { CONFIRM: { target: 'closed' } },
    },
  },
  final: ['closed', 'disqualified', 'lost', 'cancelled', 'written_off'],
  finalLabels: { closed: 'Closed (won and paid)', disqualified: 'Disqualified', lost: 'Lost', cancelled: 'Cancelled', written_off: 'Written off' },
  // Events whose key read as words says less than their label.
  eventLabels: {
    RE_ENGAGE: 'Re-engage',
    ADD_LINES: 'Add lines',
    PAYMENT_RECEIVED: 'Payment received',
    RELEASE_CREDIT_HOLD: 'Release credit hold',
    WRITE_OFF: 'Write off',
  },
};
