// The placeholder language of email templates, and that every built-in template uses only the
// placeholders its kind is written with (else an edit of it could never be saved as it is).
import { describe, expect, it } from 'vitest';
import { builtInTemplates, placeholdersByKind } from '../../../db/emailTemplates';
import { placeholderProblems, renderEmail, SUBJECT_MAX } from '../../../db/templateText';

describe('email template text', () => {
  it('escapes {{name}} in HTML only, inserts {{{name}}} as is, and leaves unknown names empty', () => {
    const rendered = renderEmail(
      { subject: 'Hi {{name}}', text: '{{name}} <{{missing}}>', html: '<p>{{name}}</p>{{{table}}}' },
      { name: 'Tom & "Jerry"', table: '<table></table>' },
    );
    expect(rendered.subject).toBe('Hi Tom & "Jerry"');
    expect(rendered.text).toBe('Tom & "Jerry" <>');
    expect(rendered.html).toBe('<!doctype html><html><body><p>Tom &amp; &quot;Jerry&quot;</p><table></table></body></html>');
  });

  it('keeps a subject on one line and within what the outbox stores', () => {
    const long = renderEmail({ subject: '{{a}}\r\n{{a}}', text: '', html: '' }, { a: '😀'.repeat(200) });
    expect(long.subject).not.toMatch(/[\r\n]/);
    expect(Array.from(long.subject)).toHaveLength(SUBJECT_MAX);
    expect(long.subject.endsWith('…')).toBe(true);
    expect(renderEmail({ subject: 'Short {{a}}', text: '', html: '' }, { a: 'one' }).subject).toBe('Short one');
  });

  it('names unknown placeholders, broken braces, and raw insertion outside the HTML body', () => {
    const allowed = ['name', 'linesHtml'];
    expect(placeholderProblems('Hello {{name}}, {{{linesHtml}}}', allowed, 'html')).toEqual([]);
    expect(placeholderProblems('Hello {{nme}}', allowed, 'text')).toEqual(['unknown placeholder {{nme}}']);
    expect(placeholderProblems('{{{linesHtml}}}', allowed, 'text')[0]).toContain('only the HTML body may use it');
    for (const broken of ['Hello {{ name }}', 'Hello {{name}', 'Hello name}}', 'Hello {{first-name}}', '{{}}']) {
      expect(placeholderProblems(broken, allowed, 'subject'), broken).toEqual([expect.stringContaining('broken placeholder')]);
    }
  });

  it('writes every built-in template with the placeholders of its kind only', () => {
    for (const template of builtInTemplates) {
      const allowed = placeholdersByKind[template.kind].map((p) => p.name);
      for (const part of ['subject', 'text', 'html'] as const) {
        expect(placeholderProblems(template[part], allowed, part), `${template.key}.${part}`).toEqual([]);
      }
    }
  });
});
