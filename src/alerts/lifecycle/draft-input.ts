// Validates what an operator submits (POST /api/alerts) and turns it into a CAP alert. Every error names its field.
import {
  CAP_CERTAINTIES, CAP_SEVERITIES, CAP_URGENCIES, EVENT_TYPES, ALERT_STAGES,
  type AlertStage, type CapAlert, type CapCategory, type CapInfo, type CapCertainty, type CapSeverity, type CapStatus, type CapUrgency, type EventType,
} from '../model.ts';
import { EVENT_TYPE_CAP, STAGE_CAP, categoryForEventType, toCapDateTime } from '../cap/index.ts';
import { invalid } from './errors.ts';
import type { RegionDirectory } from './ports.ts';

/** Statuses an operator may draft. CAP "Draft" is never actionable and "System" is not for the public, so neither is offered. */
export const DRAFTABLE_STATUSES = ['Actual', 'Exercise', 'Test'] as const;
export const DRAFTABLE_MSG_TYPES = ['Alert', 'Update', 'Cancel'] as const;

export interface DraftInput {
  status: (typeof DRAFTABLE_STATUSES)[number];
  msgType: (typeof DRAFTABLE_MSG_TYPES)[number];
  eventType: EventType;
  stage: AlertStage;
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  headline: string;
  description: string | null;
  instruction: string | null;
  regions: string[];
  onset: string | null;
  expires: string;
  language: string;
  /** Refuge ids of the alerts an Update/Cancel replaces. */
  references: string[];
  /** The same message in other languages, one CAP <info> block each after the main one (distinct languages). */
  translations?: DraftTranslation[];
}

/** One more language of a draft: its own headline, description and instruction; everything else as the main block. */
export interface DraftTranslation {
  language: string;
  headline: string;
  description: string | null;
  instruction: string | null;
}

/** Most languages one message may carry besides its main one. */
export const MAX_TRANSLATIONS = 8;

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

function languageTag(body: Record<string, unknown>, field: string, label: string, required: boolean): string | null {
  const v = text(body, field, 35, required, label);
  if (v === null) return null;
  if (!LANGUAGE_TAG.test(v)) throw invalid(label, `must be an RFC 3066 tag (got ${JSON.stringify(v)})`);
  return v;
}

