// Alert templates: the headline, description and instruction an operator starts from, per event type, stage and
// interface language. Built-in wording (defaults.ts) can be overridden per key; the override is what the composer offers.
// The Exercise/Test mark is never part of a template: the server adds it to the message (src/alerts/lifecycle).
import { ALERT_STAGES, EVENT_TYPES, type AlertStage, type EventType } from '../model.ts';
import { checkXmlText } from '../lifecycle/draft-input.ts';
import { invalid } from '../lifecycle/errors.ts';
import { DEFAULT_TEMPLATES } from './defaults.ts';

/** The interface languages Refuge ships (web/src/i18n): a template exists for each. */
export const TEMPLATE_LANGUAGES = ['en', 'uk', 'he', 'da', 'ar', 'ru'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

export interface TemplateKey {
  eventType: EventType;
  stage: AlertStage;
  language: TemplateLanguage;
}

export interface TemplateText {
  headline: string;
  description: string | null;
  instruction: string | null;
}

/** A stored override. */
export interface AlertTemplate extends TemplateKey, TemplateText {
  updatedBy: string;
  /** ISO 8601 time of the last change. */
  updatedAt: string;
}

/** A template as the API serves it: the text in force, whether it is an override, and the built-in text behind it. */
export interface EffectiveTemplate extends TemplateKey, TemplateText {
  custom: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
  builtIn: TemplateText;
}

/** Limits of the message fields the templates fill (src/alerts/lifecycle/draft-input.ts). */
export const TEMPLATE_LIMITS = { headline: 160, description: 4000, instruction: 2000 } as const;

export function defaultTemplate(key: TemplateKey): TemplateText {
  const t = DEFAULT_TEMPLATES[key.language][key.eventType][key.stage];
  return { headline: t[0], description: t[1], instruction: t[2] };
}

export function templateKeyId(k: TemplateKey): string {
  return `${k.eventType}/${k.stage}/${k.language}`;
}

/** Every key, in a stable order (event type, stage, language as in the lists above). */
export function allTemplateKeys(): TemplateKey[] {
  return EVENT_TYPES.flatMap((eventType) => ALERT_STAGES.flatMap((stage) => TEMPLATE_LANGUAGES.map((language) => ({ eventType, stage, language }))));
}

/** The whole table: built-in text where there is no override. */
export function effectiveTemplates(overrides: readonly AlertTemplate[]): EffectiveTemplate[] {
  const byKey = new Map(overrides.map((o) => [templateKeyId(o), o]));
  return allTemplateKeys().map((key) => {
    const builtIn = defaultTemplate(key);
    const o = byKey.get(templateKeyId(key));
    return o
      ? { ...key, headline: o.headline, description: o.description, instruction: o.instruction, custom: true, updatedBy: o.updatedBy, updatedAt: o.updatedAt, builtIn }
      : { ...key, ...builtIn, custom: false, updatedBy: null, updatedAt: null, builtIn };
  });
}

/** Checks the three path parts; errors name the parameter. */
export function parseTemplateKey(eventType: unknown, stage: unknown, language: unknown): TemplateKey {
  if (typeof eventType !== 'string' || !(EVENT_TYPES as readonly string[]).includes(eventType)) {
    throw invalid('eventType', `must be one of ${EVENT_TYPES.join(', ')} (got ${JSON.stringify(eventType)})`);
  }
  if (typeof stage !== 'string' || !(ALERT_STAGES as readonly string[]).includes(stage)) {
    throw invalid('stage', `must be one of ${ALERT_STAGES.join(', ')} (got ${JSON.stringify(stage)})`);
  }
  if (typeof language !== 'string' || !(TEMPLATE_LANGUAGES as readonly string[]).includes(language)) {
    throw invalid('language', `must be one of ${TEMPLATE_LANGUAGES.join(', ')} (got ${JSON.stringify(language)})`);
  }
  return { eventType: eventType as EventType, stage: stage as AlertStage, language: language as TemplateLanguage };
}

const EXERCISE_MARK = /^\s*(EXERCISE|TEST|SYSTEM MESSAGE|DRAFT)\s*-/;

function field(body: Record<string, unknown>, name: keyof typeof TEMPLATE_LIMITS, required: boolean): string | null {
  const v = body[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalid(name, 'required');
    return null;
  }
  if (typeof v !== 'string') throw invalid(name, 'must be a string');
  checkXmlText(name, v);
  const t = v.trim();
  if (required && t === '') throw invalid(name, 'required');
  if (t.length > TEMPLATE_LIMITS[name]) throw invalid(name, `at most ${TEMPLATE_LIMITS[name]} characters (got ${t.length})`);
  // The server marks exercises and tests itself; a mark in a template would end up on real alerts.
  if (EXERCISE_MARK.test(t)) throw invalid(name, 'must not start with an exercise/test mark: the server adds it to exercises and tests only');
  return t || null;
}

/** The body of PUT /api/alert-templates/...: { headline, description?, instruction? }. Errors name the field. */
export function parseTemplateText(raw: unknown): TemplateText {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('body', 'must be a JSON object { headline, description?, instruction? }');
  const body = raw as Record<string, unknown>;
  for (const k of Object.keys(body)) {
    if (!['headline', 'description', 'instruction'].includes(k)) throw invalid(k, 'unknown field (headline, description, instruction)');
  }
  return { headline: field(body, 'headline', true)!, description: field(body, 'description', false), instruction: field(body, 'instruction', false) };
}
