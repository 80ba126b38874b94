// The console's accounts screens. Admins: the accounts list (create, status), one account's page (activate, disable,
// enable, change role, reset password, sign out everywhere, its tokens and events), every token and the event log.
// Everyone: "My account" (change password, own tokens). The two-person rules are the server's; these screens say
// what the server answers (e.g. "another admin must activate it") in the reader's language.
import { h, clear } from '../../lib/dom.ts';
import { request, getJSON, postJSON, ApiError } from '../../lib/api.ts';
import { t, formatTime, language, type MessageKey } from '../../i18n/index.ts';
import type { ConsoleSection, ConsoleScreen } from '../sections.ts';
import type { User } from '../session.ts';
import { problemCode } from '../session.ts';
import { message, table, select } from '../ui.ts';
import { ROLES, type AccountStatus } from '../../../../src/api/types.ts';

interface Account {
  name: string; role: string; status: AccountStatus; createdAt: string; createdBy: string | null;
  pendingReason: string | null; pendingBy: string[]; mustChangePassword: boolean;
  /** Region codes the account is responsible for (empty: none). */
  jurisdiction?: string[];
}
interface RegionName { code: string; name: string }
interface Token { id: string; user: string; label: string | null; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null }
interface AccountEvent { id: number; at: string; actor: string | null; via: string; action: string; subject: string | null }

const DT = 'font-weight:600;margin-top:6px';
const STAFF = [...ROLES];

export const sections: ConsoleSection[] = [
  { href: '#/accounts', label: 'acc.nav', roles: ['admin'] },
  { href: '#/my-account', label: 'acc.nav.mine', roles: STAFF },
];

const roleName = (r: string) => (ROLES as readonly string[]).includes(r) ? t(`acc.role.${r}` as MessageKey) : r;
const path = (name: string) => `/api/users/${encodeURIComponent(name)}`;

/** An error as the reader should see it: the two-person refusals in words, anything else with the server's detail. */
function problem(err: unknown): HTMLElement {
  const code = problemCode(err);
  const key: MessageKey | null = code === 'SECOND_ADMIN_REQUIRED' ? 'acc.err.secondAdmin' : code === 'OWNER_PASSWORD_NOT_SET' ? 'acc.err.ownerFirst' : code === 'NOT_ON_YOURSELF' ? 'acc.err.self' : null;
  if (key) return message('err', t(key));
  const e = err as ApiError;
  return message('err', t('con.error', { message: e instanceof ApiError && e.field ? `${e.message} (${e.field})` : (e as Error).message }));
}

function statusText(a: Account): string {
  if (a.status !== 'pending') return t(`acc.status.${a.status}`);
  const reason = a.pendingReason ? t(`acc.reason.${a.pendingReason}` as MessageKey) : '';
  return `${t('acc.status.pending')} (${reason}${a.pendingBy.length ? ', ' + t('acc.pendingBy', { names: a.pendingBy.join(', ') }) : ''})`;
}

function tokenState(tk: Token): string {
  if (tk.revokedAt) return t('acc.token.revoked');
  if (tk.expiresAt && Date.parse(tk.expiresAt) <= Date.now()) return t('acc.token.expired');
  return t('acc.token.live');
}

function tokensTable(tokens: Token[], showUser: boolean, onRevoke: (id: string) => void): HTMLElement {
  if (!tokens.length) return h('p', {}, t('acc.noTokens'));
  return table(
    [t('acc.tokenId'), ...(showUser ? [t('acc.tokenUser')] : []), t('acc.label'), t('acc.createdAt'), t('acc.expires'), t('acc.lastUsed'), t('acc.state'), t('acc.actions')],
    tokens.map((tk) => h('tr', { 'data-token': tk.id },
      h('td', {}, h('code', {}, tk.id)),
      showUser ? h('td', {}, tk.user) : null,
      h('td', {}, tk.label ?? ''),
      h('td', {}, formatTime(tk.createdAt)),
      h('td', {}, tk.expiresAt ? formatTime(tk.expiresAt) : ''),
      h('td', {}, formatTime(tk.lastUsedAt)),
      h('td', {}, tokenState(tk)),
      h('td', {}, tk.revokedAt ? '' : h('button', { type: 'button', 'aria-label': t('acc.revokeToken', { id: tk.id }), onclick: () => onRevoke(tk.id) }, t('acc.revoke'))))),
  );
}

function eventsTable(events: AccountEvent[]): HTMLElement {
  if (!events.length) return h('p', {}, t('acc.noEvents'));
  return table([t('acc.when'), t('acc.who'), t('acc.via'), t('acc.action'), t('acc.subject')], events.map((e) => h('tr', {},
    h('td', {}, formatTime(e.at)), h('td', {}, e.actor ?? '—'), h('td', {}, e.via), h('td', {}, h('code', {}, e.action)), h('td', {}, e.subject ?? ''))));
}

