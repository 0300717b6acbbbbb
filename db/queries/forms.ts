// Web forms made by ops, and the submissions that started journeys (api/routes/forms.ts).
import { randomBytes } from 'node:crypto';
import type { Db } from '../connection';

export interface LeadForm {
  key: string;
  name: string;
  allowedOrigins: string[];
  createdBy: string;
  createdAt: Date;
}

interface FormRow {
  key: string;
  name: string;
  allowed_origins: string[];
  created_by: string;
  created_at: Date;
}

const toForm = (r: FormRow): LeadForm => ({ key: r.key, name: r.name, allowedOrigins: r.allowed_origins, createdBy: r.created_by, createdAt: r.created_at });

/** 128 random bits: the key is the form's public address, so it must not be guessed from another. */
const newFormKey = () => `frm_${randomBytes(16).toString('base64url')}`;

export async function createForm(db: Db, form: { name: string; allowedOrigins: string[]; createdBy: string }): Promise<LeadForm> {
  const [row] = (await db('lead_forms')
    .insert({ key: newFormKey(), name: form.name, allowed_origins: form.allowedOrigins, created_by: form.createdBy })
    .returning('*')) as FormRow[];
  return toForm(row as FormRow);
}

export async function listForms(db: Db): Promise<LeadForm[]> {
  return ((await db('lead_forms').orderBy('created_at', 'desc').select('*')) as FormRow[]).map(toForm);
}

export async function findForm(db: Db, key: string): Promise<LeadForm | undefined> {
  const row = (await db('lead_forms').where({ key }).first()) as FormRow | undefined;
  return row ? toForm(row) : undefined;
}

/** Once per journey: a retried submission (same journey) keeps its first entry. */
export async function recordFormSubmission(db: Db, submission: { journeyId: string; formKey: string; origin: string | null; stage: string }): Promise<void> {
  await db('form_submissions')
    .insert({ journey_id: submission.journeyId, form_key: submission.formKey, origin: submission.origin, stage: submission.stage })
    .onConflict('journey_id')
    .ignore();
}
