// How open (unconfirmed) resident reports weigh on the public nearest answer: a shelter someone reported locked,
// closed or missing is still offered (the report may be wrong) but marked, and ranked after every unreported shelter
// that is reachable in time, until an operator confirms (the shelter's status changes) or dismisses the report.
import { REPORT_KINDS, type ReportKind } from './report.ts';

export type OpenReportCounts = Record<ReportKind, number>;

export function emptyCounts(): OpenReportCounts {
  return Object.fromEntries(REPORT_KINDS.map((k) => [k, 0])) as OpenReportCounts;
}

/** The minimal shape of a nearest result this ranking needs. */
export interface RankedItem {
  id: string;
  walkSeconds: number;
  reachableInTime: boolean | null;
}

/**
 * Orders results in four groups, each by walking time as given: unreported and reachable in time (or no warning time
 * given), reported and reachable, unreported and not reachable, reported and not reachable. Reported results carry
 * `openReports`. The input must be ordered by walking time; the sort is stable. Returns at most `k` results.
 */
export function rankWithReports<T extends RankedItem>(results: T[], open: ReadonlyMap<string, OpenReportCounts>, k: number): Array<T & { openReports?: OpenReportCounts }> {
  const group = (r: T) => (r.reachableInTime === false ? 2 : 0) + (open.has(r.id) ? 1 : 0);
  return results
    .map((r, i) => ({ r, i, g: group(r) }))
    .sort((a, b) => a.g - b.g || a.i - b.i)
    .slice(0, k)
    .map(({ r }) => {
      const counts = open.get(r.id);
      return counts ? { ...r, openReports: { ...counts } } : r;
    });
}
