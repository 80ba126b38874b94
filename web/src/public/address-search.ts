// The address and place search box of the public page: an ARIA combobox over the place index (GET /api/places.json:
// shelters' names and addresses, streets with their house numbers, areas), matched on the device (web/src/lib/text-fold.ts), so it works
// offline once the index has been fetched (the service worker keeps it). The index is fetched lazily: on the box's
// first focus, or when the page is idle after the alert stream has connected; never before the alerts.
import { h, clear } from '../lib/dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { request } from '../lib/api.ts';
import type { LonLat } from '../lib/geo.ts';
import { PlaceMatcher, entriesOf, type PlaceEntry, type PlaceIndexDoc, type PlaceMatch } from '../lib/text-fold.ts';

let loading: Promise<PlaceMatcher> | null = null;

/** The place index, fetched once per page (a failure is tried again on the next call). */
export function loadPlaceIndex(): Promise<PlaceMatcher> {
  if (!loading) {
    const attempt = request<PlaceIndexDoc>('GET', '/api/places.json').then((r) => {
      const doc = r.data;
      if (!doc || typeof doc !== 'object' || !Array.isArray(doc.shelters) || !Array.isArray(doc.streets)) throw new Error('not a place index');
      return new PlaceMatcher(entriesOf(doc));
    });
    loading = attempt;
    attempt.catch(() => { if (loading === attempt) loading = null; });
  }
  return loading;
}

/** Fetches the index when the browser is idle (called once the alert stream is connected). */
export function preloadPlaceIndex(): void {
  const go = () => { loadPlaceIndex().catch(() => undefined); };
  if ('requestIdleCallback' in window) window.requestIdleCallback(go, { timeout: 10_000 });
  else setTimeout(go, 2000);
}

export interface AddressSearchHooks {
  /** Where the resident is looking (the map's centre, or the last point searched from), to rank equal names. */
  near(): LonLat | null;
  /** A place was chosen: move there and search the nearest shelter from it. */
  choose(entry: PlaceEntry, label: string): void;
}

const LIMIT = 10;

export class AddressSearch {
  private matcher: PlaceMatcher | null = null;
  private results: PlaceMatch[] = [];
  private active = -1;
  /** When fetching the index last failed (0: it has not); typing tries again after a while (the network may be back). */
  private failedAt = 0;
  private pending: Promise<void> | null = null;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly label: HTMLLabelElement;

  constructor(private readonly root: HTMLElement, private readonly hooks: AddressSearchHooks) {
    this.label = h('label', { for: 'addr-input', class: 'sr-only' });
    this.input = h('input', {
      id: 'addr-input', type: 'search', role: 'combobox', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false',
      enterkeyhint: 'search', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'addr-list', dir: 'auto',
    });
    this.clearButton = h('button', { type: 'button', class: 'addr-clear', hidden: true }, '×');
    this.list = h('ul', { id: 'addr-list', role: 'listbox', class: 'addr-list', hidden: true });
    this.status = h('p', { id: 'addr-status', class: 'addr-status', role: 'status' });
    clear(root, this.label, h('div', { class: 'addr-row' }, this.input, this.clearButton), this.list, this.status);
    this.relabel();

    this.input.addEventListener('focus', () => { void this.ensure(); });
    this.input.addEventListener('input', () => this.update());
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    root.addEventListener('focusout', (e) => {
      if (!root.contains((e as FocusEvent).relatedTarget as Node | null)) this.close();
    });
    // A tap on an option must not blur the box first (the list would close under the finger).
    this.list.addEventListener('mousedown', (e) => e.preventDefault());
    this.clearButton.addEventListener('click', () => {
      this.input.value = '';
      this.update();
      this.input.focus();
    });
    document.addEventListener('refuge:language', () => {
      this.relabel();
      if (this.input.value.trim()) this.update();
    });
  }

