// The resident's pace: what counts as reachable in time depends on how fast they can go. The server's walking times
// are at 1.3 m/s; a runner covers about twice that, someone slow or in a wheelchair a little over half.
import { h } from '../lib/dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';

export const PACES = ['walk', 'run', 'slow'] as const;
export type Pace = (typeof PACES)[number];

/** Speed relative to the server's walking speed (1.3 m/s): run 2.6 m/s, slow or wheelchair 0.7 m/s. */
export const PACE_FACTOR: Record<Pace, number> = { walk: 1, run: 2, slow: 0.55 };

const KEY = 'refuge.pace';

export function pace(): Pace {
  const p = localStorage.getItem(KEY);
  return (PACES as readonly string[]).includes(p ?? '') ? (p as Pace) : 'walk';
}

export function setPace(p: Pace): void {
  localStorage.setItem(KEY, p);
  document.dispatchEvent(new CustomEvent('refuge:pace', { detail: p }));
}

/** The warning time to ask the server with: a shelter reachable at this pace within `seconds` is one the server
 * reaches at walking speed within seconds × factor. */
export function withinForPace(seconds: number | null, p: Pace = pace()): number | null {
  return seconds === null ? null : Math.max(1, Math.round(seconds * PACE_FACTOR[p]));
}

/** Seconds at this pace for a walking time at the server's speed. */
export function secondsAtPace(walkSeconds: number, p: Pace = pace()): number {
  return walkSeconds / PACE_FACTOR[p];
}

/** Three toggle buttons; choosing one stores it and says so (refuge:pace), and the screens search again. */
export function paceChooser(idPrefix: string): HTMLElement {
  const current = pace();
  return h('div', { class: 'pace', role: 'group', 'aria-labelledby': `${idPrefix}-pace-label` },
    h('span', { id: `${idPrefix}-pace-label`, class: 'pace-label' }, t('pace.label')),
    ...PACES.map((p) => h('button', { type: 'button', class: `pace-${p}`, 'data-pace': p, 'aria-pressed': String(p === current), onclick: () => setPace(p) }, t(`pace.${p}` as MessageKey))));
}

/** The same choice in one line (the results panel must leave the route in view on a phone). */
export function paceSelect(idPrefix: string): HTMLElement {
  const current = pace();
  const id = `${idPrefix}-pace`;
  return h('p', { class: 'pace pace-line' },
    h('label', { for: id, class: 'pace-label' }, t('pace.label')), ' ',
    h('select', { id, onchange: (e: Event) => setPace((e.target as HTMLSelectElement).value as Pace) },
      ...PACES.map((p) => h('option', { value: p, selected: p === current }, t(`pace.${p}` as MessageKey)))));
}
