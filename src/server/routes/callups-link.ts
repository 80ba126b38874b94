// The page a personal link opens (GET /answer/:token): the call-up and a form to answer "coming" with an ETA or
// "unavailable" with a reason, changeable until the deadline. Plain HTML with no script, so it works on any phone;
// the form posts back to the same address, in the browser's language (en, uk, he, da). A guessed token gets 404,
// an expired one 410, and nothing else.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { UnitsServices } from '../../app/services/units.ts';
import { UnitError, type CallUp, type Recipient } from '../../units/index.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const tokenParams = { type: 'object', required: ['token'], properties: { token: { type: 'string', maxLength: 100 } } } as const;

/** The page's words in the four languages of the web app, chosen by the browser's Accept-Language. */
const WORDS = {
  en: {
    expiredTitle: 'Link expired', expired: 'This link has expired', expiredText: 'The call-up has ended or its deadline has passed. Call your unit leader if you still need to answer.',
    invalidTitle: 'Link not valid', invalid: 'This link is not valid', invalidText: 'Check that the whole link was copied.',
    notTakenTitle: 'Answer not taken', notTaken: 'Your answer was not taken', back: 'Back',
    callup: 'Call-up', exerciseCallup: 'Exercise call-up', exercise: 'EXERCISE', for: 'for', reportTo: 'Report to:', answerBy: 'Answer by:',
    answeredComing: 'You answered: coming, in {eta} minutes.', answeredUnavailable: 'You answered: unavailable.', notAnswered: 'You have not answered yet.',
    changeUntil: 'You can change your answer until the deadline.', coming: 'I am coming', minutes: 'Minutes until I arrive', comingButton: 'Coming',
    cannot: 'I cannot come', reason: 'Reason', unavailableButton: 'Unavailable', taken: 'Thank you: your answer was taken.', takenTitle: 'Answer taken',
  },
  uk: {
    expiredTitle: 'Посилання застаріло', expired: 'Термін дії посилання минув', expiredText: 'Виклик завершено або термін минув. Якщо ще потрібно відповісти, зателефонуйте командиру підрозділу.',
    invalidTitle: 'Недійсне посилання', invalid: 'Це посилання недійсне', invalidText: 'Перевірте, чи скопійовано посилання повністю.',
    notTakenTitle: 'Відповідь не прийнято', notTaken: 'Вашу відповідь не прийнято', back: 'Назад',
    callup: 'Виклик', exerciseCallup: 'Навчальний виклик', exercise: 'НАВЧАННЯ', for: 'для', reportTo: 'Місце збору:', answerBy: 'Відповісти до:',
    answeredComing: 'Ваша відповідь: прибуду через {eta} хв.', answeredUnavailable: 'Ваша відповідь: не можу.', notAnswered: 'Ви ще не відповіли.',
    changeUntil: 'Відповідь можна змінити до терміну.', coming: 'Я прибуду', minutes: 'Хвилин до прибуття', comingButton: 'Прибуду',
    cannot: 'Не можу прибути', reason: 'Причина', unavailableButton: 'Не можу', taken: 'Дякуємо: вашу відповідь прийнято.', takenTitle: 'Відповідь прийнято',
  },
  he: {
    expiredTitle: 'הקישור פג', expired: 'תוקף הקישור פג', expiredText: 'הקריאה הסתיימה או שהמועד האחרון עבר. אם עדיין צריך לענות, התקשרו למפקד היחידה.',
    invalidTitle: 'קישור לא תקף', invalid: 'הקישור אינו תקף', invalidText: 'בדקו שהקישור הועתק במלואו.',
    notTakenTitle: 'התשובה לא נקלטה', notTaken: 'התשובה שלך לא נקלטה', back: 'חזרה',
    callup: 'קריאה', exerciseCallup: 'קריאת תרגיל', exercise: 'תרגיל', for: 'עבור', reportTo: 'נקודת התייצבות:', answerBy: 'יש לענות עד:',
    answeredComing: 'ענית: מגיע/ה בעוד {eta} דקות.', answeredUnavailable: 'ענית: לא זמין/ה.', notAnswered: 'טרם ענית.',
    changeUntil: 'אפשר לשנות את התשובה עד המועד האחרון.', coming: 'אני מגיע/ה', minutes: 'דקות עד שאגיע', comingButton: 'מגיע/ה',
    cannot: 'אינני יכול/ה להגיע', reason: 'סיבה', unavailableButton: 'לא זמין/ה', taken: 'תודה: התשובה שלך נקלטה.', takenTitle: 'התשובה נקלטה',
  },
  da: {
    expiredTitle: 'Linket er udløbet', expired: 'Dette link er udløbet', expiredText: 'Indkaldelsen er afsluttet, eller fristen er overskredet. Ring til din holdleder, hvis du stadig skal svare.',
    invalidTitle: 'Ugyldigt link', invalid: 'Dette link er ikke gyldigt', invalidText: 'Tjek at hele linket blev kopieret.',
    notTakenTitle: 'Svaret blev ikke modtaget', notTaken: 'Dit svar blev ikke modtaget', back: 'Tilbage',
    callup: 'Indkaldelse', exerciseCallup: 'Øvelsesindkaldelse', exercise: 'ØVELSE', for: 'til', reportTo: 'Mødested:', answerBy: 'Svar senest:',
    answeredComing: 'Du har svaret: kommer om {eta} minutter.', answeredUnavailable: 'Du har svaret: kan ikke.', notAnswered: 'Du har ikke svaret endnu.',
    changeUntil: 'Du kan ændre dit svar indtil fristen.', coming: 'Jeg kommer', minutes: 'Minutter til jeg er der', comingButton: 'Kommer',
    cannot: 'Jeg kan ikke komme', reason: 'Begrundelse', unavailableButton: 'Kan ikke', taken: 'Tak: dit svar er modtaget.', takenTitle: 'Svaret er modtaget',
  },
} as const;
type Lang = keyof typeof WORDS;
type Words = Record<keyof (typeof WORDS)['en'], string>;

