// The operator console: sign in, then registry, import, alerts and resident reports, routed by the URL hash.
import '../styles.css';
import { $, h, clear } from '../lib/dom.ts';
import { t, detectLanguage, setLanguage, languagePicker } from '../i18n/index.ts';
import { currentUser, loginForm, logout, type User } from './session.ts';
import { registryScreen, shelterScreen } from './registry.ts';
import { importScreen } from './import.ts';
import { composeScreen, approvalsScreen, activeScreen, alertScreen, alertLogScreen } from './alerts.ts';
import { reportsScreen } from './reports.ts';
import { templatesScreen } from './templates.ts';
import { myShelters } from './wardens.ts';
import type { ConsoleSection, ConsoleScreen } from './sections.ts';
import { approvalsPushControl, startApprovalsBadge } from './approvals-badge.ts';
import * as unitsModule from './units/index.ts';
import * as stockModule from './stock/index.ts';
import * as planningModule from './planning/index.ts';
import * as accountsModule from './accounts/index.ts';

/** Capability modules add their own nav entries and screens; main.ts knows none of their routes. */
const MODULES: Array<{ sections: ConsoleSection[]; screens: Record<string, ConsoleScreen> }> = [unitsModule, stockModule, planningModule, accountsModule];

setLanguage(detectLanguage());
languagePicker($<HTMLSelectElement>('#lang'));
const root = $('#main');
const nav = $('#nav');
let user: User | null = null;
let stop: (() => void) | null = null;
/** The approvals badge's stream, for the signed-in approver (stopped on signing out). */
let stopBadge: (() => void) | null = null;
let badgeFor: string | null = null;
/** "Notify this device when an alert waits for approval": made once per signed-in approver, kept across screens. */
let pushControl: HTMLElement | null = null;

function stopApprovals(): void {
  stopBadge?.();
  stopBadge = null;
  badgeFor = null;
  pushControl = null;
}

const SECTIONS: Array<[string, Parameters<typeof t>[0]]> = [
  ['#/registry', 'con.nav.registry'], ['#/import', 'con.nav.import'], ['#/compose/actual', 'con.nav.compose'],
  ['#/approvals', 'con.nav.approvals'], ['#/active', 'con.nav.active'], ['#/alert-log', 'alog.title'], ['#/templates', 'altl.templates'], ['#/reports', 'con.nav.reports'],
];
/** Wardens open their shelters and report them full: their own screen first, and no import or alert drafting. */
const WARDEN_SECTIONS: Array<[string, Parameters<typeof t>[0]]> = [
  ['#/my-shelters', 'con.nav.myShelters'], ['#/registry', 'con.nav.registry'], ['#/active', 'con.nav.active'], ['#/reports', 'con.nav.reports'],
];

function home(u: User): string {
  return u.role === 'warden' ? '#/my-shelters' : '#/registry';
}

function renderChrome(): void {
  const who = $('#who');
  if (!user) {
    stopApprovals();
    nav.hidden = true;
    clear(who);
    return;
  }
  nav.hidden = false;
  const here = location.hash.split('?')[0] || home(user);
  const extra = MODULES.flatMap((m) => m.sections).filter((s) => s.roles.includes(user!.role)).map((s): [string, Parameters<typeof t>[0]] => [s.href, s.label]);
  clear(nav, h('ul', {}, ...[...(user.role === 'warden' ? WARDEN_SECTIONS : SECTIONS), ...extra].map(([href, key]) => h('li', {}, h('a', { href, 'aria-current': here.startsWith(href.replace(/\/actual$/, '')) ? 'page' : null }, t(key))))));
  if (badgeFor !== user.name) {
    stopApprovals();
    stopBadge = startApprovalsBadge(user);
    pushControl = approvalsPushControl(user);
    badgeFor = user.name;
  }
  clear(who, t('con.signedInAs', { name: user.name, role: user.role }), ' ', h('button', { type: 'button', onclick: async () => {
    await logout();
    user = null;
    stopApprovals();
    void route();
  } }, t('con.logout')), ' ', pushControl ?? '');
}

/**
 * Each navigation draws into an element of its own. Screens read their data before drawing, so one still loading when
 * the console moves on (a warden's shelters, read on landing, arriving after the screen the address now names) draws
 * into an element that has left the page, never over the newer screen. The screen on show stays until the next one
 * draws, as before.
 */
function freshView(): HTMLElement {
  const view = h('div', { class: 'screen' });
  root.append(view);
  new MutationObserver((_, observer) => {
    observer.disconnect();
    // Only the views before this one go: a newer navigation's view (appended after it) stays.
    if (!view.isConnected) return;
    while (root.firstElementChild && root.firstElementChild !== view) root.firstElementChild.remove();
  }).observe(view, { childList: true });
  return view;
}

/** Navigations so far: a screen's stop function is kept only if no navigation has come since it started. */
let navigations = 0;

async function route(): Promise<void> {
  const navigation = ++navigations;
  stop?.();
  stop = null;
  const keep = (s: (() => void) | null | undefined | void) => { if (navigation === navigations) stop = s ?? null; else s?.(); };
  document.body.classList.remove('mode-actual', 'mode-exercise');
  if (!user) user = await currentUser().catch(() => null);
  renderChrome();
  const view = freshView();
  if (!user) {
    loginForm(view, (u) => {
      user = u;
      // Wardens land on their shelters (the sign-in page itself sits on the registry's address).
      const landing = home(u);
      if (u.role === 'warden' && ['', '#', '#/', '#/registry'].includes(location.hash)) location.hash = landing;
      else void route();
    });
    return;
  }
  const [path, query] = (location.hash.slice(1) || home(user).slice(1)).split('?');
  const params = new URLSearchParams(query ?? '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const screen = MODULES.map((m) => m.screens[parts[0]]).find(Boolean);
  if (screen) {
    keep(await screen(view, user, parts, params));
    if (view.isConnected) document.title = `${view.querySelector('h2')?.textContent ?? ''} · ${t('con.title')}`;
    return;
  }
  switch (parts[0]) {
    case 'shelter': await shelterScreen(view, parts[1]); break;
    case 'import': importScreen(view); break;
    case 'compose': composeScreen(view, user, parts[1] === 'exercise' ? 'Exercise' : 'Actual'); break;
    case 'approvals': await approvalsScreen(view, user); break;
    case 'active': keep(await activeScreen(view)); break;
    case 'alert': await alertScreen(view, user, parts[1]); break;
    case 'alert-log': await alertLogScreen(view); break;
    case 'templates': await templatesScreen(view, user); break;
    case 'reports': await reportsScreen(view); break;
    case 'my-shelters': await myShelters(view); break;
    default: await registryScreen(view, params);
  }
  if (view.isConnected) document.title = `${view.querySelector('h2')?.textContent ?? ''} · ${t('con.title')}`;
}

window.addEventListener('hashchange', () => void route());
document.addEventListener('refuge:language', () => {
  if (user && pushControl) pushControl = approvalsPushControl(user); // its wording in the new language
  void route();
});
void route();
