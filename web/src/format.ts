// Display formatting: money (decimal strings, never floats in arithmetic), dates, ages, names.
import type { Money } from './types';

export function formatMoney(money: Money | null | undefined): string {
  if (!money) return '—';
  const [whole = '0', cents = '00'] = money.amount.replace(/^-/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${money.amount.startsWith('-') ? '−' : ''}${grouped}.${cents.padEnd(2, '0').slice(0, 2)} ${money.currency}`;
}

export function formatAmounts(amounts: Money[]): string {
  return amounts.length === 0 ? '—' : amounts.map(formatMoney).join(' + ');
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.floor(seconds))}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export const ageSince = (iso: string, now = Date.now()) => (now - new Date(iso).getTime()) / 1000;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `quote_sent` → `Quote sent`, `PAYMENT_RECEIVED` → `Payment received`. */
export function humanize(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
