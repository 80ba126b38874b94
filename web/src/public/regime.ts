// The readiness regime where the resident is (everyday, heightened readiness, emergency, martial law), as civil
// defence has set it for the region or a region above it. Shown under the alert line; the strongest one applies.
import { request } from '../lib/api.ts';
import type { LonLat } from '../lib/geo.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { regionsAt } from './data.ts';
import { REGIME_LEVELS, type EffectiveRegime } from '../../../src/api/types.ts';

const ORDER: readonly string[] = REGIME_LEVELS;

type Effective = Pick<EffectiveRegime, 'regionCode' | 'regionName' | 'level'>;

export async function showRegime(el: HTMLElement, at: LonLat): Promise<void> {
  try {
    const regions = await regionsAt(at);
    const found = await Promise.all(regions.map((r) => request<Effective>('GET', `/api/regimes/${encodeURIComponent(r.code)}`).then((x) => x.data).catch(() => null)));
    const strongest = found.filter((e): e is Effective => e !== null && ORDER.includes(e.level)).sort((a, b) => ORDER.indexOf(b.level) - ORDER.indexOf(a.level))[0];
    if (!strongest) { el.hidden = true; return; }
    el.hidden = false;
    el.dataset.level = strongest.level;
    el.textContent = t('regime.line', { region: strongest.regionName, level: t(`regime.level.${strongest.level}` as MessageKey) });
  } catch {
    el.hidden = true; // offline or no regions: nothing is said rather than something stale
  }
}
