// A plain HTML form's urlencoded body read into what the form route's schema checks.
import { describe, expect, it } from 'vitest';
import { parseFormBody } from '../../../api/formBody';

describe('parseFormBody', () => {
  it('leaves empty fields out, reads the named numeric fields as numbers and keeps the rest as text', () => {
    const body = 'name=Ada+Lovelace&email=ada%40example.com&phone=&companySize=+250+&country=DE&message=a%26b%3Dc&website=';
    expect(parseFormBody(body, ['companySize'])).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      companySize: 250,
      country: 'DE',
      message: 'a&b=c',
    });
  });

  it('keeps a numeric field that is not digits as text, for the schema to refuse by name', () => {
    expect(parseFormBody('companySize=many&other=12', ['companySize'])).toEqual({ companySize: 'many', other: '12' });
    expect(parseFormBody('companySize=1e3', ['companySize'])).toEqual({ companySize: '1e3' });
  });

  it('makes a field sent twice a list, which no text field of the schema accepts', () => {
    expect(parseFormBody('email=a%40x.example&email=b%40x.example&email=c%40x.example', [])).toEqual({
      email: ['a@x.example', 'b@x.example', 'c@x.example'],
    });
  });

  it('keeps fields named like Object.prototype members as fields of their own, the prototype untouched', () => {
    const fields = parseFormBody('__proto__=x&__proto__=y&toString=z&name=Ada', []);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.keys(fields)).toEqual(['__proto__', 'toString', 'name']);
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toEqual(['x', 'y']);
    expect(fields.toString).toBe('z');
  });
});