function languageOf(request: FastifyRequest): Lang {
  for (const part of String(request.headers['accept-language'] ?? '').split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase();
    if (code in WORDS) return code as Lang;
  }
  return 'en';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));

function page(reply: FastifyReply, lang: Lang, status: number, title: string, body: string): FastifyReply {
  return reply.code(status).header('content-security-policy', CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(
    `<!doctype html><html lang="${lang}" dir="${lang === 'he' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">` +
    `<title>${esc(title)} · Refuge</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:1rem auto;padding:0 1rem;color:#111}` +
    `.exercise{background:#1d4ed8;color:#fff;padding:.25rem .5rem;font-weight:bold}fieldset{margin:1rem 0}label{display:block;margin:.5rem 0}` +
    `input,textarea,button{font:inherit}button{padding:.5rem 1rem}.note{background:#f3f4f6;padding:.5rem}</style></head><body><main>${body}</main></body></html>`);
}

function refusal(reply: FastifyReply, lang: Lang, err: unknown): FastifyReply {
  const w = WORDS[lang];
  if (err instanceof UnitError && err.code === 'LINK_EXPIRED') return page(reply, lang, 410, w.expiredTitle, `<h1>${esc(w.expired)}</h1><p>${esc(w.expiredText)}</p>`);
  if (err instanceof UnitError && (err.code === 'LINK_INVALID' || err.code === 'CALLUP_NOT_FOUND')) return page(reply, lang, 404, w.invalidTitle, `<h1>${esc(w.invalid)}</h1><p>${esc(w.invalidText)}</p>`);
  if (err instanceof UnitError) return page(reply, lang, 400, w.notTakenTitle, `<h1>${esc(w.notTaken)}</h1><p>${esc(err.message)}</p><p><a href="">${esc(w.back)}</a></p>`);
  throw err;
}

function form(w: Words, c: CallUp, r: Recipient, name: string, note: string | null): string {
  const ex = c.exercise ? `<p class="exercise">${esc(w.exercise)}</p>` : '';
  const current = r.answer === 'coming' ? esc(w.answeredComing.replace('{eta}', String(r.etaMinutes))) : r.answer === 'unavailable' ? `${esc(w.answeredUnavailable)}${r.reason ? ` (${esc(r.reason)})` : ''}` : esc(w.notAnswered);
  return `${ex}<h1>${esc(c.exercise ? w.exerciseCallup : w.callup)} ${esc(w.for)} ${esc(name)}</h1><p>${esc(c.message)}</p>` +
    (c.reportTo ? `<p><strong>${esc(w.reportTo)}</strong> ${esc(c.reportTo)}</p>` : '') +
    (c.deadline ? `<p><strong>${esc(w.answerBy)}</strong> <time datetime="${esc(c.deadline)}">${esc(c.deadline.slice(0, 16).replace('T', ' '))} UTC</time></p>` : '') +
    (note ? `<p class="note" role="status">${esc(note)}</p>` : '') +
    `<p>${current} ${esc(w.changeUntil)}</p>` +
    `<form method="post"><fieldset><legend>${esc(w.coming)}</legend><label>${esc(w.minutes)} <input type="number" name="etaMinutes" min="0" max="10080" inputmode="numeric"></label>` +
    `<button type="submit" name="answer" value="coming">${esc(w.comingButton)}</button></fieldset>` +
    `<fieldset><legend>${esc(w.cannot)}</legend><label>${esc(w.reason)} <textarea name="reason" maxlength="500" rows="2"></textarea></label>` +
    `<button type="submit" name="answer" value="unavailable">${esc(w.unavailableButton)}</button></fieldset></form>`;
}

export interface CallupLinkRouteOptions {
  units: UnitsServices;
}

export const callupLinkRoutes: FastifyPluginAsync<CallupLinkRouteOptions> = async (app, opts) => {
  const { units } = opts;
  const s = () => units.callups;
  await app.register(async (scope) => {
    // Forms post urlencoded; only here.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    scope.get('/answer/:token', {
      config: { roles: ['public'] },
      schema: { hide: true, params: tokenParams },
    }, async (request, reply) => {
      const lang = languageOf(request);
      try {
        const { callup, recipient, member } = await s().byToken((request.params as { token: string }).token);
        return page(reply, lang, 200, WORDS[lang].callup, form(WORDS[lang], callup, recipient, member?.name ?? '', null));
      } catch (e) {
        return refusal(reply, lang, e);
      }
    });

    scope.post('/answer/:token', {
      config: { roles: ['public'], rateLimit: { max: 300, timeWindow: '1 hour' } },
      schema: { hide: true, params: tokenParams },
    }, async (request, reply) => {
      const token = (request.params as { token: string }).token;
      const b = (request.body ?? {}) as Record<string, string>;
      const lang = languageOf(request);
      try {
        const { callup } = await s().byToken(token);
        const eta = b.etaMinutes !== undefined && b.etaMinutes.trim() !== '' ? Number(b.etaMinutes) : null;
        const { recipient } = await s().answer(callup.id, { answer: b.answer, etaMinutes: eta, reason: b.answer === 'unavailable' ? b.reason || null : null }, { kind: 'link', token });
        const { member } = await s().byToken(token);
        return page(reply, lang, 200, WORDS[lang].takenTitle, form(WORDS[lang], callup, recipient, member?.name ?? '', WORDS[lang].taken));
      } catch (e) {
        return refusal(reply, lang, e);
      }
    });
  });
};
