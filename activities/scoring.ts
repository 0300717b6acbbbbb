// Lead scoring: fit (who they are, 0..60) plus engagement (how they came and what they asked,
// 0..40), graded against the definition's MQL and SQL thresholds. Every factor is stored with the
// score so a rep can see why.
import { businessDomain } from './dedupe';
import { taxRate } from '../db/queries/catalogue';
import { countLeadsOfContact, insertScore, lockLead, updateLead, type LeadRow } from '../db/queries/leads';
import type { ActivityInput, ActivityResult, LeadInput } from '../machines/schema/activityCatalogue';
import { notFound } from './support/failures';
import type { StepContext } from './support/run';

const TARGET_INDUSTRIES = new Set(['manufacturing', 'retail', 'logistics', 'technology', 'software']);

const SOURCE_POINTS: Record<LeadInput['source'], number> = {
  referral: 15,
  event: 12,
  web_form: 10,
  phone: 10,
  email: 8,
  api: 5,
  social: 5,
  import: 3,
};

function sizePoints(size: number | null): number {
  if (size == null) return 0;
  if (size >= 1000) return 25;
  if (size >= 200) return 20;
  if (size >= 50) return 15;
  if (size >= 10) return 8;
  return 3;
}

function scoreFactors(lead: LeadRow, servedCountry: boolean, earlierInquiries: number): Record<string, number> {
  const industry = lead.industry?.toLowerCase();
  return {
    companySize: sizePoints(lead.company_size),
    country: servedCountry ? 10 : 0,
    industry: industry ? (TARGET_INDUSTRIES.has(industry) ? 10 : 5) : 0,
    businessEmail: businessDomain(lead.email) ? 10 : 0,
    phone: lead.phone ? 5 : 0,
    source: SOURCE_POINTS[lead.source as LeadInput['source']] ?? 0,
    productInterest: lead.product_interest ? 10 : 0,
    message: !lead.message ? 0 : lead.message.length > 200 ? 8 : lead.message.length > 20 ? 5 : 2,
    repeatInquiries: Math.min(10, earlierInquiries * 5),
  };
}

const FIT = ['companySize', 'country', 'industry', 'businessEmail', 'phone'];

export async function scoreLead(input: ActivityInput<'scoreLead'>, ctx: StepContext): Promise<ActivityResult<'scoreLead'>> {
  const { trx } = ctx;
  const lead = await lockLead(trx, input.leadId);
  if (!lead) throw notFound('lead', input.leadId);
  const served = lead.country ? (await taxRate(trx, lead.country)) !== undefined : false;
  const earlier = (await countLeadsOfContact(trx, lead.contact_id)) - 1;
  const factors = scoreFactors(lead, served, earlier);
  const fit = Math.min(
    60,
    FIT.reduce((sum, k) => sum + (factors[k] ?? 0), 0),
  );
  const engagement = Math.min(
    40,
    Object.entries(factors)
      .filter(([k]) => !FIT.includes(k))
      .reduce((sum, [, v]) => sum + v, 0),
  );
  const score = fit + engagement;
  const grade = score >= input.sqlThreshold ? 'sql' : score >= input.mqlThreshold ? 'mql' : 'none';
  await insertScore(trx, { leadId: lead.id, score, fit, engagement, grade, mqlThreshold: input.mqlThreshold, sqlThreshold: input.sqlThreshold, factors });
  await updateLead(trx, lead.id, { score, grade, status: grade === 'none' ? lead.status : grade });
  return { score, fit, engagement, grade };
}