  private relabel(): void {
    this.label.textContent = t('addr.label');
    this.input.placeholder = t('addr.placeholder');
    this.list.setAttribute('aria-label', t('addr.listLabel'));
    this.clearButton.setAttribute('aria-label', t('addr.clear'));
  }

  private ensure(): Promise<void> {
    if (this.matcher) return Promise.resolve();
    this.pending ??= loadPlaceIndex().then((matcher) => {
      this.matcher = matcher;
      this.failedAt = 0;
      this.root.dataset.places = String(matcher.size);
      if (this.input.value.trim()) this.update();
    }, () => {
      this.failedAt = Date.now();
      if (this.input.value.trim()) this.say('addr.unavailable');
    }).finally(() => { this.pending = null; });
    return this.pending;
  }

  private say(key: MessageKey | null, params: Record<string, string | number> = {}, visible = true): void {
    this.status.textContent = key ? t(key, params) : '';
    this.status.classList.toggle('sr-only', !visible);
  }

  private update(): void {
    const q = this.input.value;
    this.clearButton.hidden = q.length === 0;
    if (!q.trim()) {
      this.results = [];
      this.close();
      this.say(null);
      return;
    }
    if (!this.matcher) {
      this.close();
      if (this.failedAt && Date.now() - this.failedAt < 5000) { this.say('addr.unavailable'); return; }
      if (!this.pending) this.say('addr.loading');
      void this.ensure();
      return;
    }
    this.results = this.matcher.search(q, { limit: LIMIT, near: this.hooks.near() });
    this.active = -1;
    this.render();
  }

  private render(): void {
    if (this.results.length === 0) {
      this.close();
      this.say('addr.none', { query: this.input.value.trim() });
      return;
    }
    clear(this.list, ...this.results.map((r, i) => {
      const e = r.entry;
      return h('li', {
        id: `addr-opt-${i}`, role: 'option', class: `addr-option kind-${e.kind}`, 'aria-selected': 'false', 'data-kind': e.kind,
        onclick: () => this.choose(i),
      },
      h('span', { class: 'addr-name', dir: 'auto' }, e.label),
      e.detail ? h('span', { class: 'addr-detail', dir: 'auto' }, e.detail) : null,
      h('span', { class: 'addr-kind' }, t(`addr.kind.${e.kind}` as MessageKey), r.numberIgnored ? ` · ${t(e.houses?.length ? 'addr.numberNotFound' : 'addr.numberUnknown')}` : ''));
    }));
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.input.removeAttribute('aria-activedescendant');
    this.say('addr.count', { count: this.results.length }, false);
  }

  private close(): void {
    this.list.hidden = true;
    this.active = -1;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private setActive(i: number): void {
    const options = this.list.querySelectorAll<HTMLElement>('[role=option]');
    this.active = i;
    options.forEach((o, j) => o.setAttribute('aria-selected', String(j === i)));
    const el = options[i];
    if (el) {
      this.input.setAttribute('aria-activedescendant', el.id);
      el.scrollIntoView({ block: 'nearest' });
    }
  }

  private onKey(e: KeyboardEvent): void {
    const open = !this.list.hidden;
    const n = this.results.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (n === 0) return;
      e.preventDefault();
      if (!open) this.render();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      this.setActive(this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n);
    } else if (e.key === 'Enter') {
      if (!open || n === 0) return;
      e.preventDefault();
      this.choose(this.active >= 0 ? this.active : 0);
    } else if (e.key === 'Escape') {
      if (open) { e.preventDefault(); this.close(); }
      else if (this.input.value) { e.preventDefault(); this.input.value = ''; this.update(); }
    }
  }

  private choose(i: number): void {
    const r = this.results[i];
    if (!r) return;
    const label = r.entry.detail && r.entry.kind !== 'shelter' ? `${r.entry.label}, ${r.entry.detail}` : r.entry.label;
    this.input.value = r.entry.label;
    this.close();
    this.say(null);
    this.hooks.choose(r.entry, label);
  }
}
