// Static validation: schema errors and each semantic error, reported with its path.
import { describe, expect, it } from 'vitest';
import { edited, stageOf } from '../../helpers/definitions';
import {
  defaultProcess,
  InvalidProcessDefinitionError,
  processDefinitionSchema,
  validatedProcess,
  validateProcess,
  type ProcessDefinition,
} from '../../../machines/index';

function errorsOf(def: unknown) {
  const result = validateProcess(def);
  if (result.ok) throw new Error('expected the definition to be invalid');
  return result.errors;
}

describe('validateProcess', () => {
  it('accepts the default process, and its JSON round trip', () => {
    expect(validateProcess(defaultProcess)).toEqual({ ok: true, process: defaultProcess });
    expect(validateProcess(JSON.parse(JSON.stringify(defaultProcess)))).toMatchObject({ ok: true });
    expect(processDefinitionSchema.parse(defaultProcess)).toEqual(defaultProcess);
  });

  it('refuses an abandoning exit that would leave orders, stock or invoices changed', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'fulfilment').on.CANCEL = { ...stageOf(def, 'fulfilment').on.CANCEL!, compensate: false };
        stageOf(def, 'collections').on.WRITE_OFF = { target: 'written_off', compensate: false };
        // Before any order exists there is nothing to undo: opting out is allowed there.
        stageOf(def, 'opportunity').on.LOSE = { ...stageOf(def, 'opportunity').on.LOSE!, compensate: false };
      }),
    );
    expect(errors).toEqual([
      { path: 'stages.fulfilment.on.CANCEL.compensate', message: expect.stringContaining('createOrder, reserveStock, raisePurchaseOrder') },
      { path: 'stages.collections.on.WRITE_OFF.compensate', message: expect.stringContaining('issueInvoice') },
    ]);
  });

  it('reports schema errors with their paths', () => {
    const errors = errorsOf(
      edited((def) => {
        (def.policies as { paymentTerms: unknown }).paymentTerms = 30;
        (stageOf(def, 'lead') as Record<string, unknown>).onEntry = [];
        stageOf(def, 'ordering').checkpoint.role = 'salesrep' as never;
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'policies.paymentTerms', message: expect.any(String) },
        { path: 'stages.lead', message: expect.stringContaining('onEntry') },
        { path: 'stages.ordering.checkpoint.role', message: expect.any(String) },
      ]),
    );
  });

  it('rejects a retry policy that is not bounded', () => {
    const errors = errorsOf(
      edited((def) => {
        def.policies.retry.maximumAttempts = 1000;
      }),
    );
    expect(errors).toEqual([{ path: 'policies.retry.maximumAttempts', message: expect.any(String) }]);
  });

  it('takes a stage probability between 0 and 1 for the weighted pipeline', () => {
    expect(Object.values(defaultProcess.stages).every((s) => s.probability !== undefined && s.probability >= 0 && s.probability <= 1)).toBe(true);
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'opportunity').probability = 1.5;
        stageOf(def, 'quoting').probability = -0.1;
      }),
    );
    expect(errors).toEqual([
      { path: 'stages.opportunity.probability', message: expect.any(String) },
      { path: 'stages.quoting.probability', message: expect.any(String) },
    ]);
  });

  it('names an unknown target stage', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'quoting').on.CONFIRM = { target: 'quote_snet' };
      }),
    );
    expect(errors).toContainEqual({ path: 'stages.quoting.on.CONFIRM.target', message: 'unknown stage "quote_snet"' });
    const branch = errorsOf(
      edited((def) => {
        stageOf(def, 'collections').on.PAYMENT_RECEIVED = { run: [{ activity: 'applyPayment' }], then: [{ target: 'payed' }] };
      }),
    );
    expect(branch).toContainEqual({ path: 'stages.collections.on.PAYMENT_RECEIVED.then.0.target', message: 'unknown stage "payed"' });
  });

  it('finds an unreachable stage', () => {
    const errors = errorsOf(
      edited((def) => {
        def.stages.limbo = { checkpoint: { role: 'ops', approve: 'CONFIRM' }, on: { CONFIRM: { target: 'closed' } } };
      }),
    );
    expect(errors).toEqual([{ path: 'stages.limbo', message: 'stage "limbo" is unreachable from "lead"' }]);
  });

  it('finds a stage with no path to a final stage', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'opportunity').on.NURTURE = { roles: ['sales_rep'], target: 'orbit' };
        def.stages.orbit = { checkpoint: { role: 'sales_rep', approve: 'CONFIRM' }, on: { CONFIRM: { target: 'orbit2' } } };
        def.stages.orbit2 = { checkpoint: { role: 'sales_rep', approve: 'CONFIRM' }, on: { CONFIRM: { target: 'orbit' } } };
      }),
    );
    expect(errors).toEqual([
      { path: 'stages.orbit', message: 'stage "orbit" has no path to a final stage' },
      { path: 'stages.orbit2', message: 'stage "orbit2" has no path to a final stage' },
    ]);
  });

  it('needs a role or an auto policy on every checkpoint', () => {
    const errors = errorsOf(
      edited((def) => {
        delete stageOf(def, 'ordering').checkpoint.role;
      }),
    );
    expect(errors).toContainEqual({ path: 'stages.ordering.checkpoint', message: 'a checkpoint needs a role, an auto policy, or both' });
  });

  it('takes escalateTo from the roles list, and only where an SLA can be breached', () => {
    const unknownRole = errorsOf(
      edited((def) => {
        (stageOf(def, 'ordering').checkpoint as { escalateTo: string }).escalateTo = 'sales_director';
      }),
    );
    expect(unknownRole.map((e) => e.path)).toEqual(['stages.ordering.checkpoint.escalateTo']);
    const noSla = errorsOf(
      edited((def) => {
        delete stageOf(def, 'ordering').checkpoint.sla;
      }),
    );
    expect(noSla).toEqual([
      { path: 'stages.ordering.checkpoint.escalateTo', message: 'escalation follows an SLA breach: give the checkpoint or its stage an sla' },
    ]);
    const stageSla = edited((def) => {
      delete stageOf(def, 'ordering').checkpoint.sla;
      stageOf(def, 'ordering').sla = 'P2D';
    });
    expect(validateProcess(stageSla)).toMatchObject({ ok: true });
  });

  it('finds an event no role may send', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'opportunity').on.LOSE = { roles: [], target: 'lost' };
        stageOf(def, 'qualification').on.NURTURE = { target: 'nurture' };
      }),
    );
    expect(errors).toEqual([
      { path: 'stages.qualification.on.NURTURE.roles', message: 'no role may send NURTURE' },
      { path: 'stages.opportunity.on.LOSE.roles', message: 'no role may send LOSE' },
    ]);
  });

  it('refuses a repeating timer that would leave its stage or repeats dunning levels', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'nurture').after![1] = { name: 'window', delay: 'P90D', repeat: 3, target: 'disqualified' };
        stageOf(def, 'awaiting_payment').after!.find((t) => t.name === 'dunning')!.repeat = 2;
      }),
    );
    const leaves = 'a repeating timer stays in its stage: remove its target and then';
    expect(errors).toEqual([
      { path: 'stages.nurture.after.1.repeat', message: leaves },
      // The dunning timer also ends in collections.
      { path: 'stages.awaiting_payment.after.0.repeat', message: leaves },
      { path: 'stages.awaiting_payment.after.0.repeat', message: 'a dunning timer repeats by its levels already' },
    ]);
  });

  it('finds duplicate names', () => {
    const errors = errorsOf(
      edited((def) => {
        def.final.push('lost');
        stageOf(def, 'nurture').after?.push({ name: 'window', delay: 'P1D', target: 'lost' });
        stageOf(def, 'ordering').entry?.push({ activity: 'checkCredit' });
        def.policies.dunning.push({ level: 3, offset: 'P60D', fee: null, template: 'again' });
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'final.5', message: 'duplicate final stage "lost"' },
        { path: 'stages.nurture.after.2.name', message: 'duplicate timer name "window"' },
        { path: 'stages.ordering.entry.3.activity', message: expect.stringContaining('duplicate activity "checkCredit"') },
        { path: 'policies.dunning.3.level', message: 'duplicate dunning level 3' },
      ]),
    );
    expect(errors).toHaveLength(4);
  });

  it('finds a final stage that is also a stage', () => {
    const errors = errorsOf(
      edited((def) => {
        def.final.push('paid');
      }),
    );
    expect(errors).toContainEqual({ path: 'stages.paid', message: expect.stringContaining('both a final stage') });
  });

  it('finds an activity that is not in the catalogue', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'lead').entry?.splice(1, 1, { activity: 'enrichProfil' });
        stageOf(def, 'fulfilment').on.RESTOCKED = { roles: ['warehouse'], run: [{ activity: 'reserveStocks' }] };
      }),
    );
    expect(errors).toEqual([
      { path: 'stages.lead.entry.1.activity', message: '"enrichProfil" is not in the activity catalogue' },
      { path: 'stages.fulfilment.on.RESTOCKED.run.0.activity', message: '"reserveStocks" is not in the activity catalogue' },
    ]);
  });

  it('finds a bad duration wherever it is', () => {
    const errors = errorsOf(
      edited((def) => {
        def.policies.paymentTerms = '30 days';
        def.policies.dunning[1] = { level: 2, offset: 'P', fee: null, template: 'x' };
        stageOf(def, 'quote_sent').after = [{ name: 'expiry', delay: 'P7', target: 'opportunity' }];
        stageOf(def, 'lead').checkpoint.sla = 'PT';
      }),
    );
    expect(errors.map((e) => e.path).sort()).toEqual([
      'policies.dunning.1.offset',
      'policies.paymentTerms',
      'stages.lead.checkpoint.sla',
      'stages.quote_sent.after.0.delay',
    ]);
    expect(errors[0]?.message).toContain('ISO-8601');
  });

  it('finds a guard on an unknown field, at any depth', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'qualification').checkpoint.auto = { field: 'scor', op: 'gte', policy: 'sqlThreshold' };
        stageOf(def, 'fulfilment').on.PICKED = {
          roles: ['warehouse'],
          mark: 'shipment.pickedAt',
          guard: { all: [{ not: { field: 'stock.reservd', op: 'absent' } }] },
        };
      }),
    );
    expect(errors).toEqual([
      { path: 'stages.qualification.checkpoint.auto.field', message: 'unknown field "scor"' },
      { path: 'stages.fulfilment.on.PICKED.guard.all.0.not.field', message: 'unknown field "stock.reservd"' },
    ]);
  });

  it('checks what guards compare with', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'qualification').checkpoint.auto = { field: 'score', op: 'gte', policy: 'sqlThreshhold' };
        stageOf(def, 'lead').checkpoint.auto = { field: 'lead.duplicateOf', op: 'gt', value: 3 };
        stageOf(def, 'quoting').checkpoint.auto = { field: 'quote.maxDiscountPct', op: 'absent', value: 3 };
      }),
    );
    expect(errors.map((e) => e.path)).toEqual([
      'stages.lead.checkpoint.auto.op',
      'stages.qualification.checkpoint.auto.policy',
      'stages.quoting.checkpoint.auto.op',
    ]);
  });

  it('finds unknown events, events for parked work, and checkpoints without their transition', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'ordering').on.ESCALATE = { roles: ['ops'], target: 'cancelled' };
        stageOf(def, 'ordering').on.RETRY = { roles: ['ops'], target: 'cancelled' };
        stageOf(def, 'ordering').checkpoint.reject = 'REJECT';
      }),
    );
    expect(errors).toEqual([
      { path: 'stages.ordering.checkpoint.reject', message: 'no transition for REJECT' },
      { path: 'stages.ordering.on.ESCALATE', message: 'unknown event "ESCALATE"' },
      { path: 'stages.ordering.on.RETRY', message: expect.stringContaining('built in') },
    ]);
  });

  it('refuses auto policies that would loop or need data', () => {
    const errors = errorsOf(
      edited((def) => {
        stageOf(def, 'paid').on.CONFIRM = { target: 'paid' };
        stageOf(def, 'fulfilment').checkpoint.auto = true;
        // Branches that may all miss would leave the journey confirming forever.
        stageOf(def, 'invoicing').on.CONFIRM = { then: [{ when: { field: 'invoice.amountDue', op: 'eq', value: 0 }, target: 'paid' }] };
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'stages.fulfilment.checkpoint.auto', message: 'SHIPPED carries data the system cannot supply' },
        { path: 'stages.paid.checkpoint.auto', message: expect.stringContaining('a target to another stage') },
        { path: 'stages.invoicing.checkpoint.auto', message: expect.stringContaining('ending with one without when') },
      ]),
    );
  });

  it('checks policies and marks', () => {
    const errors = errorsOf(
      edited((def) => {
        def.policies.sqlThreshold = 10;
        stageOf(def, 'quote_sent').after = [{ name: 'expiry', delay: { policy: 'quoteValidty' }, mark: 'quote.total', target: 'opportunity' }];
      }),
    );
    expect(errors).toEqual([
      { path: 'policies.sqlThreshold', message: 'must not be below mqlThreshold' },
      { path: 'stages.quote_sent.after.0.delay.policy', message: expect.stringContaining('quoteValidty') },
      { path: 'stages.quote_sent.after.0.mark', message: '"quote.total" is not a markable field' },
    ]);
  });

  it('validatedProcess, where a definition enters, refuses an invalid one with the same errors', () => {
    const bad = edited((def) => {
      stageOf(def, 'quoting').on.CONFIRM = { target: 'nowhere' };
    }) as ProcessDefinition;
    expect(() => validatedProcess(bad)).toThrow(InvalidProcessDefinitionError);
    try {
      validatedProcess(bad);
      expect.unreachable('validatedProcess accepted an invalid definition');
    } catch (error) {
      expect((error as InvalidProcessDefinitionError).code).toBe('invalid_process_definition');
      expect((error as InvalidProcessDefinitionError).errors).toContainEqual({ path: 'stages.quoting.on.CONFIRM.target', message: 'unknown stage "nowhere"' });
    }
  });
});
