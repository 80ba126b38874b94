// Resident reports: accepted from anyone (bounded per reporter), queued per shelter for operators,
// and confirmed (which sets the shelter's status) or dismissed.
import { randomUUID } from 'node:crypto';
import { REPORT_KINDS, STATUS_ON_CONFIRM, NOTE_MAX, type Report, type ReportKind } from './report.ts';
import type { ReportRepository, ShelterLookup } from './ports.ts';
import { ReportError } from './errors.ts';
import type { Shelter } from '../registry/shelter.ts';

export interface ReportInput {
  shelterId?: unknown;
  kind?: unknown;
  note?: unknown;
}

export interface QueueEntry {
  shelter: Pick<Shelter, 'id' | 'name' | 'address' | 'status' | 'version'> | null;
  shelterId: string;
  counts: Record<ReportKind, number>;
  reports: Report[];
}

export interface ReportLimits {
  /** Reports one reporter may file per hour. */
  perReporterPerHour: number;
}

export class ReportService {
  constructor(
    private readonly repo: ReportRepository,
    private readonly shelters: ShelterLookup,
    private readonly limits: ReportLimits = { perReporterPerHour: 20 },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Files a report; the same open report from the same reporter is returned again rather than duplicated. */
  async submit(input: ReportInput, reporterKey: string): Promise<{ report: Report; created: boolean }> {
    if (typeof input.shelterId !== 'string' || input.shelterId.length === 0) throw new ReportError('INVALID_REPORT', 'shelterId is required', 'shelterId');
    if (typeof input.kind !== 'string' || !(REPORT_KINDS as readonly string[]).includes(input.kind)) {
      throw new ReportError('INVALID_REPORT', `kind must be one of ${REPORT_KINDS.join(', ')}`, 'kind');
    }
    if (input.note !== undefined && input.note !== null && (typeof input.note !== 'string' || input.note.length > NOTE_MAX)) {
      throw new ReportError('INVALID_REPORT', `note must be text of at most ${NOTE_MAX} characters`, 'note');
    }
    const shelter = this.shelters.get(input.shelterId);
    if (!shelter || shelter.decommissionedAt) throw new ReportError('SHELTER_NOT_FOUND', `no shelter with id ${input.shelterId}`, 'shelterId');
    const kind = input.kind as ReportKind;
    const duplicate = await this.repo.findOpenDuplicate(shelter.id, kind, reporterKey);
    if (duplicate) return { report: duplicate, created: false };
    const now = this.now();
    const recent = await this.repo.countFromReporterSince(reporterKey, new Date(now.getTime() - 3600_000).toISOString());
    if (recent >= this.limits.perReporterPerHour) throw new ReportError('TOO_MANY_REPORTS', 'too many reports from this device in the last hour');
    const report: Report = {
      id: randomUUID(),
      shelterId: shelter.id,
      kind,
      note: typeof input.note === 'string' && input.note.trim() ? input.note.trim() : null,
      createdAt: now.toISOString(),
      reporterKey,
      state: 'open',
      resolvedAt: null,
      resolvedBy: null,
    };
    await this.repo.insert(report);
    return { report, created: true };
  }

  /** Open reports grouped per shelter, the shelters with the most reports first. */
  async queue(): Promise<QueueEntry[]> {
    const groups = new Map<string, Report[]>();
    for (const r of await this.repo.listOpen()) {
      const list = groups.get(r.shelterId);
      if (list) list.push(r);
      else groups.set(r.shelterId, [r]);
    }
    const out: QueueEntry[] = [];
    for (const [shelterId, reports] of groups) {
      const s = this.shelters.get(shelterId);
      const counts = { locked: 0, closed: 0, missing: 0 } as Record<ReportKind, number>;
      for (const r of reports) counts[r.kind]++;
      out.push({ shelterId, shelter: s ? { id: s.id, name: s.name, address: s.address, status: s.status, version: s.version } : null, counts, reports });
    }
    return out.sort((a, b) => b.reports.length - a.reports.length || a.reports[0].createdAt.localeCompare(b.reports[0].createdAt));
  }

  /** Confirms a report: the shelter's status is set, and every open report of the same kind for it is resolved too. */
  async confirm(id: string, actor: string): Promise<{ report: Report; shelter: Shelter; resolved: number }> {
    const report = await this.open(id);
    const status = STATUS_ON_CONFIRM[report.kind];
    const shelter = this.shelters.get(report.shelterId);
    if (!shelter) throw new ReportError('SHELTER_NOT_FOUND', `shelter ${report.shelterId} no longer exists`, 'shelterId');
    const updated = shelter.status === status ? shelter : await this.shelters.setStatus(shelter.id, status, actor);
    const same = (await this.repo.listForShelter(report.shelterId)).filter((r) => r.state === 'open' && r.kind === report.kind).map((r) => r.id);
    const resolved = await this.repo.resolve(same, 'confirmed', actor, this.now().toISOString());
    return { report: (await this.repo.get(id))!, shelter: updated, resolved };
  }

  async dismiss(id: string, actor: string): Promise<Report> {
    await this.open(id);
    await this.repo.resolve([id], 'dismissed', actor, this.now().toISOString());
    return (await this.repo.get(id))!;
  }

  async get(id: string): Promise<Report | null> {
    return this.repo.get(id);
  }

  /** Open report counts per shelter, for marking and ranking the public nearest answer. */
  async openCounts(): Promise<Map<string, Record<ReportKind, number>>> {
    return this.repo.openCounts();
  }

  async forShelter(shelterId: string): Promise<Report[]> {
    return this.repo.listForShelter(shelterId);
  }

  private async open(id: string): Promise<Report> {
    const report = await this.repo.get(id);
    if (!report) throw new ReportError('REPORT_NOT_FOUND', `no report with id ${id}`);
    if (report.state !== 'open') throw new ReportError('ALREADY_RESOLVED', `report ${id} was already ${report.state}`);
    return report;
  }
}
