// Field issues of a 400 become sentences naming the field in words.
import { describe, expect, it } from 'vitest';
import { fieldName, issueSentence } from '../../../web/src/fieldErrors';

describe('field issues as sentences', () => {
  it('names fields in words, lines by their number from 1', () => {
    expect(fieldName('body.email')).toBe('Email');
    expect(fieldName('body.billingAddress.postalCode')).toBe('Billing address, postal code');
    expect(fieldName('body.data.lines.1.sku')).toBe('Line 2, SKU');
    expect(fieldName('querystring.q')).toBe('Q');
    expect(fieldName('body')).toBe('The request');
  });

  it('rewrites the schema messages people meet, and keeps others', () => {
    expect(issueSentence({ path: 'body.email', message: 'Invalid email address' })).toBe('Email: enter an address like name@example.com');
    expect(issueSentence({ path: 'body.name', message: 'Invalid input: expected string, received undefined' })).toBe('Name: this is required');
    expect(issueSentence({ path: 'body.company', message: 'Too big: expected string to have <=200 characters' })).toBe('Company: use at most 200 characters');
    expect(issueSentence({ path: 'body.companySize', message: 'Invalid input: expected number, received string' })).toBe('Company size: enter a number');
    expect(issueSentence({ path: 'body.data.lines.0.quantity', message: 'Too small: expected number to be >0' })).toBe('Line 1, quantity: enter more than 0');
    expect(issueSentence({ path: 'body.source', message: 'Invalid option: expected one of "web_form"|"email"' })).toBe('Source: choose one of web_form, email');
    expect(issueSentence({ path: 'body.extra', message: 'is not a known field' })).toBe('Extra: this field is not expected here');
    expect(issueSentence({ path: 'body.country', message: 'An ISO 3166-1 alpha-2 code such as "DE"' })).toBe(
      'Country: an ISO 3166-1 alpha-2 code such as "DE"',
    );
  });
});
