// The units screen: every unit with its members; operators create units, add members and import a CSV file;
// everyone who may see units gets the export and the readiness report (expiring certificates, missing roles).
import { h, clear } from '../../lib/dom.ts';
import { getJSON, postJSON, request } from '../../lib/api.ts';
import { t, formatTime } from '../../i18n/index.ts';
import type { User } from '../session.ts';
import { errorMessage, field, message, select, table } from '../ui.ts';
import { MANAGERS, typeName, type Unit } from './shared.ts';
import { UNIT_TYPES } from '../../../../src/api/types.ts';

interface Region { code: string; name: string }
interface Expiring { unitName: string; memberName: string; certificate: string; expires: string; expired: boolean }
interface Missing { unitName: string; missing: string[] }

export async function regionsList(): Promise<Region[]> {
  try {
    const r = await getJSON<{ regions: Array<{ regionCode: string; regionName: string }> }>('/api/regimes');
    return r.regions.map((x) => ({ code: x.regionCode, name: `${x.regionName} (${x.regionCode})` }));
  } catch {
    return [];
  }
}

export async function unitsScreen(root: HTMLElement, user: User, notice: HTMLElement | null = null): Promise<void> {
  const heading = h('h2', {}, t('un.units'));
  try {
    const [{ units }, regions, certs, missing] = await Promise.all([
      getJSON<{ units: Unit[] }>('/api/units'), regionsList(),
      getJSON<{ certificates: Expiring[] }>('/api/units/reports/certificates?days=30'), getJSON<{ units: Missing[] }>('/api/units/reports/missing-roles'),
    ]);
    const manage = MANAGERS.includes(user.role);
    const list = units.map((u) => h('section', { 'aria-labelledby': `unit-${u.id}`, class: 'unit' },
      h('h3', { id: `unit-${u.id}` }, u.name, ' · ', typeName(u.type), u.regionCode ? ` · ${u.regionCode}` : ''),
      u.members.length
        ? table([t('un.name'), t('un.role'), t('un.contact'), t('un.availability'), t('un.certificates')], u.members.map((m) => h('tr', {},
          h('td', {}, m.name, m.userName ? ` (${m.userName})` : ''), h('td', {}, m.role), h('td', {}, [m.phone, m.email].filter(Boolean).join(', ')),
          h('td', {}, t(`un.avail.${m.availability}` as Parameters<typeof t>[0]), m.availableFrom ? ` → ${m.availableFrom}` : ''),
          h('td', {}, m.certificates.map((c) => (c.expires ? `${c.name} (${c.expires})` : c.name)).join('; ')))))
        : h('p', {}, t('un.noMembers')),
      manage ? memberForm(root, user, u) : null));
    clear(root, heading, notice,
      manage ? unitForm(root, user, regions) : null,
      ...(list.length ? list : [h('p', {}, t('un.noUnits'))]),
      h('section', { 'aria-labelledby': 'un-report' }, h('h3', { id: 'un-report' }, t('un.report')),
        h('h4', {}, t('un.missingRoles')),
        missing.units.length ? h('ul', {}, ...missing.units.map((m) => h('li', {}, `${m.unitName}: ${m.missing.join(', ')}`))) : h('p', {}, t('un.none')),
        h('h4', {}, t('un.expiring', { days: 30 })),
        certs.certificates.length
          ? h('ul', {}, ...certs.certificates.map((c) => h('li', {}, `${c.expires}${c.expired ? ` (${t('un.expired')})` : ''}: ${c.certificate} · ${c.memberName}, ${c.unitName}`)))
          : h('p', {}, t('un.none'))),
      h('section', { 'aria-labelledby': 'un-csv' }, h('h3', { id: 'un-csv' }, t('un.csv')),
        h('p', {}, h('a', { href: '/api/units/export', download: 'units.csv' }, t('un.export'))),
        manage ? importForm(root, user) : null),
      h('p', { class: 'muted' }, t('un.updated', { time: formatTime(new Date().toISOString()) })));
  } catch (err) {
    clear(root, heading, errorMessage(err));
  }
}

