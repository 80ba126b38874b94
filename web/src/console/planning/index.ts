// The console's planning screen: coverage within N minutes per region (a job on the server, with progress), what-if
// filters, the current plan (a place for every resident) with whether it has gone stale, and its map (plan-map.ts):
// cells by walking time, people without a place, shelters' load, and proposed sites with their gain.
import type { ConsoleSection, ConsoleScreen } from '../sections.ts';
import { h, clear } from '../../lib/dom.ts';
import { getJSON, postJSON, request } from '../../lib/api.ts';
import { t, formatTime } from '../../i18n/index.ts';
import type { User } from '../session.ts';
import { errorMessage, field, message, table } from '../ui.ts';
import { ROLES } from '../../../../src/api/types.ts';
import { createPlanMap, sitesTable, type PlanMap, type ProposedSite } from './plan-map.ts';

const STAFF = [...ROLES];
const PLANNERS = ['admin', 'operator'];

interface RegionRow { code: string; name: string; population: number; places: number; covered: number; uncovered: number }
interface Result { mode: 'network' | 'straight-line'; totals: { population: number; places: number; covered: number; uncovered: number; meanWalkSeconds: number | null }; regions: RegionRow[]; outside: Omit<RegionRow, 'code' | 'name'>; warnings: string[] }
interface Job { id: string; state: 'queued' | 'running' | 'done' | 'failed'; progress: { phase: string } | null; error: string | null; result: Result | null }
interface CurrentPlan {
  id: string; createdAt: string; mode: 'network' | 'straight-line'; stale: boolean; reasons: string[];
  params: { minutes: number; regionWarningTimes?: boolean; speed?: number; detour?: number | null; whatIf?: { excludeClasses?: string[]; notVerifiedForDays?: number; excludeLocked?: boolean } };
  populationEstimated: boolean; extent: [number, number, number, number] | null;
}
interface PlanListItem { id: string; createdAt: string; params: { minutes?: number }; totals: { covered: number; population: number } | null; current: boolean; stale: boolean }
interface SitingJobResult { before: { covered: number }; after: { covered: number }; sites: ProposedSite[] }

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
  let planMap: PlanMap | null = null;
  const mapBox = h('div', {});
  const sitesOut = h('div', { 'aria-live': 'polite' });
  const siteCount = h('input', { type: 'number', min: '1', max: '1000', step: '1', value: '5', required: '' }) as HTMLInputElement;
  const siteCapacity = h('input', { type: 'number', min: '1', max: '1000000', step: '1', value: '300', required: '' }) as HTMLInputElement;
  /** Siting on the current plan's parameters: the sites it proposes and what each adds, on the map and in a table. */
  const proposeSites = async (p: CurrentPlan, ev: Event): Promise<void> => {
    ev.preventDefault();
    const q = new URLSearchParams({ minutes: String(p.params.minutes), count: siteCount.value, capacity: siteCapacity.value });
    if (p.params.regionWarningTimes) q.set('regionWarningTimes', 'true');
    if (p.params.speed !== undefined) q.set('speed', String(p.params.speed));
    if (p.params.detour !== undefined && p.params.detour !== null) q.set('detour', String(p.params.detour));
    for (const c of p.params.whatIf?.excludeClasses ?? []) q.append('excludeClass', c);
    if (p.params.whatIf?.notVerifiedForDays !== undefined) q.set('notVerifiedForDays', String(p.params.whatIf.notVerifiedForDays));
    if (p.params.whatIf?.excludeLocked) q.set('excludeLocked', 'true');
    try {
      const first = await request<Job>('GET', `/api/plan/siting?${q}`);
      const job = await waitFor(first.data, status, () => left);
      if (left) return;
      if (job.state === 'failed' || !job.result) { clear(sitesOut, message('err', job.error ?? 'failed')); return; }
      const r = job.result as unknown as SitingJobResult;
      planMap?.setSites(r.sites);
      const gain = r.after.covered - r.before.covered;
      clear(sitesOut,
        h('p', { 'data-sites': String(r.sites.length) }, r.sites.length && gain > 0 ? t('pm.sites.summary', { n: r.sites.length, gain, before: r.before.covered, after: r.after.covered }) : t('pm.sites.none')),
        r.sites.length ? sitesTable(r.sites) : null);
    } catch (err) {
      clear(sitesOut, errorMessage(err));
    }
  };
  const showMap = (p: CurrentPlan, planId?: string): void => {
    planMap?.destroy();
    planMap = createPlanMap();
    clear(sitesOut);
    const form = h('form', { class: 'pm-sites-form', onsubmit: (ev: Event) => proposeSites(p, ev) },
      h('h3', {}, t('pm.sites.heading')),
      field(t('pm.sites.count'), siteCount, 'pm-site-count'),
      field(t('pm.sites.capacity'), siteCapacity, 'pm-site-capacity'),
      h('button', { type: 'submit' }, t('pm.sites.run')));
    clear(mapBox, planMap.element, form, sitesOut);
    planMap.show({
      mode: p.mode, detour: p.params.detour ?? null, minutes: Number(p.params.minutes), regionWarningTimes: Boolean(p.params.regionWarningTimes),
      populationEstimated: p.populationEstimated, extent: p.extent, ...(planId ? { planId } : {}),
    });
  };
  /** Any stored assignment plan on the map, not only the current one (newest first, the current one selected). */
  const planSelector = async (current: CurrentPlan): Promise<HTMLElement | null> => {
    const { plans } = await getJSON<{ plans: PlanListItem[] }>('/api/plan/plans?kind=assign&limit=50');
    if (plans.length < 2) return null;
    const select = h('select', { id: 'pl-plan-select' }, ...plans.map((p) => h('option', { value: p.id, ...(p.id === current.id ? { selected: '' } : {}) },
      t('pj.option', { at: formatTime(p.createdAt), minutes: p.params.minutes ?? '?', covered: p.totals?.covered ?? '?', population: p.totals?.population ?? '?' }),
      p.current ? ` ${t('pj.current')}` : '', p.stale ? ` ${t('pj.stale')}` : ''))) as HTMLSelectElement;
    const note = h('p', { 'aria-live': 'polite', id: 'pl-plan-showing' });
    select.addEventListener('change', async () => {
      try {
        const chosen = plans.find((p) => p.id === select.value)!;
        const p = await getJSON<CurrentPlan>(`/api/plan/plans/${encodeURIComponent(chosen.id)}`);
        if (left) return;
        showMap(p, chosen.current ? undefined : chosen.id);
        note.textContent = t('pj.showing', { at: formatTime(p.createdAt) });
      } catch (err) {
        clear(note, errorMessage(err));
      }
    });
    return h('div', { class: 'pl-plan-select' }, field(t('pj.select'), select, 'pl-plan-select'), note);
  };
  const showPlan = async (): Promise<void> => {
    const heading = h('h3', { id: 'pl-current' }, t('pl.current'));
    let text: HTMLElement;
    let selector: HTMLElement | null = null;
    try {
      const p = await getJSON<CurrentPlan>('/api/plan/current');
      text = h('p', {}, t('pl.planMade', { at: formatTime(p.createdAt), mode: p.mode }), ' ', p.stale ? t('pl.stale', { reasons: p.reasons.join('; ') }) : t('pl.fresh'));
      if (!left) showMap(p);
      selector = await planSelector(p).catch((err) => errorMessage(err));
    } catch {
      text = h('p', {}, t('pl.noPlan'));
      planMap?.destroy();
      planMap = null;
      clear(mapBox);
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
    clear(planBox, heading, text, make, selector);
  };
  // The region report (Markdown from the server, for the current form's parameters, optionally with proposed sites).
  const reportSites = h('input', { type: 'number', min: '0', max: '1000', step: '1', value: '0' }) as HTMLInputElement;
  const reportCapacity = h('input', { type: 'number', min: '1', max: '1000000', step: '1', value: '300' }) as HTMLInputElement;
  const reportOut = h('div', { 'aria-live': 'polite' });
  const makeReport = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    const q = new URLSearchParams(params());
    if (Number(reportSites.value) > 0) { q.set('sites', reportSites.value); q.set('capacity', reportCapacity.value); }
    try {
      let r = await request<unknown>('GET', `/api/plan/report?${q}`);
      while (typeof r.data !== 'string' && !left) {
        const p = r.data as { state?: string; progress?: { phase: string } | null };
        status.textContent = t('pl.running', { phase: p.progress?.phase ?? p.state ?? '' });
        await new Promise((res) => setTimeout(res, 500));
        r = await request<unknown>('GET', `/api/plan/report?${q}`);
      }
      status.textContent = '';
      if (left) return;
      const text = r.data as string;
      const link = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/markdown' })), download: 'coverage-report.md' }, t('pm.report.download'));
      clear(reportOut, link, h('pre', { class: 'pm-report', tabindex: '0', 'aria-label': t('pm.report.heading') }, text));
    } catch (err) {
      status.textContent = '';
      clear(reportOut, errorMessage(err));
    }
  };
  const reportBox = h('section', { 'aria-labelledby': 'pm-report-heading' },
    h('h3', { id: 'pm-report-heading' }, t('pm.report.heading')),
    h('form', { onsubmit: makeReport },
      field(t('pm.report.sites'), reportSites, 'pm-report-sites'),
      field(t('pm.sites.capacity'), reportCapacity, 'pm-report-capacity'),
      h('button', { type: 'submit' }, t('pm.report.run'))),
    reportOut);
  clear(root,
    h('h2', {}, t('pl.title')),
    h('form', { onsubmit: run },
      field(t('pl.minutes'), minutes, 'pl-minutes'),
      h('label', {}, regional, ' ', t('pl.warningTimes')),
      h('label', {}, noC, ' ', t('pl.excludeC')),
      h('label', {}, noLocked, ' ', t('pl.excludeLocked')),
      h('button', { type: 'submit', class: 'primary' }, t('pl.run'))),
    status, out, planBox, mapBox, reportBox);
  await showPlan();
  return () => { left = true; planMap?.destroy(); };
};

export const screens: Record<string, ConsoleScreen> = { coverage: coverageScreen };
