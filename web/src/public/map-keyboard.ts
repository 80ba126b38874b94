// Keyboard access to the map itself: with the map focused, N / P step through the shelters in view from the centre
// outwards (each announced: name, status, distance), Enter opens the one reached, and while choosing a point Enter
// takes the centre of the map, marked by a cross. Arrow keys and +/- stay MapLibre's (pan and zoom).
import { h } from '../lib/dom.ts';
import { haversine, type LonLat } from '../lib/geo.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { ShelterMap } from './map.ts';

export interface KeyboardActions {
  /** Opens the details of a shelter. */
  open(id: string): void;
  /** While choosing a point: the point chosen; returns false when no point is being chosen. */
  pick(at: LonLat): boolean;
  /** The full record of a shelter, for the announcement. */
  nameOf(id: string): { name: string; status: string } | null;
}

export class MapKeyboard {
  private list: Array<{ id: string; at: LonLat }> = [];
  private index = -1;
  private readonly hint: HTMLElement;
  private readonly line: HTMLElement;

  constructor(private readonly smap: ShelterMap, private readonly actions: KeyboardActions) {
    const container = smap.map.getContainer();
    const canvas = smap.map.getCanvas();
    // Spoken politely as the user steps through the shelters, and shown under the hint.
    this.line = h('span', { class: 'map-keys-line', role: 'status' });
    this.hint = h('div', { class: 'map-keys', id: 'map-keys', hidden: true }, h('span', { class: 'map-keys-text' }), this.line);
    container.append(h('div', { class: 'map-cross', 'aria-hidden': 'true' }), this.hint);
    canvas.setAttribute('aria-describedby', 'map-keys');
    canvas.addEventListener('focus', () => {
      // Only for keyboard focus: a tap on the map should not cover it with the hint.
      if (!canvas.matches(':focus-visible')) return;
      this.renderHint();
      this.hint.hidden = false;
      container.classList.add('keyboard');
    });
    canvas.addEventListener('blur', () => {
      this.hint.hidden = true;
      container.classList.remove('keyboard');
    });
    canvas.addEventListener('keydown', (e) => this.onKey(e));
    // A moved or re-filtered map has other shelters in view: the next N starts again from the centre.
    smap.map.on('moveend', () => { this.list = []; this.index = -1; });
  }

  renderHint(): void {
    const picking = document.body.classList.contains('picking');
    (this.hint.firstChild as HTMLElement).textContent = t((picking ? 'map.keys.pickHint' : 'map.keys.hint') as MessageKey);
  }

  /** Forgets the list (filters changed). */
  reset(): void {
    this.list = [];
    this.index = -1;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (key === 'enter' || key === ' ') {
      const c = this.smap.map.getCenter();
      if (this.actions.pick([c.lng, c.lat])) { e.preventDefault(); return; }
      const cur = this.list[this.index];
      if (cur) { e.preventDefault(); this.actions.open(cur.id); }
      return;
    }
    if (key === 'n' || key === 'p' || key === ']' || key === '[') {
      e.preventDefault();
      void this.step(key === 'n' || key === ']' ? 1 : -1);
    }
  }

  private async step(dir: 1 | -1): Promise<void> {
    if (!this.list.length) {
      // Just after a move or a filter change the dots are still being redrawn: ask once they are.
      const map = this.smap.map;
      if (!map.loaded()) await new Promise<void>((resolve) => map.once('idle', () => resolve()));
      this.list = this.smap.sheltersInView();
      this.index = -1;
    }
    if (!this.list.length) {
      this.smap.select(null);
      this.say(t('map.keys.none'));
      return;
    }
    this.index = (this.index + dir + this.list.length) % this.list.length;
    const cur = this.list[this.index];
    this.smap.select(cur.id);
    const c = this.smap.map.getCenter();
    const info = this.actions.nameOf(cur.id) ?? { name: cur.id, status: 'unknown' };
    this.say(t('map.keys.current', {
      name: info.name, status: t(`status.${info.status}` as MessageKey), metres: Math.round(haversine([c.lng, c.lat], cur.at)),
      index: this.index + 1, count: this.list.length,
    }));
  }

  private say(text: string): void {
    this.line.textContent = text;
  }
}
