// The console's stock screens: balances and depots, items, movements (post, reverse), transfers (receive), counts
// (start, record, post) and the reports with their CSV. Operators and admins change stock; every staff role reads.
import type { ConsoleSection, ConsoleScreen } from '../sections.ts';
import type { User } from '../session.ts';
import { h, clear } from '../../lib/dom.ts';
import { getJSON, postJSON, request } from '../../lib/api.ts';
import { t, formatTime, type MessageKey } from '../../i18n/index.ts';
import { message, errorMessage, field, select, table } from '../ui.ts';
import { POSTABLE_TYPES, ROLES } from '../../../../src/api/types.ts';

const STAFF = [...ROLES];
const MANAGERS = ['admin', 'operator'];
const mayManage = (u: User) => MANAGERS.includes(u.role);

export const sections: ConsoleSection[] = [
  { href: '#/stock', label: 'stock.nav.stock', roles: STAFF },
  { href: '#/stock-items', label: 'stock.nav.items', roles: STAFF },
  { href: '#/stock-movements', label: 'stock.nav.movements', roles: STAFF },
  { href: '#/stock-transfers', label: 'stock.nav.transfers', roles: STAFF },
  { href: '#/stock-counts', label: 'stock.nav.counts', roles: STAFF },
  { href: '#/stock-reports', label: 'stock.nav.reports', roles: STAFF },
];

interface Depot { id: string; name: string; region: string | null; responsible: string | null; contact: string | null }
interface Item { id: string; code: string | null; name: string; category: string; unit: string; decimals: number; tracksLots: boolean }
interface Movement { id: string; type: string; depot: string; item: string; quantity: number; toDepot: string | null; unit: string | null; shelter: string | null; recipient: string | null; reason: string | null; reference: string | null; reverses: string | null; reversedBy: string | null; actor: string | null; at: string; lines: Array<{ lot: string | null; quantity: number }> }
interface Transfer { id: string; fromDepot: string; toDepot: string; item: string; status: string; dispatchedAt: string; lines: Array<{ lot: string | null; dispatched: number; received: number | null; difference: number | null }> }
interface Count { id: string; depotId: string; status: string; startedAt: string; note: string | null; lines: Array<{ item: string; lot: string | null; counted: number }> }

const typeLabel = (type: string) => t(`stock.type.${type}` as MessageKey);

async function catalogue(): Promise<{ depots: Depot[]; items: Item[]; depotName: (id: string | null) => string; itemName: (id: string) => string }> {
  const [{ depots }, { items }] = await Promise.all([getJSON<{ depots: Depot[] }>('/api/depots'), getJSON<{ items: Item[] }>('/api/items')]);
  const dn = new Map(depots.map((d) => [d.id, d.name]));
  const inames = new Map(items.map((i) => [i.id, i.name]));
  return { depots, items, depotName: (id) => (id ? dn.get(id) ?? id : ''), itemName: (id) => inames.get(id) ?? id };
}

function input(name: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { name, ...attrs });
}

/** A form whose submit posts JSON built from its fields and then redraws the screen with a notice. */
function form(id: string, heading: string, controls: HTMLElement[], submit: string, send: (data: FormData) => Promise<unknown>, redraw: (notice: HTMLElement) => Promise<void>): HTMLElement {
  const f = h('form', { class: 'grid', 'aria-labelledby': `${id}-h` }, ...controls, h('button', { type: 'submit', class: 'primary' }, submit));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await send(new FormData(f));
      await redraw(message('ok', t('stock.saved')));
    } catch (err) {
      f.querySelector('.msg')?.remove();
      f.prepend(errorMessage(err));
    }
  });
  return h('section', {}, h('h3', { id: `${id}-h` }, heading), f);
}

