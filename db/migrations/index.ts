// Every migration, in the order it runs. Add new ones at the end; never rename an applied one.
import type { Knex } from 'knex';
import * as journeys from './0001_journeys';
import * as peopleAndLeads from './0002_people_and_leads';
import * as catalogue from './0003_catalogue';
import * as quotesOrders from './0004_quotes_orders';
import * as billing from './0005_billing';
import * as outboxAndIdempotency from './0006_outbox_and_idempotency';
import * as api from './0100_api';
import * as outboxLeases from './0101_outbox_leases';
import * as journeysStuck from './0102_journeys_stuck';
import * as fieldBounds from './0103_field_bounds';
import * as confirmationAudit from './0104_confirmation_audit';
import * as userLifecycle from './0105_user_lifecycle';
import * as duplicateLeads from './0106_duplicate_leads';
import * as rateCounts from './0107_rate_counts';
import * as compensation from './0108_compensation';
import * as bankStatements from './0109_bank_statements';
import * as stageTransitions from './0110_stage_transitions';
import * as journeyMilestones from './0111_journey_milestones';
import * as emailAttachments from './0112_email_attachments';
import * as usersChanged from './0114_users_changed';
import * as processRouting from './0115_process_routing';
import * as purchaseOrderReceipts from './0117_purchase_order_receipts';
import * as addresses from './0118_addresses';
import * as reportRollups from './0119_report_rollups';
import * as processMigrations from './0120_process_migrations';
import * as captureChannels from './0121_capture_channels';
import * as editableRulesAndTemplates from './0122_editable_rules_and_templates';
import * as creditUse from './0123_credit_use';
import * as orderAddOns from './0124_order_add_ons';
import * as nurtureUnsubscribes from './0125_nurture_unsubscribes';
import * as freedStockRestocks from './0127_freed_stock_restocks';
import * as listUnsubscribe from './0128_list_unsubscribe';
import * as rollupWritersInTurn from './0129_rollup_writers_in_turn';

export const migrations: Record<string, Knex.Migration> = {
  '0001_journeys': journeys,
  '0002_people_and_leads': peopleAndLeads,
  '0003_catalogue': catalogue,
  '0004_quotes_orders': quotesOrders,
  '0005_billing': billing,
  '0006_outbox_and_idempotency': outboxAndIdempotency,
  '0100_api': api,
  '0101_outbox_leases': outboxLeases,
  '0102_journeys_stuck': journeysStuck,
  '0103_field_bounds': fieldBounds,
  '0104_confirmation_audit': confirmationAudit,
  '0105_user_lifecycle': userLifecycle,
  '0106_duplicate_leads': duplicateLeads,
  '0107_rate_counts': rateCounts,
  '0108_compensation': compensation,
  '0109_bank_statements': bankStatements,
  '0110_stage_transitions': stageTransitions,
  '0111_journey_milestones': journeyMilestones,
  '0112_email_attachments': emailAttachments,
  '0114_users_changed': usersChanged,
  '0115_process_routing': processRouting,
  '0117_purchase_order_receipts': purchaseOrderReceipts,
  '0118_addresses': addresses,
  '0119_report_rollups': reportRollups,
  '0120_process_migrations': processMigrations,
  '0121_capture_channels': captureChannels,
  '0122_editable_rules_and_templates': editableRulesAndTemplates,
  '0123_credit_use': creditUse,
  '0124_order_add_ons': orderAddOns,
  '0125_nurture_unsubscribes': nurtureUnsubscribes,
  '0127_freed_stock_restocks': freedStockRestocks,
  '0128_list_unsubscribe': listUnsubscribe,
  '0129_rollup_writers_in_turn': rollupWritersInTurn,
};