async function revoke(id: string): Promise<HTMLElement> {
  try {
    await request('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
    return message('ok', t('acc.revoked', { id }));
  } catch (err) {
    return problem(err);
  }
}

/** Two password fields that must agree; returns the form's pieces. */
function passwordPair(prefix: string): { fields: HTMLElement[]; value(): string | null } {
  const a = h('input', { id: `${prefix}-new`, type: 'password', autocomplete: 'new-password', minLength: 12, required: true });
  const b = h('input', { id: `${prefix}-confirm`, type: 'password', autocomplete: 'new-password', minLength: 12, required: true });
  return {
    fields: [h('label', { for: a.id }, t('acc.newPassword'), a), h('label', { for: b.id }, t('acc.confirmPassword'), b)],
    value: () => (a.value === b.value ? a.value : null),
  };
}

/** The imported regions by name, for choosing a jurisdiction. */
async function regionNames(): Promise<RegionName[]> {
  const { regions } = await getJSON<{ regions: Array<RegionName & { names?: Record<string, string> }> }>('/api/regions');
  // In the console's language when the source has that name.
  return regions.map((r) => ({ code: r.code, name: r.names?.[language()] ?? r.name }))
    .sort((a, b) => a.name.localeCompare(b.name, language()) || (a.code < b.code ? -1 : 1));
}

/** A jurisdiction as text: the regions' names with their codes. */
function jurisdictionText(codes: readonly string[] | undefined, regions: RegionName[]): string {
  if (!codes?.length) return t('jur.none');
  const byCode = new Map(regions.map((r) => [r.code, r.name]));
  return codes.map((c) => (byCode.has(c) ? `${byCode.get(c)} (${c})` : c)).join(', ');
}

/** A multiple choice of regions (a native listbox: keyboard and screen readers know it); `selected()` is the codes. */
function jurisdictionPicker(id: string, regions: RegionName[], chosen: readonly string[]): { element: HTMLElement; selected(): string[] } {
  const hint = h('p', { id: `${id}-hint`, class: 'hint' }, regions.length ? t('jur.hint') : t('jur.noRegions'));
  const list = h('select', { id, name: 'jurisdiction', multiple: true, size: String(Math.min(8, Math.max(3, regions.length))), 'aria-describedby': hint.id },
    ...regions.map((r) => h('option', { value: r.code, selected: chosen.includes(r.code) }, `${r.name} (${r.code})`))) as HTMLSelectElement;
  // A code no longer imported stays chosen (and shown), so saving does not silently drop it.
  for (const c of chosen) if (!regions.some((r) => r.code === c)) list.append(h('option', { value: c, selected: true }, c));
  return {
    element: h('div', {}, h('label', { for: id }, t('jur.pick'), list), hint),
    selected: () => [...list.selectedOptions].map((o) => o.value),
  };
}

async function accountsScreen(root: HTMLElement, notice: HTMLElement | null = null): Promise<void> {
  try {
    const [users, { tokens }, { events }, regions] = await Promise.all([
      getJSON<Account[]>('/api/users'), getJSON<{ tokens: Token[] }>('/api/tokens'), getJSON<{ events: AccountEvent[] }>('/api/account-events?limit=30'), regionNames(),
    ]);
    const name = h('input', { id: 'acc-new-name', name: 'name', autocomplete: 'off', required: true, minLength: 2, maxLength: 64 });
    const role = select('role', ROLES.map((r) => [r, roleName(r)]), 'operator');
    role.id = 'acc-new-role';
    const pw = h('input', { id: 'acc-new-password', name: 'password', type: 'password', autocomplete: 'new-password', minLength: 12, required: true });
    const area = jurisdictionPicker('acc-new-jurisdiction', regions, []);
    const form = h('form', { class: 'grid', 'aria-labelledby': 'acc-create-h' },
      h('label', { for: name.id }, t('acc.name'), name),
      h('label', { for: role.id }, t('acc.role'), role),
      h('label', { for: pw.id }, t('acc.firstPassword'), pw),
      area.element,
      h('button', { type: 'submit', class: 'primary' }, t('acc.createSubmit')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const jurisdiction = area.selected();
        const made = await postJSON<Account>('/api/users', { name: name.value, role: role.value, password: pw.value, ...(jurisdiction.length ? { jurisdiction } : {}) });
        await accountsScreen(root, message('ok', t(made.status === 'pending' ? 'acc.createdPending' : 'acc.created', { name: made.name })));
      } catch (err) {
        await accountsScreen(root, problem(err));
      }
    });
    const rows = users.map((u) => h('tr', { 'data-user': u.name },
      h('th', { scope: 'row' }, h('a', { href: `#/accounts/${encodeURIComponent(u.name)}` }, u.name)),
      h('td', {}, roleName(u.role)),
      h('td', {}, statusText(u), u.mustChangePassword ? h('div', { class: 'muted' }, t('acc.mustChange')) : null),
      h('td', {}, u.createdBy ?? ''),
      h('td', { class: 'acc-jurisdiction' }, jurisdictionText(u.jurisdiction, regions))));
    clear(root,
      h('h2', {}, t('acc.title')),
      notice,
      h('p', { class: 'msg warn', role: 'note' }, t('acc.rule')),
      h('section', { 'aria-labelledby': 'acc-users-h' }, h('h3', { id: 'acc-users-h' }, t('acc.users')),
        table([t('acc.name'), t('acc.role'), t('acc.status'), t('acc.createdBy'), t('jur.title')], rows)),
      h('section', { 'aria-labelledby': 'acc-create-h' }, h('h3', { id: 'acc-create-h' }, t('acc.create')), form),
      h('section', { 'aria-labelledby': 'acc-tokens-h' }, h('h3', { id: 'acc-tokens-h' }, t('acc.tokens')),
        tokensTable(tokens, true, async (id) => accountsScreen(root, await revoke(id)))),
      h('section', { 'aria-labelledby': 'acc-events-h' }, h('h3', { id: 'acc-events-h' }, t('acc.events')), eventsTable(events)));
  } catch (err) {
    clear(root, h('h2', {}, t('acc.title')), problem(err));
  }
}

