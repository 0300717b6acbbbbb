// Demo data for `npm start` and the tests: products (EUR) with accessories and substitutes, the
// price book, VAT rates, stock (CAM-100 short, so purchase orders happen), company profiles,
// response rules, users (a manager and two sales teams, warehouse, finance, ops) and templates.
// Idempotent: rows are inserted when missing and never overwritten, so edits by ops survive restarts.
import type { Knex } from 'knex';
import { builtInTemplates } from '../emailTemplates';

export const demoUsers = [
  { id: 'usr-manager', name: 'Maria Manager', email: 'maria.manager@lead-to-cash.local', roles: ['sales_manager'], manager_id: null, team: null },
  { id: 'usr-dach-1', name: 'Dieter Dach', email: 'dieter.dach@lead-to-cash.local', roles: ['sales_rep'], manager_id: 'usr-manager', team: 'dach' },
  { id: 'usr-dach-2', name: 'Doris Dach', email: 'doris.dach@lead-to-cash.local', roles: ['sales_rep'], manager_id: 'usr-manager', team: 'dach' },
  { id: 'usr-west-1', name: 'Wendy West', email: 'wendy.west@lead-to-cash.local', roles: ['sales_rep'], manager_id: 'usr-manager', team: 'west' },
  { id: 'usr-west-2', name: 'Walter West', email: 'walter.west@lead-to-cash.local', roles: ['sales_rep'], manager_id: 'usr-manager', team: 'west' },
  { id: 'usr-warehouse', name: 'Willi Warehouse', email: 'warehouse@lead-to-cash.local', roles: ['warehouse'], manager_id: null, team: null },
  { id: 'usr-finance', name: 'Fiona Finance', email: 'finance@lead-to-cash.local', roles: ['finance'], manager_id: null, team: null },
  { id: 'usr-ops', name: 'Otto Ops', email: 'ops@lead-to-cash.local', roles: ['ops'], manager_id: null, team: null },
] as const;

const products = [
  { sku: 'CAM-100', name: 'Security camera', category: 'cameras', supplier: 'Optik Werke GmbH', price: '120.00', stock: 5 },
  { sku: 'CAM-200', name: 'Security camera pro', category: 'cameras', supplier: 'Optik Werke GmbH', price: '199.00', stock: 40 },
  { sku: 'MNT-10', name: 'Wall mount', category: 'accessories', supplier: 'Metallbau Nord', price: '15.00', stock: 200 },
  { sku: 'SD-64', name: 'Memory card 64 GB', category: 'accessories', supplier: 'Chip Distribution BV', price: '19.90', stock: 150 },
  { sku: 'HUB-1', name: 'Smart hub', category: 'smart-home', supplier: 'Hubtronic SA', price: '89.00', stock: 60 },
  { sku: 'SEN-5', name: 'Door sensor (5 pack)', category: 'sensors', supplier: 'Hubtronic SA', price: '24.50', stock: 300 },
  { sku: 'PSU-12', name: 'Power supply 12 V', category: 'accessories', supplier: 'Chip Distribution BV', price: '12.00', stock: 120 },
];

const accessories = [
  ['CAM-100', 'MNT-10'],
  ['CAM-100', 'SD-64'],
  ['CAM-200', 'MNT-10'],
  ['CAM-200', 'SD-64'],
  ['CAM-200', 'PSU-12'],
  ['HUB-1', 'PSU-12'],
  ['HUB-1', 'SEN-5'],
];

const substitutes = [
  ['CAM-100', 'CAM-200'],
  ['CAM-200', 'CAM-100'],
];

const taxRates: Record<string, string> = {
  DE: '19',
  AT: '20',
  CH: '8.1',
  FR: '20',
  NL: '21',
  BE: '21',
  LU: '17',
  GB: '20',
  IE: '23',
  IT: '22',
  ES: '21',
  PT: '23',
  PL: '23',
  CZ: '21',
  SE: '25',
  DK: '25',
  FI: '25.5',
  NO: '25',
  US: '0',
  CA: '0',
};

const companyProfiles = [
  { domain: 'acme.example', name: 'Acme GmbH', company_size: 1200, industry: 'Manufacturing', country: 'DE', credit_limit: '50000.00' },
  { domain: 'globex.example', name: 'Globex Corporation', company_size: 250, industry: 'Retail', country: 'FR', credit_limit: '20000.00' },
  { domain: 'initech.example', name: 'Initech BV', company_size: 40, industry: 'Software', country: 'NL', credit_limit: '5000.00' },
  { domain: 'umbrella.example', name: 'Umbrella Pharma plc', company_size: 5000, industry: 'Pharma', country: 'GB', credit_limit: '100000.00' },
  { domain: 'hooli.example', name: 'Hooli Inc.', company_size: 800, industry: 'Technology', country: 'US', credit_limit: '30000.00' },
  { domain: 'kleinbetrieb.example', name: 'Kleinbetrieb Schulz', company_size: 6, industry: 'Logistics', country: 'AT', credit_limit: '1000.00' },
];

