// Readiness regimes: every region's effective level (own or inherited), history per region, setting a level with a
// reason (operators, admins) and deciding pending changes (approvers, admins, someone other than who asked).
import { h, clear } from '../../lib/dom.ts';
import { getJSON, postJSON, request } from '../../lib/api.ts';
import { t, formatTime } from '../../i18n/index.ts';
import type { User } from '../session.ts';
import { errorMessage, field, message, select, table } from '../ui.ts';
import { levelName, MANAGERS } from './shared.ts';
import { REGIME_LEVELS, type EffectiveRegime, type RegimeChange } from '../../../../src/api/types.ts';

type Change = RegimeChange;
type Effective = EffectiveRegime;

const APPROVERS = ['admin', 'approver'];

export async function regimesScreen(root: HTMLElement, user: User, notice: HTMLElement | null = null): Promise<void> {
  const heading = h('h2', {}, t('un.regimes'));
  try {
    const [{ regions }, pending] = await Promise.all([
      getJSON<{ regions: Effective[] }>('/api/regimes'),
      getJSON<{ changes: Change[] }>('/api/regimes/pending').catch(() => ({ changes: [] as Change[] })),
    ]);
    clear(root, heading, notice,
      regions.length
        ? table([t('un.region'), t('un.level'), t('un.source'), t('un.since')], regions.map((r) => h('tr', { 'data-region': r.regionCode },
          h('td', {}, h('a', { href: `#/regimes/${encodeURIComponent(r.regionCode)}` }, `${r.regionName} (${r.regionCode})`)),
          h('td', { class: `level-${r.level}` }, levelName(r.level), r.pending ? ` · ${t('un.pendingLevel', { level: levelName(r.pending.level) })}` : ''),
          h('td', {}, r.setIn === null ? t('un.default') : r.inherited ? t('un.inheritedFrom', { region: r.setIn }) : t('un.setHere')),
          h('td', {}, r.change ? formatTime(r.change.decidedAt ?? r.change.requestedAt) : '—'))))
        : h('p', {}, t('un.noRegions')),
      MANAGERS.includes(user.role) && regions.length ? setForm(root, user, regions) : null,
      pending.changes.length ? h('section', { 'aria-labelledby': 'rg-pending' }, h('h3', { id: 'rg-pending' }, t('un.pending')),
        table([t('un.region'), t('un.level'), t('un.reason'), t('un.askedBy'), ''], pending.changes.map((c) => h('tr', { 'data-change': c.id },
          h('td', {}, c.regionCode), h('td', {}, levelName(c.level)), h('td', {}, c.reason), h('td', {}, `${c.requestedBy}, ${formatTime(c.requestedAt)}`),
          h('td', {}, APPROVERS.includes(user.role) && c.requestedBy !== user.name ? h('div', { class: 'row-actions' },
            h('button', { type: 'button', class: 'primary', onclick: () => decide(root, user, c.id, 'approve') }, t('un.approve')),
            h('button', { type: 'button', onclick: () => decide(root, user, c.id, 'reject') }, t('un.reject'))) : t('un.waiting')))))) : null);
  } catch (err) {
    clear(root, heading, errorMessage(err));
  }
}

async function decide(root: HTMLElement, user: User, id: string, action: 'approve' | 'reject'): Promise<void> {
  try {
    await postJSON(`/api/regimes/changes/${encodeURIComponent(id)}/${action}`, {});
    await regimesScreen(root, user, message('ok', action === 'approve' ? t('un.approved') : t('un.rejected')));
  } catch (err) {
    await regimesScreen(root, user, errorMessage(err));
  }
}

function setForm(root: HTMLElement, user: User, regions: Effective[]): HTMLElement {
  const region = select('region', regions.map((r): [string, string] => [r.regionCode, `${r.regionName} (${r.regionCode})`]), regions[0].regionCode);
  const level = select('level', REGIME_LEVELS.map((l): [string, string] => [l, levelName(l)]), 'heightened');
  const reason = h('input', { name: 'reason', required: true, maxlength: 500 });
  return h('form', {
    class: 'grid', 'aria-labelledby': 'rg-set',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        const r = await request<{ change: Change }>('PUT', `/api/regimes/${encodeURIComponent(region.value)}`, { level: level.value, reason: reason.value });
        await regimesScreen(root, user, message('ok', r.data.change.state === 'pending' ? t('un.awaitsApproval') : t('un.levelSet')));
      } catch (err) {
        await regimesScreen(root, user, errorMessage(err));
      }
    },
  }, h('h3', { id: 'rg-set' }, t('un.setLevel')), field(t('un.region'), region, 'rg-region'), field(t('un.level'), level, 'rg-level'),
  field(t('un.reason'), reason, 'rg-reason'), h('button', { type: 'submit', class: 'primary' }, t('un.set')));
}

export async function regimeHistoryScreen(root: HTMLElement, code: string): Promise<void> {
  const heading = h('h2', {}, t('un.history', { region: code }));
  try {
    const r = await getJSON<{ effective: Effective; history: Change[] }>(`/api/regimes/${encodeURIComponent(code)}/history`);
    clear(root, heading,
      h('p', {}, t('un.now'), ': ', h('strong', {}, levelName(r.effective.level)), r.effective.inherited && r.effective.setIn ? ` (${t('un.inheritedFrom', { region: r.effective.setIn })})` : ''),
      r.history.length
        ? table([t('un.when'), t('un.level'), t('un.reason'), t('un.askedBy'), t('un.state'), t('un.decidedBy')], r.history.map((c) => h('tr', {},
          h('td', {}, formatTime(c.requestedAt)), h('td', {}, levelName(c.level)), h('td', {}, c.reason), h('td', {}, c.requestedBy),
          h('td', {}, t(`un.change.${c.state}` as Parameters<typeof t>[0])), h('td', {}, c.decidedBy ? `${c.decidedBy}, ${formatTime(c.decidedAt)}` : '—'))))
        : h('p', {}, t('un.noHistory')),
      h('p', {}, h('a', { href: '#/regimes' }, t('un.back'))));
  } catch (err) {
    clear(root, heading, errorMessage(err));
  }
}
