// Small pieces the console screens share.
import { h } from '../lib/dom.ts';
import { ApiError } from '../lib/api.ts';
import { t } from '../i18n/index.ts';

export function message(kind: 'ok' | 'err' | 'warn', text: string): HTMLElement {
  return h('p', { class: `msg ${kind}`, role: kind === 'err' ? 'alert' : 'status' }, text);
}

export function errorMessage(err: unknown): HTMLElement {
  if (err instanceof ApiError && err.status === 403) return message('err', t('con.forbidden'));
  const e = err as Error & { field?: string | null };
  return message('err', t('con.error', { message: e.field ? `${e.message} (${e.field})` : e.message }));
}

export function field(label: string, control: HTMLElement, id: string): HTMLElement {
  control.id = id;
  return h('label', { for: id }, label, control);
}

export function select(name: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
  const s = h('select', { name });
  for (const [v, text] of options) s.append(new Option(text, v, false, v === value));
  return s;
}

export function table(headers: string[], rows: HTMLElement[]): HTMLTableElement {
  return h('table', {}, h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, ...rows));
}
