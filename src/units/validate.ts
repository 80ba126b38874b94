// Input checks shared by the services and the CSV import: each names the field that is wrong.
import { UnitError } from './errors.ts';
import { AVAILABILITY, LIMITS, UNIT_TYPES, type Availability, type Base, type Certificate, type UnitType } from './model.ts';

export function text(v: unknown, field: string, max: number, required: true): string;
export function text(v: unknown, field: string, max: number, required?: false): string | null;
export function text(v: unknown, field: string, max: number, required = false): string | null {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    if (required) throw new UnitError('INVALID_INPUT', `${field} is required`, field);
    return null;
  }
  if (typeof v !== 'string') throw new UnitError('INVALID_INPUT', `${field} must be text`, field);
  const s = v.trim();
  if (s.length > max) throw new UnitError('INVALID_INPUT', `${field} must be at most ${max} characters`, field);
  return s;
}

export function unitType(v: unknown, field = 'type'): UnitType {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : v;
  if (typeof s !== 'string' || !(UNIT_TYPES as readonly string[]).includes(s)) {
    throw new UnitError('INVALID_INPUT', `${field} must be one of ${UNIT_TYPES.join(', ')}`, field);
  }
  return s as UnitType;
}

/** A member's role: a short word or two (leader, deputy, member, driver, medic, radio operator ...). */
export function role(v: unknown, field = 'role'): string {
  const s = text(v, field, 40, true).toLowerCase();
  if (!/^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u.test(s)) throw new UnitError('INVALID_INPUT', `${field} must be a word or two (letters, digits, - and _)`, field);
  return s;
}

export function roles(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  const list = typeof v === 'string' ? v.split(/[;,]/).map((s) => s.trim()).filter(Boolean) : v;
  if (!Array.isArray(list) || list.length > 20) throw new UnitError('INVALID_INPUT', `${field} must be a list of at most 20 roles`, field);
  return [...new Set(list.map((r, i) => role(r, `${field}[${i}]`)))];
}

export function base(v: unknown, field = 'base'): Base | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new UnitError('INVALID_INPUT', `${field} must be an object with lat and lon`, field);
  const o = v as Record<string, unknown>;
  const lat = o.lat, lon = o.lon;
  if (typeof lat !== 'number' || !(lat >= -90 && lat <= 90)) throw new UnitError('INVALID_INPUT', `${field}.lat must be a latitude between -90 and 90`, `${field}.lat`);
  if (typeof lon !== 'number' || !(lon >= -180 && lon <= 180)) throw new UnitError('INVALID_INPUT', `${field}.lon must be a longitude between -180 and 180`, `${field}.lon`);
  return { lat, lon, address: text(o.address, `${field}.address`, LIMITS.text) };
}

export function date(v: unknown, field: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) || Number.isNaN(Date.parse(v.trim() + 'T00:00:00Z'))) {
    throw new UnitError('INVALID_INPUT', `${field} must be a date as YYYY-MM-DD`, field);
  }
  const s = v.trim();
  if (new Date(s + 'T00:00:00Z').toISOString().slice(0, 10) !== s) throw new UnitError('INVALID_INPUT', `${field} is not a real date`, field);
  return s;
}

export function instant(v: unknown, field: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new UnitError('INVALID_INPUT', `${field} must be a date and time (ISO 8601, e.g. 2026-12-04T18:00:00Z)`, field);
  }
  return new Date(v).toISOString();
}

export function stringList(v: unknown, field: string, max: number): string[] {
  if (v === undefined || v === null) return [];
  const list = typeof v === 'string' ? v.split(/[;,]/).map((s) => s.trim()).filter(Boolean) : v;
  if (!Array.isArray(list) || list.length > max) throw new UnitError('INVALID_INPUT', `${field} must be a list of at most ${max} entries`, field);
  return list.map((s, i) => text(s, `${field}[${i}]`, LIMITS.text, true));
}

/** Certificates as [{name, expires}] or, in CSV, "First aid:2027-03-01; Driving C" (no date = does not expire). */
export function certificates(v: unknown, field = 'certificates'): Certificate[] {
  if (v === undefined || v === null) return [];
  const list: unknown[] | null = typeof v === 'string'
    ? v.split(';').map((s) => s.trim()).filter(Boolean).map((s) => {
      const m = /^(.*?)(?::\s*(\S+))?$/.exec(s)!;
      return { name: m[1], expires: m[2] ?? null };
    })
    : Array.isArray(v) ? v : null;
  if (!list || list.length > LIMITS.certificates) throw new UnitError('INVALID_INPUT', `${field} must be a list of at most ${LIMITS.certificates} certificates`, field);
  return list.map((c, i) => {
    if (typeof c !== 'object' || c === null) throw new UnitError('INVALID_INPUT', `${field}[${i}] must be {name, expires}`, `${field}[${i}]`);
    const o = c as Record<string, unknown>;
    return { name: text(o.name, `${field}[${i}].name`, LIMITS.text, true), expires: date(o.expires, `${field}[${i}].expires`) };
  });
}

export function availability(v: unknown, field = 'availability'): Availability {
  if (v === undefined || v === null || v === '') return 'available';
  if (typeof v !== 'string' || !(AVAILABILITY as readonly string[]).includes(v.trim())) {
    throw new UnitError('INVALID_INPUT', `${field} must be one of ${AVAILABILITY.join(', ')}`, field);
  }
  return v.trim() as Availability;
}

export function email(v: unknown, field = 'contact.email'): string | null {
  const s = text(v, field, LIMITS.text);
  if (s !== null && !/^[^\s@]+@[^\s@]+$/.test(s)) throw new UnitError('INVALID_INPUT', `${field} is not an e-mail address`, field);
  return s;
}

export function phone(v: unknown, field = 'contact.phone'): string | null {
  const s = text(v, field, 40);
  if (s !== null && !/^\+?[\d ()./-]{3,}$/.test(s)) throw new UnitError('INVALID_INPUT', `${field} is not a phone number`, field);
  return s;
}