async function accountScreen(root: HTMLElement, me: User, name: string, notice: HTMLElement | null = null): Promise<void> {
  const redraw = (n: HTMLElement) => accountScreen(root, me, name, n);
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      await redraw(message('ok', ok));
    } catch (err) {
      await redraw(problem(err));
    }
  };
  try {
    const [users, { tokens }, { events }, regions] = await Promise.all([
      getJSON<Account[]>('/api/users'),
      getJSON<{ tokens: Token[] }>(`/api/tokens?user=${encodeURIComponent(name)}`),
      getJSON<{ events: AccountEvent[] }>(`/api/account-events?user=${encodeURIComponent(name)}&limit=30`),
      regionNames(),
    ]);
    const u = users.find((x) => x.name === name);
    if (!u) throw new Error(name);
    const self = u.name === me.name;
    const buttons = h('div', { class: 'row-actions' },
      u.status === 'pending' ? h('button', { type: 'button', class: 'primary', onclick: () => act(() => postJSON(`${path(name)}/activate`), t('acc.done')) }, t('acc.activate')) : null,
      u.status === 'disabled'
        ? h('button', { type: 'button', onclick: () => act(() => postJSON(`${path(name)}/enable`), t('acc.done')) }, t('acc.enable'))
        : h('button', { type: 'button', disabled: self, onclick: () => act(() => postJSON(`${path(name)}/disable`), t('acc.done')) }, t('acc.disable')),
      h('button', { type: 'button', onclick: async () => {
        try {
          const r = await postJSON<{ ended: number }>(`${path(name)}/end-sessions`);
          await redraw(message('ok', t('acc.sessionsEnded', { count: r.ended })));
        } catch (err) { await redraw(problem(err)); }
      } }, t('acc.endSessions')));

    const role = select('role', ROLES.map((r) => [r, roleName(r)]), u.role);
    role.id = 'acc-role';
    const roleForm = h('form', { class: 'grid', 'aria-labelledby': 'acc-role-h' },
      h('label', { for: role.id }, t('acc.newRole'), role), h('button', { type: 'submit', disabled: self }, t('acc.changeRole')));
    roleForm.addEventListener('submit', (e) => { e.preventDefault(); void act(() => postJSON(`${path(name)}/role`, { role: role.value }), t('acc.done')); });

    const area = jurisdictionPicker('acc-jurisdiction', regions, u.jurisdiction ?? []);
    const areaForm = h('form', { class: 'grid', 'aria-labelledby': 'acc-jurisdiction-h' }, area.element, h('button', { type: 'submit' }, t('jur.save')));
    areaForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void act(() => postJSON(`${path(name)}/jurisdiction`, { jurisdiction: area.selected() }), t('jur.saved', { name }));
    });

    const pair = passwordPair('acc-reset');
    const resetForm = h('form', { class: 'grid', 'aria-labelledby': 'acc-reset-h' }, ...pair.fields, h('button', { type: 'submit', disabled: self }, t('acc.resetPassword')));
    resetForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const pw = pair.value();
      if (pw === null) return void redraw(message('err', t('acc.mismatch')));
      void act(() => postJSON(`${path(name)}/password`, { password: pw }), t('acc.done'));
    });

    clear(root,
      h('p', {}, h('a', { href: '#/accounts' }, t('acc.back'))),
      h('h2', {}, t('acc.user', { name })),
      notice,
      h('dl', { class: 'facts' },
        h('dt', { style: DT }, t('acc.role')), h('dd', {}, roleName(u.role)),
        h('dt', { style: DT }, t('acc.status')), h('dd', { id: 'acc-status' }, statusText(u)),
        u.mustChangePassword ? h('dd', {}, t('acc.mustChange')) : null,
        h('dt', { style: DT }, t('acc.createdBy')), h('dd', {}, u.createdBy ?? '—'),
        h('dt', { style: DT }, t('acc.createdAt')), h('dd', {}, formatTime(u.createdAt)),
        h('dt', { style: DT }, t('jur.title')), h('dd', { id: 'acc-jurisdiction-now' }, jurisdictionText(u.jurisdiction, regions))),
      h('section', { 'aria-labelledby': 'acc-actions-h' }, h('h3', { id: 'acc-actions-h' }, t('acc.actions')), buttons),
      h('section', { 'aria-labelledby': 'acc-role-h' }, h('h3', { id: 'acc-role-h' }, t('acc.changeRole')), roleForm),
      h('section', { 'aria-labelledby': 'acc-jurisdiction-h' }, h('h3', { id: 'acc-jurisdiction-h' }, t('jur.title')), areaForm),
      h('section', { 'aria-labelledby': 'acc-reset-h' }, h('h3', { id: 'acc-reset-h' }, t('acc.resetPassword')), h('p', {}, t('acc.resetHint')), resetForm),
      h('section', { 'aria-labelledby': 'acc-tokens-h' }, h('h3', { id: 'acc-tokens-h' }, t('acc.tokens')), tokensTable(tokens, false, async (id) => redraw(await revoke(id)))),
      h('section', { 'aria-labelledby': 'acc-events-h' }, h('h3', { id: 'acc-events-h' }, t('acc.events')), eventsTable(events)));
  } catch (err) {
    clear(root, h('p', {}, h('a', { href: '#/accounts' }, t('acc.back'))), h('h2', {}, t('acc.user', { name })), problem(err));
  }
}

