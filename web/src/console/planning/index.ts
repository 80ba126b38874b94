// The console's planning screen: coverage within N minutes per region (a job on the server, with progress), what-if
// filters, and the current plan (a place for every resident) with whether it has gone stale.
import type { ConsoleSection, ConsoleScreen } from '../sections.ts';
import { h, clear } from '../../lib/dom.ts';
import { getJSON, postJSON, request } from '../../lib/api.ts';
import { t, formatTime } from '../../i18n/index.ts';
import type { User } from '../session.ts';
import { errorMessage, field, message, table } from '../ui.ts';
import { ROLES } from '../../../../src/api/types.ts';

const STAFF = [...ROLES];
const PLANNERS = ['admin', 'operator'];

interface RegionRow { code: string; name: string; population: number; places: number; covered: number; uncovered: number }
interface Result { mode: 'network' | 'straight-line'; totals: { population: number; places: number; covered: number; uncovered: number; meanWalkSeconds: number | null }; regions: RegionRow[]; outside: Omit<RegionRow, 'code' | 'name'>; warnings: string[] }
interface Job { id: string; state: 'queued' | 'running' | 'done' | 'failed'; progress: { phase: string } | null; error: string | null; result: Result | null }
interface CurrentPlan { id: string; createdAt: string; mode: string; stale: boolean; reasons: string[] }

export const sections: ConsoleSection[] = [{ href: '#/coverage', label: 'pl.nav', roles: STAFF }];

async function waitFor(job: Job, status: HTMLElement, stopped: () => boolean): Promise<Job> {
  while ((job.state === 'queued' || job.state === 'running') && !stopped()) {
    status.textContent = t('pl.running', { phase: job.progress?.phase ?? job.state });
    await new Promise((r) => setTimeout(r, 500));
    job = await getJSON<Job>(`/api/plan/jobs/${job.id}`);
  }
  status.textContent = '';
  return job;
}

function resultView(r: Result): HTMLElement {
  const rows = [...r.regions].sort((a, b) => b.uncovered - a.uncovered).slice(0, 100);
  const row = (name: string, g: Omit<RegionRow, 'code' | 'name'>, code?: string) => h('tr', code ? { 'data-region': code } : {},
    h('td', {}, name), h('td', {}, String(g.population)), h('td', {}, String(g.places)), h('td', {}, String(g.covered)), h('td', { class: g.uncovered > 0 ? 'level-high' : '' }, String(g.uncovered)));
  return h('section', { 'aria-live': 'polite', 'data-mode': r.mode },
    h('p', {}, h('strong', {}, t(`pl.mode.${r.mode}` as 'pl.mode.network'))),
    h('p', { 'data-totals': '' }, t('pl.totals', { covered: r.totals.covered, population: r.totals.population, uncovered: r.totals.uncovered, places: r.totals.places }),
      r.totals.meanWalkSeconds !== null ? ` ${t('pl.meanWalk', { seconds: Math.round(r.totals.meanWalkSeconds) })}` : ''),
    ...r.warnings.map((w) => message('warn', w)),
    table([t('pl.region'), t('pl.people'), t('pl.places'), t('pl.covered'), t('pl.uncovered')], [
      ...rows.map((g) => row(`${g.name} (${g.code})`, g, g.code)),
      ...(r.outside.population || r.outside.places ? [row(t('pl.outside'), r.outside)] : []),
    ]));
}

const coverageScreen: ConsoleScreen = async (root: HTMLElement, user: User) => {
  let left = false;
  const minutes = h('input', { type: 'number', id: 'pl-minutes', min: '0.5', max: '240', step: '0.5', value: '5', required: '' }) as HTMLInputElement;
  const regional = h('input', { type: 'checkbox', id: 'pl-regional' }) as HTMLInputElement;
  const noC = h('input', { type: 'checkbox', id: 'pl-no-c' }) as HTMLInputElement;
  const noLocked = h('input', { type: 'checkbox', id: 'pl-no-locked' }) as HTMLInputElement;
  const status = h('p', { role: 'status' });
  const out = h('div', {});
  const planBox = h('section', { 'aria-labelledby': 'pl-current' });
  const params = (): string => {
    const q = new URLSearchParams({ minutes: minutes.value });
    if (regional.checked) q.set('regionWarningTimes', 'true');
    if (noC.checked) q.append('excludeClass', 'C');
    if (noLocked.checked) q.set('excludeLocked', 'true');
    return q.toString();
  };
  const run = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    try {
      const first = await request<Job>('GET', `/api/plan/coverage?${params()}`);
      const job = await waitFor(first.data, status, () => left);
      if (job.state === 'failed') clear(out, message('err', job.error ?? 'failed'));
      else if (job.result) clear(out, resultView(job.result));
    } catch (err) {
      clear(out, errorMessage(err));
    }
  };
  const showPlan = async (): Promise<void> => {
    const heading = h('h3', { id: 'pl-current' }, t('pl.current'));
    let text: HTMLElement;
    try {
      const p = await getJSON<CurrentPlan>('/api/plan/current');
      text = h('p', {}, t('pl.planMade', { at: formatTime(p.createdAt), mode: p.mode }), ' ', p.stale ? t('pl.stale', { reasons: p.reasons.join('; ') }) : t('pl.fresh'));
    } catch {
      text = h('p', {}, t('pl.noPlan'));
    }
    const make = PLANNERS.includes(user.role)
      ? h('button', {
        type: 'button', onclick: async () => {
          try {
            const job = await postJSON<Job>('/api/plan/jobs', { kind: 'assign', minutes: Number(minutes.value), ...(regional.checked ? { regionWarningTimes: true } : {}) });
            await waitFor(job, status, () => left);
            await showPlan();
          } catch (err) {
            clear(planBox, heading, text, errorMessage(err));
          }
        },
      }, t('pl.makePlan'))
      : null;
    clear(planBox, heading, text, make);
  };
  clear(root,
    h('h2', {}, t('pl.title')),
    h('form', { onsubmit: run },
      field(t('pl.minutes'), minutes, 'pl-minutes'),
      h('label', {}, regional, ' ', t('pl.warningTimes')),
      h('label', {}, noC, ' ', t('pl.excludeC')),
      h('label', {}, noLocked, ' ', t('pl.excludeLocked')),
      h('button', { type: 'submit', class: 'primary' }, t('pl.run'))),
    status, out, planBox);
  await showPlan();
  return () => { left = true; };
};

export const screens: Record<string, ConsoleScreen> = { coverage: coverageScreen };
