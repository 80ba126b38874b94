// /api/alert-templates: the wording the composer starts from, per event type, stage and interface language
// (src/alerts/templates). Staff read; approvers and admins change it (they answer for what alerts say; an operator's
// change would otherwise reach every later draft without a second person). Exercise marks are added by the server
// when an alert is drafted, never stored in a template.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { HttpProblem } from '../problem.ts';
import { lifecycleProblem } from '../domain-problems.ts';
import { ALERT_STAGES, EVENT_TYPES } from '../../alerts/model.ts';
import {
  TEMPLATE_LANGUAGES, TEMPLATE_LIMITS, defaultTemplate, effectiveTemplates, parseTemplateKey, parseTemplateText,
  type AlertTemplateStore, type EffectiveTemplate,
} from '../../alerts/templates/index.ts';

const STAFF = ['operator', 'approver', 'admin'] as const;
/** Who may change a template (docs/alerts.md, "Templates"). */
export const TEMPLATE_EDIT_ROLES = ['approver', 'admin'] as const;

const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;
const TEXT_SCHEMA = {
  type: 'object', additionalProperties: false, required: ['headline', 'description', 'instruction'],
  properties: { headline: text, description: nullableText, instruction: nullableText },
} as const;
const TEMPLATE_SCHEMA = {
  type: 'object', additionalProperties: false,
  properties: {
    eventType: { type: 'string', enum: [...EVENT_TYPES] }, stage: { type: 'string', enum: [...ALERT_STAGES] }, language: { type: 'string', enum: [...TEMPLATE_LANGUAGES] },
    headline: text, description: nullableText, instruction: nullableText,
    custom: { type: 'boolean', description: 'true when an override replaces the built-in text' },
    updatedBy: nullableText, updatedAt: nullableText, builtIn: TEXT_SCHEMA,
  },
} as const;
const PARAMS = {
  type: 'object', required: ['eventType', 'stage', 'language'],
  properties: { eventType: { type: 'string', maxLength: 40 }, stage: { type: 'string', maxLength: 40 }, language: { type: 'string', maxLength: 40 } },
} as const;

export interface AlertTemplateRouteOptions {
  templates: AlertTemplateStore;
  now?: () => Date;
}

function who(request: FastifyRequest): string {
  if (!request.user) throw new HttpProblem('NOT_SIGNED_IN', 'Sign in or send an API token to use this');
  return request.user.name;
}

export const alertTemplateRoutes: FastifyPluginAsync<AlertTemplateRouteOptions> = async (app, opts) => {
  const now = opts.now ?? (() => new Date());
  const key = (request: FastifyRequest) => {
    const p = request.params as Record<string, string>;
    try {
      return parseTemplateKey(p.eventType, p.stage, p.language);
    } catch (err) {
      throw lifecycleProblem(err);
    }
  };
  const one = async (k: ReturnType<typeof parseTemplateKey>): Promise<EffectiveTemplate> => {
    const stored = await opts.templates.get(k);
    return effectiveTemplates(stored ? [stored] : []).find((t) => t.eventType === k.eventType && t.stage === k.stage && t.language === k.language)!;
  };

  app.get('/api/alert-templates', {
    config: { roles: STAFF },
    schema: {
      summary: 'Every alert template (event type × stage × interface language): the text in force, and the built-in text behind an override', tags: ['alerts'],
      response: { 200: { type: 'object', additionalProperties: false, properties: {
        languages: { type: 'array', items: { type: 'string' } }, limits: { type: 'object', additionalProperties: { type: 'integer' } },
        templates: { type: 'array', items: TEMPLATE_SCHEMA },
      } } },
    },
  }, async () => ({ languages: [...TEMPLATE_LANGUAGES], limits: TEMPLATE_LIMITS, templates: effectiveTemplates(await opts.templates.list()) }));

  app.put('/api/alert-templates/:eventType/:stage/:language', {
    config: { roles: TEMPLATE_EDIT_ROLES },
    schema: {
      summary: 'Replace one template\'s text (approver or admin); drafts made afterwards start from it', tags: ['alerts'], params: PARAMS,
      body: { type: 'object', properties: {
        headline: { type: 'string', description: `at most ${TEMPLATE_LIMITS.headline} characters` },
        description: { type: ['string', 'null'], description: `at most ${TEMPLATE_LIMITS.description} characters` },
        instruction: { type: ['string', 'null'], description: `at most ${TEMPLATE_LIMITS.instruction} characters` },
      } },
      response: { 200: TEMPLATE_SCHEMA },
    },
  }, async (request) => {
    const k = key(request);
    let body;
    try {
      body = parseTemplateText(request.body);
    } catch (err) {
      throw lifecycleProblem(err);
    }
    const builtIn = defaultTemplate(k);
    // Saving the built-in text again is a reset, not an override that would hide later improvements of the default.
    if (body.headline === builtIn.headline && body.description === builtIn.description && body.instruction === builtIn.instruction) {
      await opts.templates.remove(k);
    } else {
      await opts.templates.put({ ...k, ...body, updatedBy: who(request), updatedAt: now().toISOString() });
    }
    return one(k);
  });

  app.delete('/api/alert-templates/:eventType/:stage/:language', {
    config: { roles: TEMPLATE_EDIT_ROLES },
    schema: { summary: 'Go back to the built-in text of one template (approver or admin)', tags: ['alerts'], params: PARAMS, response: { 200: TEMPLATE_SCHEMA } },
  }, async (request) => {
    const k = key(request);
    who(request);
    await opts.templates.remove(k);
    return one(k);
  });
};
