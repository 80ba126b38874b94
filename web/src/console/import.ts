// Import screen: send a GeoJSON or CSV file to the registry's import endpoint and show the report of bad rows.
import { h, clear } from '../lib/dom.ts';
import { request, ApiError } from '../lib/api.ts';
import { t } from '../i18n/index.ts';
import { message, errorMessage, field, table } from './ui.ts';

export const IMPORT_URL = '/api/shelters/import';

interface Summary {
  imported?: number; inserted?: number; updated?: number; skipped?: number; rejected?: number;
  problems?: Array<{ line?: number; where?: string; field?: string; reason?: string }>;
}

export function importScreen(root: HTMLElement): void {
  const file = h('input', { type: 'file', accept: '.csv,.geojson,.json,text/csv,application/geo+json,application/json', required: true });
  const source = h('input', { name: 'source', required: true });
  const dry = h('input', { type: 'checkbox', name: 'dryRun' });
  const skip = h('input', { type: 'checkbox', name: 'skipInvalid' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'grid' },
    field(t('con.importFile'), file, 'imp-file'), field(t('con.importSource'), source, 'imp-source'),
    h('label', { class: 'inline', for: 'imp-dry' }, dry, t('con.importDry')),
    h('label', { class: 'inline', for: 'imp-skip' }, skip, t('con.importSkip')),
    h('button', { type: 'submit', class: 'primary' }, t('con.importRun')));
  dry.id = 'imp-dry';
  skip.id = 'imp-skip';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    const text = await f.text();
    const csv = /\.csv$/i.test(f.name) || f.type === 'text/csv';
    const q = new URLSearchParams({ source: source.value, filename: f.name });
    if (dry.checked) q.set('dryRun', 'true');
    if (skip.checked) q.set('skipInvalid', 'true');
    clear(out, message('warn', t('con.loading')));
    try {
      const { data } = await request<Summary>('POST', `${IMPORT_URL}?${q}`, text, { 'content-type': csv ? 'text/csv' : 'application/geo+json' });
      clear(out, summary(data, 'ok'));
    } catch (err) {
      const report = err instanceof ApiError && err.body && typeof err.body === 'object' ? (err.body as { report?: Summary }).report : undefined;
      if (report) clear(out, errorMessage(err), summary(report, 'err'));
      else clear(out, errorMessage(err));
    }
  });
  clear(root, h('h2', {}, t('con.importTitle')), form, out);
}

function summary(s: Summary, kind: 'ok' | 'err'): HTMLElement {
  const errors = s.problems ?? [];
  const counts = t('con.importDone', { imported: s.imported ?? s.inserted ?? 0, updated: s.updated ?? 0, skipped: s.skipped ?? 0, rejected: s.rejected ?? errors.length });
  return h('div', {}, message(kind === 'ok' && errors.length === 0 ? 'ok' : 'warn', counts),
    errors.length ? h('section', {}, h('h3', {}, t('con.importErrors')), table([t('con.line'), t('con.field'), t('con.reason')],
      errors.map((e) => h('tr', {}, h('td', {}, String(e.line ?? e.where ?? '')), h('td', {}, String(e.field ?? '')), h('td', {}, String(e.reason ?? '')))))) : null);
}
