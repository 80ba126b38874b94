// The page a personal link opens (GET /answer/:token): the call-up and a form to answer "coming" with an ETA or
// "unavailable" with a reason, changeable until the deadline. Plain HTML with no script, so it works on any phone;
// the form posts back to the same address. A guessed token gets 404, an expired one 410, and nothing else.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../context.ts';
import { unitServices } from '../capabilities/units.ts';
import { UnitError, type CallUp, type Recipient } from '../../units/index.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const tokenParams = { type: 'object', required: ['token'], properties: { token: { type: 'string', maxLength: 100 } } } as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply.code(status).header('content-security-policy', CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">` +
    `<title>${esc(title)} · Refuge</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:1rem auto;padding:0 1rem;color:#111}` +
    `.exercise{background:#1d4ed8;color:#fff;padding:.25rem .5rem;font-weight:bold}fieldset{margin:1rem 0}label{display:block;margin:.5rem 0}` +
    `input,textarea,button{font:inherit}button{padding:.5rem 1rem}.note{background:#f3f4f6;padding:.5rem}</style></head><body><main>${body}</main></body></html>`);
}

function refusal(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof UnitError && err.code === 'LINK_EXPIRED') return page(reply, 410, 'Link expired', '<h1>This link has expired</h1><p>The call-up has ended or its deadline has passed. Call your unit leader if you still need to answer.</p>');
  if (err instanceof UnitError && (err.code === 'LINK_INVALID' || err.code === 'CALLUP_NOT_FOUND')) return page(reply, 404, 'Link not valid', '<h1>This link is not valid</h1><p>Check that the whole link was copied.</p>');
  if (err instanceof UnitError) return page(reply, 400, 'Answer not taken', `<h1>Your answer was not taken</h1><p>${esc(err.message)}</p><p><a href="">Back</a></p>`);
  throw err;
}

function form(c: CallUp, r: Recipient, name: string, note: string | null): string {
  const ex = c.exercise ? '<p class="exercise">EXERCISE</p>' : '';
  const current = r.answer === 'coming' ? `You answered: coming, in ${r.etaMinutes} minutes.` : r.answer === 'unavailable' ? `You answered: unavailable${r.reason ? ` (${esc(r.reason)})` : ''}.` : 'You have not answered yet.';
  return `${ex}<h1>${c.exercise ? 'Exercise call-up' : 'Call-up'} for ${esc(name)}</h1><p>${esc(c.message)}</p>` +
    (c.reportTo ? `<p><strong>Report to:</strong> ${esc(c.reportTo)}</p>` : '') +
    (c.deadline ? `<p><strong>Answer by:</strong> <time datetime="${esc(c.deadline)}">${esc(c.deadline.slice(0, 16).replace('T', ' '))} UTC</time></p>` : '') +
    (note ? `<p class="note" role="status">${esc(note)}</p>` : '') +
    `<p>${current} You can change your answer until the deadline.</p>` +
    `<form method="post"><fieldset><legend>I am coming</legend><label>Minutes until I arrive <input type="number" name="etaMinutes" min="0" max="10080" inputmode="numeric"></label>` +
    `<button type="submit" name="answer" value="coming">Coming</button></fieldset>` +
    `<fieldset><legend>I cannot come</legend><label>Reason <textarea name="reason" maxlength="500" rows="2"></textarea></label>` +
    `<button type="submit" name="answer" value="unavailable">Unavailable</button></fieldset></form>`;
}

export async function callupLinkRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const s = () => unitServices(ctx).callups;
  await app.register(async (scope) => {
    // Forms post urlencoded; only here.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    scope.get('/answer/:token', {
      config: { roles: ['public'] },
      schema: { hide: true, params: tokenParams },
    }, async (request, reply) => {
      try {
        const { callup, recipient, member } = await s().byToken((request.params as { token: string }).token);
        return page(reply, 200, 'Call-up', form(callup, recipient, member?.name ?? '', null));
      } catch (e) {
        return refusal(reply, e);
      }
    });

    scope.post('/answer/:token', {
      config: { roles: ['public'], rateLimit: { max: 300, timeWindow: '1 hour' } },
      schema: { hide: true, params: tokenParams },
    }, async (request, reply) => {
      const token = (request.params as { token: string }).token;
      const b = (request.body ?? {}) as Record<string, string>;
      try {
        const { callup } = await s().byToken(token);
        const eta = b.etaMinutes !== undefined && b.etaMinutes.trim() !== '' ? Number(b.etaMinutes) : null;
        const { recipient } = await s().answer(callup.id, { answer: b.answer, etaMinutes: eta, reason: b.answer === 'unavailable' ? b.reason || null : null }, { kind: 'link', token });
        const { member } = await s().byToken(token);
        return page(reply, 200, 'Answer taken', form(callup, recipient, member?.name ?? '', 'Thank you: your answer was taken.'));
      } catch (e) {
        return refusal(reply, e);
      }
    });
  });
}
