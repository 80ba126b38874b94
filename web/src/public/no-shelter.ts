// What to do when no shelter can be reached in time, by where the resident is (the Home Front Command's and civil
// defence's advice): outdoors, in a car, in a building without a shelter. Shown on the alert screen instead of a
// bare "not reachable in time".
import { h, clear } from '../lib/dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';

export const SITUATIONS = ['outdoors', 'car', 'building'] as const;
export type Situation = (typeof SITUATIONS)[number];

const STEPS: Record<Situation, number> = { outdoors: 3, car: 3, building: 4 };
const KEY = 'refuge.situation';

function chosen(): Situation {
  const s = sessionStorage.getItem(KEY);
  return (SITUATIONS as readonly string[]).includes(s ?? '') ? (s as Situation) : 'outdoors';
}

/** The advice block: a choice of situation and the steps for it, in the resident's language. */
export function noShelterAdvice(idPrefix: string): HTMLElement {
  let current = chosen();
  const steps = h('ol', { class: 'advice-steps', 'aria-live': 'polite' });
  const buttons = SITUATIONS.map((s) => h('button', { type: 'button', class: `situation-${s}`, 'data-situation': s, 'aria-pressed': String(s === current), onclick: () => pick(s) }, t(`noshelter.${s}` as MessageKey)));
  const draw = () => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.situation === current));
    steps.dataset.situation = current;
    clear(steps, ...Array.from({ length: STEPS[current] }, (_, i) => h('li', {}, t(`noshelter.${current}.${i + 1}` as MessageKey))));
  };
  const pick = (s: Situation) => {
    current = s;
    sessionStorage.setItem(KEY, s);
    draw();
  };
  draw();
  return h('section', { class: 'no-shelter', 'aria-labelledby': `${idPrefix}-no-shelter-title` },
    h('h3', { id: `${idPrefix}-no-shelter-title` }, t('noshelter.title')),
    h('div', { class: 'situations', role: 'group', 'aria-label': t('noshelter.where') }, ...buttons),
    steps);
}
