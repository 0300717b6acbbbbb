// The placeholder language of email templates: {{name}} inserts a value (escaped in HTML),
// {{{name}}} inserts it as is (pre-rendered HTML such as line tables). Pure: the activities render
// with it, and the API checks an edited template and previews it with the same code.

const PLACEHOLDER = /\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}/g;
/** The column that keeps a rendered subject (email_outbox.subject). */
export const SUBJECT_MAX = 300;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function fill(source: string, vars: Record<string, string>, html: boolean): string {
  return source.replace(PLACEHOLDER, (_, raw: string | undefined, escaped: string | undefined) =>
    raw !== undefined ? (vars[raw] ?? '') : html ? escapeHtml(vars[escaped ?? ''] ?? '') : (vars[escaped ?? ''] ?? ''),
  );
}

export interface TemplateText {
  subject: string;
  text: string;
  html: string;
}

export function renderEmail(template: TemplateText, vars: Record<string, string>): TemplateText {
  // One line, and no longer than the outbox keeps: long values must not stop the email.
  const subject = Array.from(fill(template.subject, vars, false).replace(/[\r\n]+/g, ' '));
  return {
    subject: subject.length > SUBJECT_MAX ? `${subject.slice(0, SUBJECT_MAX - 1).join('')}…` : subject.join(''),
    text: fill(template.text, vars, false),
    html: `<!doctype html><html><body>${fill(template.html, vars, true)}</body></html>`,
  };
}

/** What is wrong with one part of a template: unknown placeholders, broken braces, raw HTML outside the HTML body. */
export function placeholderProblems(source: string, allowed: readonly string[], part: keyof TemplateText): string[] {
  const problems: string[] = [];
  for (const match of source.matchAll(PLACEHOLDER)) {
    const raw = match[1];
    const name = raw ?? match[2] ?? '';
    if (!allowed.includes(name)) problems.push(`unknown placeholder ${match[0]}`);
    else if (raw !== undefined && part !== 'html') problems.push(`${match[0]} inserts HTML as is: only the HTML body may use it; write {{${name}}}`);
  }
  const rest = source.replace(PLACEHOLDER, '');
  const broken = /\{\{|\}\}/.exec(rest);
  if (broken) {
    const at = broken.index;
    problems.push(`broken placeholder near "${rest.slice(Math.max(0, at - 10), at + 20)}": write {{name}} with a name of letters, digits and _`);
  }
  return problems;
}