function unitForm(root: HTMLElement, user: User, regions: Array<{ code: string; name: string }>): HTMLElement {
  const name = h('input', { name: 'name', required: true, maxlength: 200 });
  const type = select('type', UNIT_TYPES.map((x) => [x, typeName(x)]), 'rescue');
  const region = select('region', [['', t('un.noRegion')], ...regions.map((r): [string, string] => [r.code, r.name])], '');
  const roles = h('input', { name: 'requiredRoles', value: 'leader' });
  return h('form', {
    class: 'grid', 'aria-labelledby': 'un-new',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await postJSON('/api/units', { name: name.value, type: type.value, region: region.value || null, requiredRoles: roles.value.split(/[;,]/).map((s) => s.trim()).filter(Boolean) });
        await unitsScreen(root, user, message('ok', t('un.unitCreated', { name: name.value })));
      } catch (err) {
        await unitsScreen(root, user, errorMessage(err));
      }
    },
  }, h('h3', { id: 'un-new' }, t('un.newUnit')),
  field(t('un.name'), name, 'un-name'), field(t('un.type'), type, 'un-type'), field(t('un.region'), region, 'un-region'),
  field(t('un.requiredRoles'), roles, 'un-roles'), h('button', { type: 'submit', class: 'primary' }, t('un.create')));
}

function memberForm(root: HTMLElement, user: User, u: Unit): HTMLElement {
  const id = (s: string) => `m-${s}-${u.id}`;
  const name = h('input', { name: 'name', required: true, maxlength: 200 });
  const role = h('input', { name: 'role', required: true, maxlength: 40, value: 'member' });
  const phone = h('input', { name: 'phone', type: 'tel', maxlength: 40 });
  const email = h('input', { name: 'email', type: 'email', maxlength: 200 });
  const account = h('input', { name: 'user', maxlength: 100 });
  return h('details', {}, h('summary', {}, t('un.addMember')), h('form', {
    class: 'grid',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await postJSON(`/api/units/${encodeURIComponent(u.id)}/members`, { name: name.value, role: role.value, contact: { phone: phone.value || null, email: email.value || null }, user: account.value || null });
        await unitsScreen(root, user, message('ok', t('un.memberAdded', { name: name.value })));
      } catch (err) {
        await unitsScreen(root, user, errorMessage(err));
      }
    },
  }, field(t('un.name'), name, id('name')), field(t('un.role'), role, id('role')), field(t('un.phone'), phone, id('phone')),
  field(t('un.email'), email, id('email')), field(t('un.account'), account, id('user')), h('button', { type: 'submit' }, t('un.add'))));
}

function importForm(root: HTMLElement, user: User): HTMLElement {
  const file = h('input', { type: 'file', accept: '.csv,text/csv', required: true });
  return h('form', {
    class: 'grid',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const f = file.files?.[0];
      if (!f) return;
      try {
        const r = (await request<{ units: number; members: number }>('POST', '/api/units/import', await f.text(), { 'content-type': 'text/csv' })).data;
        await unitsScreen(root, user, message('ok', t('un.imported', { units: r.units, members: r.members })));
      } catch (err) {
        const problems = ((err as { body?: { problems?: Array<{ line: number; column: string; reason: string }> } }).body?.problems) ?? [];
        const report = problems.length
          ? h('div', {}, message('err', t('un.importRejected')), table([t('un.line'), t('un.column'), t('un.reason')], problems.map((p) => h('tr', {}, h('td', {}, String(p.line)), h('td', {}, p.column), h('td', {}, p.reason)))))
          : errorMessage(err);
        await unitsScreen(root, user, report);
      }
    },
  }, field(t('un.importFile'), file, 'un-import-file'), h('button', { type: 'submit' }, t('un.import')));
}