const str = (d: FormData, k: string) => {
  const v = d.get(k);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

// ---- balances and depots ----

const stockScreen: ConsoleScreen = async (root, user, _parts, params) => {
  const draw = async (notice?: HTMLElement) => {
    try {
      const c = await catalogue();
      const depot = params.get('depot') ?? c.depots[0]?.id ?? '';
      const picker = select('depot', c.depots.map((d) => [d.id, d.name]), depot);
      picker.addEventListener('change', () => { location.hash = `#/stock?depot=${encodeURIComponent(picker.value)}`; });
      let balances: HTMLElement = h('p', {}, t('stock.none'));
      if (depot) {
        const { balances: rows } = await getJSON<{ balances: Array<{ item: string; itemName: string; category: string; unit: string; quantity: number; minimum: number | null; lots: string }> }>(`/api/stock/balances?depot=${encodeURIComponent(depot)}`);
        if (rows.length) {
          balances = table([t('stock.item'), t('stock.category'), t('stock.quantity'), t('stock.unit'), t('stock.minimum'), t('stock.lots')], rows.map((r) => h('tr', { class: r.minimum !== null && r.quantity < r.minimum ? 'warn' : null },
            h('td', {}, h('a', { href: `#/stock-reports?report=card&depot=${encodeURIComponent(depot)}&item=${encodeURIComponent(r.item)}` }, r.itemName)), h('td', {}, r.category), h('td', {}, String(r.quantity)), h('td', {}, r.unit),
            h('td', {}, r.minimum === null ? '' : String(r.minimum)), h('td', {}, r.lots))));
        }
      }
      const depots = table([t('stock.name'), t('stock.region'), t('stock.responsible'), t('stock.contact')], c.depots.map((d) => h('tr', {}, h('td', {}, d.name), h('td', {}, d.region ?? ''), h('td', {}, d.responsible ?? ''), h('td', {}, d.contact ?? ''))));
      clear(root, h('h2', {}, t('stock.balances')), notice ?? null,
        c.depots.length ? field(t('stock.depot'), picker, 'stock-depot') : null,
        depot ? h('p', {}, h('a', { href: `/api/stock/balances?depot=${encodeURIComponent(depot)}&format=csv`, download: 'stock-balances.csv' }, t('stock.csv'))) : null,
        balances,
        mayManage(user) && depot && c.items.length ? form('stock-set-minimum', t('stock.setMinimum'), [
          field(t('stock.item'), select('item', c.items.map((i) => [i.id, `${i.name} (${i.unit})`]), c.items[0].id), 'min-item'),
          field(t('stock.minimum'), input('minimum', { inputmode: 'decimal', required: true }), 'min-value'),
        ], t('stock.setMinimum'), (d) => request('PUT', '/api/stock/minimums', { depot, item: str(d, 'item'), minimum: str(d, 'minimum') }), draw) : null,
        h('h3', {}, t('stock.depots')), c.depots.length ? depots : h('p', {}, t('stock.none')),
        mayManage(user) ? form('stock-add-depot', t('stock.addDepot'), [
          field(t('stock.name'), input('name', { required: true, maxlength: '200' }), 'dep-name'),
          field(t('stock.region'), input('region'), 'dep-region'),
          field(t('stock.responsible'), input('responsible'), 'dep-responsible'),
          field(t('stock.contact'), input('contact'), 'dep-contact'),
        ], t('stock.add'), (d) => postJSON('/api/depots', { name: str(d, 'name'), region: str(d, 'region'), responsible: str(d, 'responsible'), contact: str(d, 'contact') }), draw) : null);
    } catch (err) {
      clear(root, h('h2', {}, t('stock.balances')), errorMessage(err));
    }
  };
  await draw();
};

// ---- items ----

const itemsScreen: ConsoleScreen = async (root, user) => {
  const draw = async (notice?: HTMLElement) => {
    try {
      const { items } = await getJSON<{ items: Item[] }>('/api/items');
      clear(root, h('h2', {}, t('stock.items')), notice ?? null,
        h('p', {}, h('a', { href: '/api/items?format=csv', download: 'stock-catalogue.csv' }, t('stock.csv'))),
        items.length ? table([t('stock.code'), t('stock.name'), t('stock.category'), t('stock.unit'), t('stock.decimals'), t('stock.lots')], items.map((i) => h('tr', {},
          h('td', {}, i.code ?? ''), h('td', {}, i.name), h('td', {}, i.category), h('td', {}, i.unit), h('td', {}, String(i.decimals)), h('td', {}, i.tracksLots ? '✓' : '')))) : h('p', {}, t('stock.none')),
        mayManage(user) ? form('stock-add-item', t('stock.addItem'), [
          field(t('stock.name'), input('name', { required: true }), 'item-name'),
          field(t('stock.category'), input('category', { required: true }), 'item-category'),
          field(t('stock.unit'), input('unit', { required: true }), 'item-unit'),
          field(t('stock.code'), input('code'), 'item-code'),
          field(t('stock.decimals'), select('decimals', [['0', '0'], ['1', '1'], ['2', '2'], ['3', '3']], '0'), 'item-decimals'),
          field(t('stock.tracksLots'), input('tracksLots', { type: 'checkbox' }), 'item-lots'),
        ], t('stock.add'), (d) => postJSON('/api/items', { name: str(d, 'name'), category: str(d, 'category'), unit: str(d, 'unit'), code: str(d, 'code'), decimals: Number(d.get('decimals') ?? 0), tracksLots: d.get('tracksLots') === 'on' }), draw) : null);
    } catch (err) {
      clear(root, h('h2', {}, t('stock.items')), errorMessage(err));
    }
  };
  await draw();
};

// ---- movements ----

const movementsScreen: ConsoleScreen = async (root, user) => {
  const draw = async (notice?: HTMLElement) => {
    try {
      const c = await catalogue();
      const { movements } = await getJSON<{ movements: Movement[] }>('/api/stock/movements?limit=50');
      const reverse = async (m: Movement) => {
        const reason = window.prompt(t('stock.reverseReason', { id: m.id.slice(0, 8) }));
        if (!reason) return;
        try {
          await postJSON(`/api/stock/movements/${encodeURIComponent(m.id)}/reverse`, { reason });
          await draw(message('ok', t('stock.reversed')));
        } catch (err) {
          await draw(errorMessage(err));
        }
      };
      const list = movements.length ? table([t('stock.when'), t('stock.type'), t('stock.depot'), t('stock.item'), t('stock.quantity'), t('stock.lots'), t('stock.to'), t('stock.reason'), t('stock.who'), ''], movements.map((m) => h('tr', { 'data-movement': m.id },
        h('td', {}, formatTime(m.at)), h('td', {}, typeLabel(m.type)), h('td', {}, c.depotName(m.depot)), h('td', {}, c.itemName(m.item)), h('td', {}, String(m.quantity)),
        h('td', {}, m.lines.filter((l) => l.lot).map((l) => `${l.lot}: ${l.quantity}`).join('; ')),
        h('td', {}, m.toDepot ? c.depotName(m.toDepot) : m.unit ?? m.shelter ?? m.recipient ?? ''), h('td', {}, m.reason ?? ''), h('td', {}, m.actor ?? ''),
        h('td', {}, mayManage(user) && !m.reversedBy && !['reversal', 'transfer', 'transfer-receipt'].includes(m.type) ? h('button', { type: 'button', onclick: () => void reverse(m) }, t('stock.reverse')) : m.reversedBy ? t('stock.reversed') : '')))) : h('p', {}, t('stock.none'));
      clear(root, h('h2', {}, t('stock.nav.movements')), notice ?? null,
        mayManage(user) && c.depots.length && c.items.length ? form('stock-post', t('stock.newMovement'), [
          field(t('stock.type'), select('type', POSTABLE_TYPES.map((x) => [x, typeLabel(x)]), 'receipt'), 'mv-type'),
          field(t('stock.depot'), select('depot', c.depots.map((d) => [d.id, d.name]), c.depots[0].id), 'mv-depot'),
          field(t('stock.item'), select('item', c.items.map((i) => [i.id, `${i.name} (${i.unit})`]), c.items[0].id), 'mv-item'),
          field(t('stock.quantity'), input('quantity', { inputmode: 'decimal' }), 'mv-quantity'),
          field(t('stock.lot'), input('lot'), 'mv-lot'),
          field(t('stock.expires'), input('expires', { type: 'date' }), 'mv-expires'),
          field(t('stock.toDepot'), select('toDepot', [['', '—'], ...c.depots.map((d): [string, string] => [d.id, d.name])], ''), 'mv-to'),
          field(t('stock.recipient'), input('recipient'), 'mv-recipient'),
          field(t('stock.unitId'), input('unit'), 'mv-unit'),
          field(t('stock.shelterId'), input('shelter'), 'mv-shelter'),
          field(t('stock.reason'), input('reason'), 'mv-reason'),
          field(t('stock.reference'), input('reference'), 'mv-reference'),
        ], t('stock.post'), (d) => {
          const type = str(d, 'type')!;
          const body: Record<string, unknown> = { type, depot: str(d, 'depot'), item: str(d, 'item'), lot: str(d, 'lot'), reason: str(d, 'reason'), reference: str(d, 'reference') };
          if (type === 'receipt' || type === 'return' || type === 'adjustment') body.expires = str(d, 'expires');
          if (type === 'transfer') body.toDepot = str(d, 'toDepot');
          if (type === 'issue' || type === 'return') Object.assign(body, { recipient: str(d, 'recipient'), unit: str(d, 'unit'), shelter: str(d, 'shelter') });
          body.quantity = str(d, 'quantity');
          return postJSON('/api/stock/movements', body);
        }, draw) : null,
        h('h3', {}, t('stock.recent')), list);
    } catch (err) {
      clear(root, h('h2', {}, t('stock.nav.movements')), errorMessage(err));
    }
  };
  await draw();
};

// ---- transfers ----

const transfersScreen: ConsoleScreen = async (root, user) => {
  const draw = async (notice?: HTMLElement) => {
    try {
      const c = await catalogue();
      const { transfers } = await getJSON<{ transfers: Transfer[] }>('/api/stock/transfers');
      const receive = async (tr: Transfer) => {
        try {
          await postJSON(`/api/stock/transfers/${encodeURIComponent(tr.id)}/receive`, {});
          await draw(message('ok', t('stock.saved')));
        } catch (err) {
          await draw(errorMessage(err));
        }
      };
      clear(root, h('h2', {}, t('stock.nav.transfers')), notice ?? null,
        transfers.length ? table([t('stock.when'), t('stock.depot'), t('stock.toDepot'), t('stock.item'), t('stock.dispatched'), t('stock.received'), t('stock.difference'), t('stock.status')], transfers.map((tr) => h('tr', { 'data-transfer': tr.id },
          h('td', {}, formatTime(tr.dispatchedAt)), h('td', {}, c.depotName(tr.fromDepot)), h('td', {}, c.depotName(tr.toDepot)), h('td', {}, c.itemName(tr.item)),
          h('td', {}, tr.lines.map((l) => `${l.lot ? `${l.lot}: ` : ''}${l.dispatched}`).join('; ')),
          h('td', {}, tr.lines.map((l) => (l.received === null ? '' : `${l.lot ? `${l.lot}: ` : ''}${l.received}`)).join('; ')),
          h('td', {}, tr.lines.map((l) => (l.difference ? `${l.lot ? `${l.lot}: ` : ''}${l.difference}` : '')).filter(Boolean).join('; ')),
          h('td', {}, tr.status === 'in-transit' ? (mayManage(user) ? h('button', { type: 'button', onclick: () => void receive(tr) }, t('stock.receive')) : t('stock.inTransit')) : t('stock.received'))))) : h('p', {}, t('stock.none')));
    } catch (err) {
      clear(root, h('h2', {}, t('stock.nav.transfers')), errorMessage(err));
    }
  };
  await draw();
};

// ---- counts ----

const countsScreen: ConsoleScreen = async (root, user) => {
  const draw = async (notice?: HTMLElement) => {
    try {
      const c = await catalogue();
      const { counts } = await getJSON<{ counts: Count[] }>('/api/stock/counts');
      const open = counts.find((x) => x.status === 'open');
      const post = async (id: string) => {
        try {
          await postJSON(`/api/stock/counts/${encodeURIComponent(id)}/post`, {});
          await draw(message('ok', t('stock.saved')));
        } catch (err) {
          await draw(errorMessage(err));
        }
      };
      clear(root, h('h2', {}, t('stock.nav.counts')), notice ?? null,
        mayManage(user) && c.depots.length ? form('stock-count-start', t('stock.startCount'), [
          field(t('stock.depot'), select('depot', c.depots.map((d) => [d.id, d.name]), c.depots[0].id), 'count-depot'),
        ], t('stock.startCount'), (d) => postJSON('/api/stock/counts', { depot: str(d, 'depot') }), draw) : null,
        open && mayManage(user) && c.items.length ? form('stock-count-record', `${t('stock.recordCount')} — ${c.depotName(open.depotId)}`, [
          field(t('stock.item'), select('item', c.items.map((i) => [i.id, `${i.name} (${i.unit})`]), c.items[0].id), 'count-item'),
          field(t('stock.lot'), input('lot'), 'count-lot'),
          field(t('stock.expires'), input('expires', { type: 'date' }), 'count-expires'),
          field(t('stock.counted'), input('counted', { inputmode: 'decimal', required: true }), 'count-counted'),
        ], t('stock.recordCount'), (d) => postJSON(`/api/stock/counts/${encodeURIComponent(open.id)}/lines`, { lines: [{ item: str(d, 'item'), lot: str(d, 'lot'), expires: str(d, 'expires'), counted: str(d, 'counted') }] }), draw) : null,
        ...counts.map((x) => h('section', { 'aria-label': `${c.depotName(x.depotId)} ${formatTime(x.startedAt)}`, 'data-count': x.id },
          h('h3', {}, `${c.depotName(x.depotId)} · ${formatTime(x.startedAt)} · ${t(x.status === 'open' ? 'stock.open' : 'stock.posted')}`),
          x.lines.length ? table([t('stock.item'), t('stock.lot'), t('stock.counted')], x.lines.map((l) => h('tr', {}, h('td', {}, c.itemName(l.item)), h('td', {}, l.lot ?? ''), h('td', {}, String(l.counted))))) : h('p', {}, t('stock.none')),
          x.status === 'open' && mayManage(user) ? h('button', { type: 'button', class: 'primary', onclick: () => void post(x.id) }, t('stock.postCount')) : null)),
        counts.length ? null : h('p', {}, t('stock.none')));
    } catch (err) {
      clear(root, h('h2', {}, t('stock.nav.counts')), errorMessage(err));
    }
  };
  await draw();
};

// ---- reports ----

const REPORTS: Array<[string, MessageKey, string]> = [
  ['balances', 'stock.report.balances', 'balances'], ['below', 'stock.report.below', 'below-minimum'], ['expiring', 'stock.report.expiring', 'expiring'],
  ['issued', 'stock.report.issued', 'issued'], ['card', 'stock.report.card', 'stock-card'],
];
const COLUMN_LABELS: Record<string, MessageKey> = {
  depotName: 'stock.depot', itemName: 'stock.item', category: 'stock.category', unit: 'stock.unit', quantity: 'stock.quantity', minimum: 'stock.minimum', lots: 'stock.lots',
  shortfall: 'stock.shortfall', lot: 'stock.lot', expires: 'stock.expires', daysLeft: 'stock.daysLeft', expired: 'stock.expired', at: 'stock.when', type: 'stock.type',
  in: 'stock.in', out: 'stock.out', balance: 'stock.balance', actor: 'stock.who', reason: 'stock.reason', reference: 'stock.reference', party: 'stock.to',
};
const SHOWN: Record<string, string[]> = {
  balances: ['depotName', 'itemName', 'category', 'quantity', 'unit', 'minimum', 'lots'],
  below: ['depotName', 'itemName', 'quantity', 'minimum', 'shortfall', 'unit'],
  expiring: ['depotName', 'itemName', 'lot', 'expires', 'daysLeft', 'quantity', 'unit'],
  issued: ['at', 'type', 'depotName', 'itemName', 'lot', 'quantity', 'unit', 'actor', 'reference'],
  card: ['at', 'type', 'lots', 'in', 'out', 'balance', 'party', 'reason', 'actor', 'reference'],
};

const reportsScreen: ConsoleScreen = async (root, _user, _parts, params) => {
  try {
    const c = await catalogue();
    const which = REPORTS.find((r) => r[0] === params.get('report'))?.[0] ?? 'below';
    const q = new URLSearchParams();
    const depot = params.get('depot') ?? '';
    if (depot) q.set('depot', depot);
    if (which === 'expiring') q.set('days', params.get('days') || '30');
    if (which === 'issued') { if (params.get('shelter')) q.set('shelter', params.get('shelter')!); else q.set('unit', params.get('unit') ?? ''); }
    if (which === 'card') q.set('item', params.get('item') ?? c.items[0]?.id ?? '');
    const path = `/api/stock/reports/${REPORTS.find((r) => r[0] === which)![2]}`;
    let body: HTMLElement;
    try {
      if ((which === 'issued' && !params.get('unit') && !params.get('shelter')) || (which === 'card' && (!depot || !c.items.length))) body = h('p', {}, t('stock.none'));
      else {
        const report = await getJSON<{ rows: Array<Record<string, unknown>> }>(`${path}?${q}`);
        const cols = SHOWN[which];
        body = report.rows.length ? table(cols.map((k) => t(COLUMN_LABELS[k])), report.rows.map((r) => h('tr', {}, ...cols.map((k) => {
          const v = r[k];
          return h('td', {}, k === 'at' ? formatTime(String(v)) : k === 'type' ? typeLabel(String(v)) : typeof v === 'boolean' ? (v ? '✓' : '') : v === null || v === undefined ? '' : String(v));
        })))) : h('p', {}, t('stock.none'));
        body = h('div', {}, h('p', {}, h('a', { href: `${path}?${q}&format=csv`, download: `stock-${which}.csv` }, t('stock.csv'))), body);
      }
    } catch (err) {
      body = errorMessage(err);
    }
    const f = h('form', { class: 'grid', role: 'search', 'aria-label': t('stock.report') },
      field(t('stock.report'), select('report', REPORTS.map(([k, label]) => [k, t(label)]), which), 'rep-which'),
      field(t('stock.depot'), select('depot', [['', '—'], ...c.depots.map((d): [string, string] => [d.id, d.name])], depot), 'rep-depot'),
      field(t('stock.item'), select('item', c.items.map((i) => [i.id, i.name]), params.get('item') ?? c.items[0]?.id ?? ''), 'rep-item'),
      field(t('stock.days'), input('days', { type: 'number', min: '0', max: '3650', value: params.get('days') ?? '30' }), 'rep-days'),
      field(t('stock.unitId'), input('unit', { value: params.get('unit') ?? '' }), 'rep-unit'),
      field(t('stock.shelterId'), input('shelter', { value: params.get('shelter') ?? '' }), 'rep-shelter'),
      h('button', { type: 'submit', class: 'primary' }, t('stock.show')));
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      const d = new FormData(f);
      const next = new URLSearchParams();
      for (const [k, v] of d) if (typeof v === 'string' && v) next.set(k, v);
      location.hash = `#/stock-reports?${next}`;
    });
    clear(root, h('h2', {}, t(REPORTS.find((r) => r[0] === which)![1])), f, body);
  } catch (err) {
    clear(root, h('h2', {}, t('stock.nav.reports')), errorMessage(err));
  }
};

export const screens: Record<string, ConsoleScreen> = {
  stock: stockScreen,
  'stock-items': itemsScreen,
  'stock-movements': movementsScreen,
  'stock-transfers': transfersScreen,
  'stock-counts': countsScreen,
  'stock-reports': reportsScreen,
};
