// Readiness regimes per region: everyday, heightened, emergency, martial law. A change records who, when and why;
// sub-regions inherit the nearest ancestor's setting unless set themselves; levels can be configured to need a
// second person's approval (as alerts do) before they take force.
import { randomUUID } from 'node:crypto';
import { UnitError } from './errors.ts';
import { LIMITS, REGIME_DEFAULT_NAMES, REGIME_LEVELS, type EffectiveRegime, type RegimeChange, type RegimeLevel } from './model.ts';
import type { RegimeRepository, RegionTree } from './ports.ts';
import * as v from './validate.ts';

export interface RegimeConfig {
  /** Display names per level (the identifiers stay fixed). */
  names: Record<RegimeLevel, string>;
  /** Levels whose setting needs a second person's approval. */
  approvalRequired: RegimeLevel[];
}

export const DEFAULT_REGIME_CONFIG: RegimeConfig = { names: { ...REGIME_DEFAULT_NAMES }, approvalRequired: [] };

/** Reads "heightened=Elevated;emergency=State of emergency" and "emergency,martial-law" (configuration text). */
export function parseRegimeConfig(names: string | undefined, approval: string | undefined): RegimeConfig {
  const out: RegimeConfig = { names: { ...REGIME_DEFAULT_NAMES }, approvalRequired: [] };
  for (const part of (names ?? '').split(';').map((s) => s.trim()).filter(Boolean)) {
    const [level, ...rest] = part.split('=');
    if (!isLevel(level.trim()) || !rest.join('=').trim()) throw new Error(`regime names: "${part}" is not LEVEL=Name with LEVEL one of ${REGIME_LEVELS.join(', ')}`);
    out.names[level.trim() as RegimeLevel] = rest.join('=').trim();
  }
  for (const level of (approval ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!isLevel(level)) throw new Error(`regime approval: "${level}" is not one of ${REGIME_LEVELS.join(', ')}`);
    out.approvalRequired.push(level);
  }
  return out;
}

export function isLevel(v: unknown): v is RegimeLevel {
  return typeof v === 'string' && (REGIME_LEVELS as readonly string[]).includes(v);
}

export class RegimeService {
  constructor(
    private readonly repo: RegimeRepository,
    private readonly regions: () => RegionTree,
    readonly config: RegimeConfig = DEFAULT_REGIME_CONFIG,
    private readonly now: () => Date = () => new Date(),
  ) {}

  levels(): Array<{ level: RegimeLevel; name: string; approvalRequired: boolean }> {
    return REGIME_LEVELS.map((level) => ({ level, name: this.config.names[level], approvalRequired: this.config.approvalRequired.includes(level) }));
  }

  /** Sets a region's regime; in force at once, or pending a second person when the level needs approval. */
  async set(regionCode: string, input: { level?: unknown; reason?: unknown }, actor: string): Promise<{ change: RegimeChange; effective: EffectiveRegime }> {
    this.region(regionCode);
    if (!isLevel(input.level)) throw new UnitError('INVALID_INPUT', `level must be one of ${REGIME_LEVELS.join(', ')}`, 'level');
    const reason = v.text(input.reason, 'reason', LIMITS.reason, true);
    const at = this.now().toISOString();
    const needsApproval = this.config.approvalRequired.includes(input.level);
    const change: RegimeChange = {
      id: randomUUID(), regionCode, level: input.level, reason, requestedBy: actor, requestedAt: at,
      state: needsApproval ? 'pending' : 'in-force', decidedBy: needsApproval ? null : actor, decidedAt: needsApproval ? null : at,
    };
    await this.repo.insertChange(change);
    return { change, effective: await this.effective(regionCode) };
  }

  /** A second person approves (it takes force) or rejects a pending change. */
  async decide(changeId: string, approve: boolean, actor: string): Promise<{ change: RegimeChange; effective: EffectiveRegime }> {
    const c = await this.repo.getChange(changeId);
    if (!c) throw new UnitError('CHANGE_NOT_FOUND', `no regime change with id ${changeId}`, 'id');
    if (c.state !== 'pending') throw new UnitError('CHANGE_DECIDED', `the change is already ${c.state}`);
    if (c.requestedBy === actor) throw new UnitError('SAME_PERSON', 'a change must be approved by someone other than who asked for it');
    if (!(await this.repo.decide(changeId, approve ? 'in-force' : 'rejected', actor, this.now().toISOString()))) {
      throw new UnitError('CHANGE_DECIDED', 'the change was decided meanwhile');
    }
    return { change: (await this.repo.getChange(changeId))!, effective: await this.effective(c.regionCode) };
  }

  /** The regime in force in a region: its own setting, or the nearest ancestor's, or everyday. */
  async effective(regionCode: string): Promise<EffectiveRegime> {
    this.region(regionCode);
    return this.resolve(regionCode, await this.inForceMap(), await this.pendingMap());
  }

  /** Every known region's effective regime. */
  async all(): Promise<EffectiveRegime[]> {
    const inForce = await this.inForceMap();
    const pending = await this.pendingMap();
    return this.regions().list().map((r) => this.resolve(r.code, inForce, pending));
  }

  async history(regionCode: string): Promise<RegimeChange[]> {
    this.region(regionCode);
    return this.repo.history(regionCode);
  }

  pending(): Promise<RegimeChange[]> {
    return this.repo.pending();
  }

  /** One change by id, or null. */
  change(id: string): Promise<RegimeChange | null> {
    return this.repo.getChange(id);
  }

  /** Whether a level is a raise that must follow a recent sign-in (emergency and martial law), set or approved. */
  static isDangerous(level: unknown): level is 'emergency' | 'martial-law' {
    return level === 'emergency' || level === 'martial-law';
  }

  private resolve(code: string, inForce: Map<string, RegimeChange>, pending: Map<string, RegimeChange>): EffectiveRegime {
    const tree = this.regions();
    const region = tree.get(code);
    const where = { regionCode: code, regionName: region?.name ?? code, parentCode: region?.parentCode ?? null };
    let c: string | null = code;
    const seen = new Set<string>();
    while (c && !seen.has(c) && seen.size < 32) {
      seen.add(c);
      const set = inForce.get(c);
      if (set) return { ...where, level: set.level, name: this.config.names[set.level], setIn: c, inherited: c !== code, change: set, pending: pending.get(code) ?? null };
      c = tree.get(c)?.parentCode ?? null;
    }
    return { ...where, level: 'everyday', name: this.config.names.everyday, setIn: null, inherited: true, change: null, pending: pending.get(code) ?? null };
  }

  private async inForceMap(): Promise<Map<string, RegimeChange>> {
    return new Map((await this.repo.inForce()).map((c) => [c.regionCode, c]));
  }

  private async pendingMap(): Promise<Map<string, RegimeChange>> {
    const out = new Map<string, RegimeChange>();
    for (const c of await this.repo.pending()) if (!out.has(c.regionCode) || out.get(c.regionCode)!.requestedAt < c.requestedAt) out.set(c.regionCode, c);
    return out;
  }

  private region(code: string): void {
    if (!this.regions().get(code)) throw new UnitError('REGION_NOT_FOUND', `no region with code ${code}`, 'regionCode');
  }
}