const responseRules = [
  {
    id: 'rule-dach-enterprise',
    name: 'DACH enterprise',
    priority: 10,
    country: 'DE',
    min_company_size: 1000,
    max_company_size: null,
    product_interest: null,
    team: 'dach',
    owner_id: 'usr-dach-1',
    template_key: 'auto_response_enterprise',
  },
  {
    id: 'rule-dach-de',
    name: 'DACH Germany',
    priority: 20,
    country: 'DE',
    min_company_size: null,
    max_company_size: null,
    product_interest: null,
    team: 'dach',
    owner_id: null,
    template_key: null,
  },
  {
    id: 'rule-dach-at',
    name: 'DACH Austria',
    priority: 21,
    country: 'AT',
    min_company_size: null,
    max_company_size: null,
    product_interest: null,
    team: 'dach',
    owner_id: null,
    template_key: null,
  },
  {
    id: 'rule-dach-ch',
    name: 'DACH Switzerland',
    priority: 22,
    country: 'CH',
    min_company_size: null,
    max_company_size: null,
    product_interest: null,
    team: 'dach',
    owner_id: null,
    template_key: null,
  },
  {
    id: 'rule-west',
    name: 'West',
    priority: 100,
    country: null,
    min_company_size: null,
    max_company_size: null,
    product_interest: null,
    team: 'west',
    owner_id: null,
    template_key: null,
  },
];

/** Auto-responses by rule or product interest ("Thank you for your interest", trial information). */
function autoResponse(key: string, productInterest: string | null, subject: string, body: string) {
  return {
    key,
    kind: 'auto_response',
    product_interest: productInterest,
    subject,
    text_body: `Hello {{name}},\n\nthank you for your interest{{interestText}}. ${body}: {{ownerName}} ({{ownerEmail}}).\n\nKind regards,\nYour Lead-to-Cash sales team`,
    html_body: `<p>Hello {{name}},</p><p>thank you for your interest{{interestText}}. ${body}: {{ownerName}} (<a href="mailto:{{ownerEmail}}">{{ownerEmail}}</a>).</p><p>Kind regards,<br>Your Lead-to-Cash sales team</p>`,
  };
}

const templates = [
  ...builtInTemplates.map((t) => ({ key: t.key, kind: t.kind, product_interest: null, subject: t.subject, text_body: t.text, html_body: t.html })),
  autoResponse('auto_response_enterprise', null, 'Your enquiry, {{name}}: your personal contact', 'As a large organisation you have a personal contact'),
  autoResponse(
    'auto_response_cameras',
    'cameras',
    'Trial and login information for our cameras',
    'Your trial login and materials are on their way; your contact',
  ),
  autoResponse('auto_response_smart_home', 'smart-home', 'Getting started with the smart hub', 'Your getting-started guide is on its way; your contact'),
];

async function insertMissing(trx: Knex.Transaction, table: string, rows: object[], key: string[]): Promise<void> {
  if (rows.length > 0) await trx(table).insert(rows).onConflict(key).ignore();
}

export async function seedDemo(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    // Managers first: reps reference them.
    await insertMissing(
      trx,
      'users',
      demoUsers.filter((u) => !u.manager_id).map((u) => ({ ...u, roles: [...u.roles] })),
      ['id'],
    );
    await insertMissing(
      trx,
      'users',
      demoUsers.filter((u) => u.manager_id).map((u) => ({ ...u, roles: [...u.roles] })),
      ['id'],
    );
    await insertMissing(
      trx,
      'products',
      products.map(({ sku, name, category, supplier }) => ({ sku, name, category, supplier })),
      ['sku'],
    );
    await insertMissing(
      trx,
      'price_book',
      products.map((p) => ({ sku: p.sku, currency: 'EUR', unit_price: p.price })),
      ['sku', 'currency'],
    );
    await insertMissing(
      trx,
      'stock',
      products.map((p) => ({ sku: p.sku, on_hand: p.stock, reorder_point: Math.ceil(p.stock / 5) })),
      ['sku'],
    );
    await insertMissing(
      trx,
      'product_accessories',
      accessories.map(([sku, accessory_sku]) => ({ sku, accessory_sku })),
      ['sku', 'accessory_sku'],
    );
    await insertMissing(
      trx,
      'product_substitutes',
      substitutes.map(([sku, substitute_sku]) => ({ sku, substitute_sku })),
      ['sku', 'substitute_sku'],
    );
    await insertMissing(
      trx,
      'tax_rates',
      Object.entries(taxRates).map(([country, rate_pct]) => ({ country, rate_pct })),
      ['country'],
    );
    await insertMissing(trx, 'company_profiles', companyProfiles, ['domain']);
    await insertMissing(trx, 'response_rules', responseRules, ['id']);
    await insertMissing(trx, 'email_templates', templates, ['key']);
  });
}