/** Optional `translations`: at most MAX_TRANSLATIONS, distinct languages (case-insensitive), none the main language. */
function parseTranslations(raw: unknown, mainLanguage: string): DraftTranslation[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid('translations', 'must be an array of { language, headline, description?, instruction? }');
  if (raw.length > MAX_TRANSLATIONS) throw invalid('translations', `at most ${MAX_TRANSLATIONS} languages besides the main one (got ${raw.length})`);
  const seen = new Set([mainLanguage.toLowerCase()]);
  const out: DraftTranslation[] = [];
  for (const [i, item] of raw.entries()) {
    const at = `translations[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid(at, 'must be an object { language, headline, description?, instruction? }');
    const t = item as Record<string, unknown>;
    for (const k of Object.keys(t)) {
      if (!['language', 'headline', 'description', 'instruction'].includes(k)) throw invalid(`${at}.${k}`, 'unknown field (language, headline, description, instruction)');
    }
    const language = languageTag(t, 'language', `${at}.language`, true)!;
    if (seen.has(language.toLowerCase())) {
      throw invalid(`${at}.language`, language.toLowerCase() === mainLanguage.toLowerCase()
        ? `${language} is the main language of the message; give each language once`
        : `${language} appears twice; give each language once`);
    }
    seen.add(language.toLowerCase());
    out.push({
      language,
      headline: text(t, 'headline', 160, true, `${at}.headline`)!,
      description: text(t, 'description', 4000, false, `${at}.description`),
      instruction: text(t, 'instruction', 2000, false, `${at}.instruction`),
    });
  }
  return out;
}

/** Longest an alert may stay active; an alert outliving its threat teaches people to ignore alerts. */
export const MAX_ALERT_LIFETIME_MS = 48 * 3600_000;

export function eventLabel(type: EventType | null, stage: AlertStage | null): string {
  const base = type ? EVENT_TYPE_CAP[type].event : EVENT_TYPE_CAP.other.event;
  if (stage === 'pre-alert') return `${base}: pre-alert`;
  if (stage === 'all-clear') return `${base}: all clear`;
  return base;
}

export function categoryFor(type: EventType): CapCategory[] {
  return [categoryForEventType(type)];
}

function oneOf<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[], fallback?: T): T {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (fallback !== undefined) return fallback;
    throw invalid(field, `required, one of ${allowed.join(', ')}`);
  }
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalid(field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
  }
  return v as T;
}

// Characters XML 1.0 cannot carry at all (even as references), and unpaired surrogates: refused when drafting, so
// nothing accepted as a draft can fail when it is emitted as CAP at approval.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses text CAP XML cannot carry (control characters other than tab and line ends, U+FFFE/U+FFFF, lone surrogates). */
export function checkXmlText(field: string, value: string): void {
  const m = NOT_XML_CHAR.exec(value);
  if (m) {
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw invalid(field, `contains a character CAP (XML 1.0) cannot carry: U+${code} at position ${m.index} (a control character or an unpaired surrogate)`);
  }
}

function text(body: Record<string, unknown>, field: string, max: number, required: boolean, label: string = field): string | null {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalid(label, 'required');
    return null;
  }
  if (typeof v !== 'string') throw invalid(label, 'must be a string');
  checkXmlText(label, v);
  const t = v.trim();
  if (t.length > max) throw invalid(label, `at most ${max} characters (got ${t.length})`);
  if (required && t.length === 0) throw invalid(label, 'required');
  return t || null;
}

function time(body: Record<string, unknown>, field: string, required: boolean): string | null {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalid(field, 'required, an ISO 8601 time with offset');
    return null;
  }
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw invalid(field, `must be an ISO 8601 time with offset, e.g. 2026-01-01T12:00:00+02:00 (got ${JSON.stringify(v)})`);
  }
  return v;
}

/** Accepts the event either as a Refuge event type ("missile") or with `eventType`; stage defaults to "alert". */
export function parseDraftInput(raw: unknown, regions: RegionDirectory, nowMs: number, inheritedExpires: (references: string[]) => string | null = () => null): DraftInput {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('body', 'must be a JSON object');
  const body = raw as Record<string, unknown>;
  const status = oneOf(body, 'status', DRAFTABLE_STATUSES);
  const msgType = oneOf(body, 'msgType', DRAFTABLE_MSG_TYPES, 'Alert');
  const eventField = body.eventType !== undefined ? 'eventType' : 'event';
  const eventType = oneOf(body, eventField, EVENT_TYPES);
  const stage = oneOf(body, 'stage', ALERT_STAGES, 'alert');
  const urgency = oneOf(body, 'urgency', CAP_URGENCIES, STAGE_CAP[stage].urgency);
  const severity = oneOf(body, 'severity', CAP_SEVERITIES, stage === 'all-clear' ? 'Minor' : 'Extreme');
  const certainty = oneOf(body, 'certainty', CAP_CERTAINTIES, 'Observed');
  const headline = text(body, 'headline', 160, true)!;
  const description = text(body, 'description', 4000, false);
  const instruction = text(body, 'instruction', 2000, false);
  const language = languageTag(body, 'language', 'language', false) ?? 'en';
  const translations = parseTranslations(body.translations, language);

  const regionList = body.regions;
  if (!Array.isArray(regionList) || regionList.length === 0) throw invalid('regions', 'required, a non-empty array of region codes');
  if (regionList.length > 5000) throw invalid('regions', 'at most 5000 regions');
  const codes: string[] = [];
  for (const [i, c] of regionList.entries()) {
    if (typeof c !== 'string' || c === '') throw invalid(`regions[${i}]`, 'must be a region code');
    if (!regions.region(c)) throw invalid(`regions[${i}]`, `unknown region code ${JSON.stringify(c)}`);
    if (!codes.includes(c)) codes.push(c);
  }

  let references: string[] = [];
  if (body.references !== undefined && body.references !== null) {
    const r = typeof body.references === 'string' ? [body.references] : body.references;
    if (!Array.isArray(r) || r.some((x) => typeof x !== 'string' || x === '')) throw invalid('references', 'must be alert ids');
    references = [...new Set(r as string[])];
  }
  if (msgType !== 'Alert' && references.length === 0) throw invalid('references', `required for msgType ${msgType}: the ids of the alerts it replaces`);
  if (msgType === 'Alert' && references.length > 0) throw invalid('references', 'only an Update or Cancel references earlier alerts');

  const onset = time(body, 'onset', false);
  // An Update or Cancel without its own expiry keeps the expiry of what it replaces.
  const inherited = msgType !== 'Alert' && (body.expires === undefined || body.expires === null || body.expires === '') ? inheritedExpires(references) : null;
  const expires = inherited ?? time(body, 'expires', true)!;
  const expMs = Date.parse(expires);
  if (expMs <= nowMs) throw invalid('expires', 'is already in the past');
  if (expMs - nowMs > MAX_ALERT_LIFETIME_MS) throw invalid('expires', `at most ${MAX_ALERT_LIFETIME_MS / 3600_000} hours ahead`);

  return { status, msgType, eventType, stage, urgency, severity, certainty, headline, description, instruction, regions: codes, onset, expires, language, references, translations };
}

/** CAP form: whole seconds, no "Z"; UTC written "-00:00" (CAP 1.2 §3.3.2). */
export function capTime(ms: number): string {
  return toCapDateTime(new Date(Math.floor(ms / 1000) * 1000));
}

/** The marking every non-Actual message carries in its text, so no screen or speaker can pass it off as real. */
export function exerciseMark(status: CapStatus): string | null {
  if (status === 'Exercise') return 'EXERCISE';
  if (status === 'Test') return 'TEST';
  if (status === 'System') return 'SYSTEM MESSAGE';
  if (status === 'Draft') return 'DRAFT';
  return null;
}

export function markText(status: CapStatus, textValue: string | null): string | null {
  const mark = exerciseMark(status);
  if (!mark || textValue === null) return textValue;
  return textValue.startsWith(`${mark} - `) ? textValue : `${mark} - ${textValue}`;
}

export function capFromInput(input: DraftInput, regions: RegionDirectory, ids: { identifier: string; sender: string; senderName: string | null; nowMs: number }, referenceTriples: string[]): CapAlert {
  const mark = exerciseMark(input.status);
  const main: CapInfo = {
    language: input.language,
    category: categoryFor(input.eventType),
    event: eventLabel(input.eventType, input.stage),
    eventType: input.eventType,
    stage: input.stage,
    urgency: input.urgency,
    severity: input.severity,
    certainty: input.certainty,
    headline: markText(input.status, input.headline),
    description: input.description,
    instruction: markText(input.status, input.instruction),
    onset: input.onset ? capTime(Date.parse(input.onset)) : null,
    expires: capTime(Date.parse(input.expires)),
    senderName: ids.senderName,
    web: null,
    areas: [{
      areaDesc: input.regions.map((c) => regions.region(c)?.name ?? c).join(', ').slice(0, 1000),
      regionCodes: input.regions,
      polygons: [],
    }],
  };
  // Each language is one more <info> block: the same event, urgency, times and areas, its own texts (CAP 1.2 §3.2.2).
  const translated: CapInfo[] = (input.translations ?? []).map((t) => ({
    ...main,
    language: t.language,
    headline: markText(input.status, t.headline),
    description: t.description,
    instruction: markText(input.status, t.instruction),
    areas: main.areas.map((a) => ({ ...a, regionCodes: [...a.regionCodes], polygons: [] })),
  }));
  return {
    identifier: ids.identifier,
    sender: ids.sender,
    sent: capTime(ids.nowMs), // replaced by the issue time on approval
    status: input.status,
    msgType: input.msgType,
    scope: 'Public',
    note: mark ? `${mark}: not a real alert. Take no protective action.` : null,
    references: referenceTriples,
    info: [main, ...translated],
  };
}