async function myAccountScreen(root: HTMLElement, me: User, notice: HTMLElement | null = null): Promise<void> {
  const current = h('input', { id: 'my-current', type: 'password', autocomplete: 'current-password', required: true });
  const pair = passwordPair('my-password');
  const form = h('form', { class: 'grid', 'aria-labelledby': 'my-password-h' },
    h('label', { for: current.id }, t('acc.currentPassword'), current), ...pair.fields, h('button', { type: 'submit', class: 'primary' }, t('acc.changePassword')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const next = pair.value();
    if (next === null) return void myAccountScreen(root, me, message('err', t('acc.mismatch')));
    try {
      await postJSON('/api/auth/password', { currentPassword: current.value, newPassword: next });
      await myAccountScreen(root, me, message('ok', t('acc.passwordChanged')));
    } catch (err) {
      await myAccountScreen(root, me, problemCode(err) === 'WRONG_PASSWORD' ? message('err', (err as ApiError).detail ?? (err as Error).message) : problem(err));
    }
  });
  // The regions this account is responsible for (an admin sets them); said so the owner knows where the composer opens.
  const area = await Promise.all([getJSON<{ user: { jurisdiction?: string[] } | null }>('/api/auth/me'), regionNames()])
    .then(([who, regions]) => jurisdictionText(who.user?.jurisdiction, regions), () => null);
  let tokens: HTMLElement;
  try {
    const mine = (await getJSON<{ tokens: Token[] }>(`/api/tokens?user=${encodeURIComponent(me.name)}`)).tokens;
    tokens = tokensTable(mine, false, async (id) => myAccountScreen(root, me, await revoke(id)));
  } catch (err) {
    tokens = problem(err);
  }
  clear(root,
    h('h2', {}, t('acc.nav.mine')),
    notice,
    h('p', {}, `${me.name} · ${roleName(me.role)}`),
    area === null ? null : h('p', { id: 'my-jurisdiction' }, `${t('jur.title')}: ${area}`),
    h('section', { 'aria-labelledby': 'my-password-h' }, h('h3', { id: 'my-password-h' }, t('acc.changePassword')), form),
    h('section', { 'aria-labelledby': 'my-tokens-h' }, h('h3', { id: 'my-tokens-h' }, t('acc.myTokens')), tokens));
}

export const screens: Record<string, ConsoleScreen> = {
  accounts: (root, user, parts) => (parts[1] ? accountScreen(root, user, parts[1]) : accountsScreen(root)),
  'my-account': (root, user) => myAccountScreen(root, user),
};
