// A readable report per region: people, places, covered, uncovered, the three largest gaps (cells with the most
// people left without a place), what proposed sites would add, and the inputs' versions and dates. Markdown.
import type { RegionIndex } from '../geo/region-index.ts';
import type { PopulationCell } from './population.ts';
import type { PlanResult } from './plan.ts';
import type { Site } from './siting.ts';

export interface ReportInputs {
  generatedAt: string;
  registryVersion: string;
  /** When the registry last changed (the latest shelter update), where known. */
  registryChangedAt?: string;
  populationVersion: string;
  populationFile: string;
  populationImportedAt?: string;
  populationEstimated?: boolean;
  networkVersion: string | null;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function cellText(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function regionReport(before: PlanResult, cells: PopulationCell[], regions: RegionIndex | null, inputs: ReportInputs, after?: { plan: PlanResult; sites: Site[] }): string {
  const out: string[] = [];
  const p = before.parameters;
  out.push(`# Shelter coverage report`, '');
  out.push(`Threshold: ${p.regionWarningTimes ? `each region's warning time (${p.minutes} min where none)` : `${p.minutes} min`} of walking at ${p.speed} m/s; ` +
    `walking times ${before.mode === 'network' ? 'along the street network' : `in a straight line x ${p.detour} (no street network loaded)`}.`);
  out.push('', `Inputs: registry ${inputs.registryVersion}${inputs.registryChangedAt ? ` (last changed ${inputs.registryChangedAt})` : ''}; population ${inputs.populationVersion} from ${inputs.populationFile}${inputs.populationImportedAt ? ` (imported ${inputs.populationImportedAt})` : ''}; ` +
    `network ${inputs.networkVersion ?? 'none'}; made ${inputs.generatedAt}.`);
  if (inputs.populationEstimated) out.push('', '**The population is an ESTIMATE from OpenStreetMap buildings, not a census.**');
  const t = before.totals;
  out.push('', `**Total:** ${fmt(t.population)} people, ${fmt(t.places)} places, ${fmt(t.covered)} covered, ${fmt(t.uncovered)} without a place` +
    `${t.meanWalkSeconds !== null ? `; mean walk ${Math.round(t.meanWalkSeconds)} s` : ''}.`);
  if (after) out.push('', `With ${after.sites.length} proposed sites: ${fmt(after.plan.totals.covered)} covered (+${fmt(after.plan.totals.covered - t.covered)}).`);
  for (const w of before.warnings) out.push('', `> ${cellText(w)}`);

  // Largest gaps: uncovered people per cell, grouped by the cell's region.
  const uncovered = new Map<string, number>();
  for (const a of before.assignments) if (a.shelterId === null) uncovered.set(a.cellKey, (uncovered.get(a.cellKey) ?? 0) + a.people);
  const gaps = new Map<string, Array<{ key: string; people: number }>>();
  for (const c of cells) {
    const u = uncovered.get(c.key);
    if (!u) continue;
    const code = regions?.regionsAt(c.lat, c.lon)[0]?.code ?? '';
    const l = gaps.get(code) ?? [];
    l.push({ key: c.key, people: u });
    gaps.set(code, l);
  }
  const afterBy = new Map((after?.plan.regions ?? []).map((g) => [g.code, g]));
  const rows = [...before.regions, { code: '', name: '(outside every region)', ...before.outside }].filter((g) => g.population > 0 || g.places > 0);
  rows.sort((a, b) => b.uncovered - a.uncovered || a.code.localeCompare(b.code));
  out.push('', `| Region | People | Places | Covered | Without a place | Largest gaps (cell: people) |${after ? ' With proposed sites |' : ''}`);
  out.push(`|---|---:|---:|---:|---:|---|${after ? '---:|' : ''}`);
  for (const g of rows) {
    const top = (gaps.get(g.code) ?? []).sort((a, b) => b.people - a.people).slice(0, 3).map((x) => `${x.key}: ${fmt(x.people)}`).join(', ');
    const add = after ? ` +${fmt((g.code ? afterBy.get(g.code)?.covered ?? g.covered : after.plan.outside.covered) - g.covered)} |` : '';
    out.push(`| ${cellText(g.code ? `${g.name} (${g.code})` : g.name)} | ${fmt(g.population)} | ${fmt(g.places)} | ${fmt(g.covered)} | ${fmt(g.uncovered)} | ${cellText(top)} |${add}`);
  }
  if (after?.sites.length) {
    out.push('', '## Proposed sites', '', '| # | Site | Position | Places | People newly covered |', '|---:|---|---|---:|---:|');
    after.sites.forEach((s, i) => out.push(`| ${i + 1} | ${cellText(s.id)} | ${s.lat.toFixed(5)}, ${s.lon.toFixed(5)} | ${fmt(s.capacity)} | ${fmt(s.gain)} |`));
  }
  return out.join('\n') + '\n';
}
