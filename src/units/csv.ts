// Units and members as CSV: one row per member, the unit's columns repeated on each (a unit without members is one
// row with the member columns empty). The export imports back unchanged. An import with any bad row is refused
// whole, with every problem reported as line, column and reason (as the shelter import does).
import { parse } from 'csv-parse/sync';
import { UnitError } from './errors.ts';
import type { Member, Unit } from './model.ts';
import type { UnitService } from './units-service.ts';

export const CSV_COLUMNS = [
  'unit_id', 'unit_name', 'unit_type', 'unit_region', 'base_lat', 'base_lon', 'base_address', 'required_roles',
  'member_id', 'member_name', 'role', 'phone', 'email', 'user', 'skills', 'certificates', 'availability', 'available_from',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

export interface CsvProblem {
  line: number;
  column: string;
  reason: string;
}

export class UnitCsvRejected extends Error {
  constructor(readonly problems: CsvProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the file; nothing was imported`);
    this.name = 'UnitCsvRejected';
  }
}

/** Which input field of the services each CSV column feeds, for error reports. */
const FIELD_COLUMN: Record<string, Column> = {
  id: 'unit_id', name: 'unit_name', type: 'unit_type', region: 'unit_region', 'base.lat': 'base_lat', 'base.lon': 'base_lon', 'base.address': 'base_address',
  requiredRoles: 'required_roles',
};
const MEMBER_FIELD_COLUMN: Record<string, Column> = {
  id: 'member_id', name: 'member_name', role: 'role', 'contact.phone': 'phone', 'contact.email': 'email', user: 'user', skills: 'skills',
  certificates: 'certificates', availability: 'availability', availableFrom: 'available_from',
};

function columnOf(field: string | null, map: Record<string, Column>): string {
  if (!field) return '';
  const key = Object.keys(map).find((k) => field === k || field.startsWith(`${k}[`) || field.startsWith(`${k}.`));
  return key ? map[key] : field;
}

export interface ParsedUnits {
  units: Unit[];
  members: Member[];
}

/** Reads and checks a whole file; throws UnitCsvRejected listing every problem. */
export async function parseUnitsCsv(bytes: Uint8Array, service: UnitService, actor: string, existing: { units: Map<string, Unit>; members: Map<string, Member> }): Promise<ParsedUnits> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  const delimiter = [',', ';', '\t'].map((d) => [d, (text.split('\n')[0] ?? '').split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new UnitCsvRejected([{ line: (e as { lines?: number }).lines ?? 0, column: '', reason: (e as Error).message.replace(/^CsvError: /, '') }]);
  }
  if (records.length === 0) throw new UnitCsvRejected([{ line: 1, column: '', reason: 'the file is empty' }]);
  const headers = records[0].record.map((h) => h.trim().toLowerCase());
  const problems: CsvProblem[] = [];
  for (const required of ['unit_name', 'unit_type'] as const) if (!headers.includes(required)) problems.push({ line: 1, column: required, reason: 'column is missing' });
  for (const h of headers) if (h && !(CSV_COLUMNS as readonly string[]).includes(h)) problems.push({ line: 1, column: h, reason: `unknown column (known: ${CSV_COLUMNS.join(', ')})` });
  if (problems.length) throw new UnitCsvRejected(problems);

  const units = new Map<string, { unit: Unit; line: number; signature: string }>();
  const byName = new Map<string, string>();
  const members: Member[] = [];
  const memberIds = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    if (record.every((c) => c.trim() === '')) continue;
    const line = info.lines;
    const cell = (c: Column): string => (record[headers.indexOf(c)] ?? '').trim();
    const has = (c: Column) => headers.includes(c) && cell(c) !== '';
    // The unit: by id when given, else by name within the file.
    let unit: Unit;
    try {
      const lat = cell('base_lat'), lon = cell('base_lon');
      const num = (s: string, col: Column) => {
        const n = Number(s.replace(',', '.'));
        if (!Number.isFinite(n)) throw new UnitError('INVALID_INPUT', `${col} must be a number, not "${s}"`, col === 'base_lat' ? 'base.lat' : 'base.lon');
        return n;
      };
      const base = lat || lon ? { lat: lat ? num(lat, 'base_lat') : null, lon: lon ? num(lon, 'base_lon') : null, address: cell('base_address') || null } : null;
      const idCell = has('unit_id') ? cell('unit_id') : byName.get(cell('unit_name').toLowerCase()) ?? '';
      const prior = idCell ? existing.units.get(idCell) ?? units.get(idCell)?.unit ?? null : null;
      unit = service.checkUnit({
        id: idCell || undefined, name: cell('unit_name'), type: cell('unit_type'), region: cell('unit_region') || null, base,
        requiredRoles: has('required_roles') ? cell('required_roles') : null,
      }, actor, prior);
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
      problems.push({ line, column: columnOf(e.field, FIELD_COLUMN), reason: e.message });
      continue;
    }
    const signature = JSON.stringify([unit.name, unit.type, unit.regionCode, unit.base, unit.requiredRoles]);
    const seen = units.get(unit.id);
    if (seen && seen.signature !== signature) {
      problems.push({ line, column: 'unit_name', reason: `unit ${unit.id} is described differently on line ${seen.line}` });
      continue;
    }
    if (!seen) {
      units.set(unit.id, { unit, line, signature });
      byName.set(unit.name.toLowerCase(), unit.id);
    }
    if (!['member_id', 'member_name', 'role', 'phone', 'email', 'user', 'skills', 'certificates', 'availability', 'available_from'].some((c) => has(c as Column))) continue;
    try {
      const id = cell('member_id');
      if (id && memberIds.has(id)) throw new UnitError('INVALID_INPUT', `member id ${id} is already used on line ${memberIds.get(id)}`, 'id');
      const member = await service.checkMember(unit.id, {
        id: id || undefined, name: cell('member_name'), role: cell('role'), contact: { phone: cell('phone') || null, email: cell('email') || null },
        user: cell('user') || null, skills: cell('skills') || null, certificates: cell('certificates') || null, availability: cell('availability') || null,
        availableFrom: cell('available_from') || null,
      }, id ? existing.members.get(id) ?? null : null);
      memberIds.set(member.id, line);
      members.push(member);
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
      problems.push({ line, column: columnOf(e.field, MEMBER_FIELD_COLUMN), reason: e.message });
    }
  }
  if (problems.length) throw new UnitCsvRejected(problems);
  return { units: [...units.values()].map((u) => u.unit), members };
}

function quote(v: string): string {
  return /[",\n\r;]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function unitsToCsv(units: Unit[], members: Member[]): string {
  const rows: string[][] = [];
  for (const u of units) {
    const unitCells = [u.id, u.name, u.type, u.regionCode ?? '', u.base ? String(u.base.lat) : '', u.base ? String(u.base.lon) : '', u.base?.address ?? '', u.requiredRoles.join(';')];
    const mine = members.filter((m) => m.unitId === u.id);
    if (mine.length === 0) rows.push([...unitCells, '', '', '', '', '', '', '', '', '', '']);
    for (const m of mine) {
      rows.push([
        ...unitCells, m.id, m.name, m.role, m.phone ?? '', m.email ?? '', m.userName ?? '', m.skills.join(';'),
        m.certificates.map((c) => (c.expires ? `${c.name}:${c.expires}` : c.name)).join(';'), m.availability, m.availableFrom ?? '',
      ]);
    }
  }
  return [CSV_COLUMNS.join(','), ...rows.map((r) => r.map(quote).join(','))].join('\n') + '\n';
}
