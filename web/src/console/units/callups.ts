// Call-up screens. Operators call up units or a region (with its sub-regions) and get the personal links to send;
// the call-up page follows the answers live (SSE) and records phone answers; members answer their own call-ups on
// "My call-ups", which updates live too. An exercise is marked everywhere.
import { h, clear } from '../../lib/dom.ts';
import { getJSON, postJSON } from '../../lib/api.ts';
import { t, formatTime } from '../../i18n/index.ts';
import type { User } from '../session.ts';
import { errorMessage, field, message, select, table } from '../ui.ts';
import { regionsList } from './units.ts';
import { answerName, countsText, exerciseTag, MANAGERS, stateName, type CallUp, type Link, type MemberState, type Summary, type Unit } from './shared.ts';
import type { AnswerKind } from '../../../../src/api/types.ts';

interface Listed extends CallUp { counts: { coming: number; unavailable: number; pending: number }; expectedStrength: number }

export async function callupsScreen(root: HTMLElement, user: User, notice: HTMLElement | null = null): Promise<void> {
  const heading = h('h2', {}, t('un.callups'));
  try {
    const { callups } = await getJSON<{ callups: Listed[] }>('/api/callups');
    const manage = MANAGERS.includes(user.role);
    const form = manage ? await newCallupForm(root, user) : null;
    clear(root, heading, notice, form,
      h('section', { 'aria-labelledby': 'cu-list' }, h('h3', { id: 'cu-list' }, t('un.recent')),
        callups.length
          ? table([t('un.message'), t('un.state'), t('un.answers'), t('un.deadline'), t('un.calledBy')], callups.map((c) => h('tr', { 'data-callup': c.id },
            h('td', {}, exerciseTag(c.exercise), c.exercise ? ' ' : '', h('a', { href: `#/callup/${encodeURIComponent(c.id)}` }, c.message)),
            h('td', {}, stateName(c.state)), h('td', {}, countsText(c.counts)), h('td', {}, c.deadline ? formatTime(c.deadline) : '—'),
            h('td', {}, `${c.createdBy}, ${formatTime(c.createdAt)}`))))
          : h('p', {}, t('un.noCallups'))));
  } catch (err) {
    clear(root, heading, errorMessage(err));
  }
}

async function newCallupForm(root: HTMLElement, user: User): Promise<HTMLElement> {
  const [{ units }, regions] = await Promise.all([getJSON<{ units: Unit[] }>('/api/units'), regionsList()]);
  const boxes = units.map((u) => {
    const box = h('input', { type: 'checkbox', name: 'units', value: u.id, id: `cu-unit-${u.id}` });
    return { box, el: h('label', { for: `cu-unit-${u.id}`, class: 'check' }, box, ` ${u.name}`) };
  });
  const region = select('region', [['', t('un.chooseUnits')], ...regions.map((r): [string, string] => [r.code, r.name])], '');
  const msg = h('textarea', { name: 'message', required: true, maxlength: 2000, rows: 3 });
  const reportTo = h('input', { name: 'reportTo', maxlength: 200 });
  const deadline = h('input', { name: 'deadline', type: 'datetime-local' });
  const exercise = h('input', { type: 'checkbox', name: 'exercise', id: 'cu-exercise' });
  return h('form', {
    class: 'grid', 'aria-labelledby': 'cu-new',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const chosen = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
      const body: Record<string, unknown> = { message: msg.value, reportTo: reportTo.value || null, deadline: deadline.value ? new Date(deadline.value).toISOString() : null, exercise: exercise.checked };
      if (region.value) body.region = region.value;
      else body.units = chosen;
      try {
        const r = await postJSON<{ id: string; callup: CallUp; links: Link[]; recipients: number }>('/api/callups', body);
        location.hash = `#/callup/${encodeURIComponent(r.id)}`;
        sessionStorage.setItem(`refuge.links.${r.id}`, JSON.stringify(r.links));
      } catch (err) {
        await callupsScreen(root, user, errorMessage(err));
      }
    },
  }, h('h3', { id: 'cu-new' }, t('un.newCallup')),
  h('fieldset', {}, h('legend', {}, t('un.whichUnits')), ...boxes.map((b) => b.el), field(t('un.orRegion'), region, 'cu-region')),
  field(t('un.message'), msg, 'cu-message'), field(t('un.reportTo'), reportTo, 'cu-report'), field(t('un.deadline'), deadline, 'cu-deadline'),
  h('label', { for: 'cu-exercise', class: 'check' }, exercise, ` ${t('un.isExercise')}`),
  h('button', { type: 'submit', class: 'primary' }, t('un.callUp')));
}

function memberRows(members: MemberState[]): HTMLElement[] {
  return members.map((m) => h('tr', { 'data-member': m.id, class: `answer-${m.answer ?? 'pending'}` },
    h('td', {}, m.name), h('td', {}, m.role), h('td', {}, answerName(m.answer)),
    h('td', {}, m.answer === 'coming' && m.etaMinutes !== null ? t('un.eta', { minutes: m.etaMinutes }) : m.reason ?? ''),
    h('td', {}, m.answeredAt ? `${formatTime(m.answeredAt)} · ${t(`un.via.${m.answeredVia ?? 'operator'}` as Parameters<typeof t>[0])}` : '')));
}

/** One call-up, live: counts, per unit the answers, missing roles and expected strength; phone answers; cancel/close. */
export async function callupScreen(root: HTMLElement, user: User, id: string): Promise<() => void> {
  const heading = h('h2', {}, t('un.callup'));
  const live = h('div', { 'aria-live': 'polite', 'aria-atomic': 'false' });
  const notice = h('div', {});
  const manage = MANAGERS.includes(user.role);
  let summary: Summary | null = null;
  const stored = sessionStorage.getItem(`refuge.links.${id}`);
  const links: Link[] = stored ? JSON.parse(stored) as Link[] : [];

  const render = (s: Summary) => {
    summary = s;
    clear(live,
      s.exercise ? h('p', { class: 'mode-banner exercise' }, t('un.exerciseBanner')) : null,
      h('p', { class: 'callup-message' }, exerciseTag(s.exercise), s.exercise ? ' ' : '', s.message),
      h('dl', { class: 'card' },
        h('dt', {}, t('un.state')), h('dd', { id: 'cu-state' }, stateName(s.state)),
        h('dt', {}, t('un.reportTo')), h('dd', {}, s.reportTo ?? '—'),
        h('dt', {}, t('un.deadline')), h('dd', {}, s.deadline ? formatTime(s.deadline) : '—'),
        h('dt', {}, t('un.answers')), h('dd', { id: 'cu-counts', 'data-coming': s.counts.coming, 'data-unavailable': s.counts.unavailable, 'data-pending': s.counts.pending }, countsText(s.counts)),
        h('dt', {}, t('un.strength')), h('dd', {}, String(s.expectedStrength)),
        h('dt', {}, t('un.calledBy')), h('dd', {}, `${s.createdBy}, ${formatTime(s.createdAt)}`),
        s.endedAt ? h('dt', {}, t('un.endedBy')) : null, s.endedAt ? h('dd', {}, `${s.endedBy}, ${formatTime(s.endedAt)}${s.endReason ? ` — ${s.endReason}` : ''}`) : null),
      ...s.units.map((u) => h('section', { 'aria-labelledby': `cu-u-${u.id}` },
        h('h3', { id: `cu-u-${u.id}` }, u.name, ' · ', countsText(u.counts)),
        h('p', {}, t('un.strength'), ': ', String(u.expectedStrength), ' · ', t('un.missingRoles'), ': ', u.missingRoles.length ? u.missingRoles.join(', ') : t('un.none')),
        table([t('un.name'), t('un.role'), t('un.answer'), t('un.etaOrReason'), t('un.when')], memberRows(u.members)))));
  };

  const actions = () => {
    if (!manage || !summary || summary.state !== 'open') return null;
    const members = summary.units.flatMap((u) => u.members);
    const who = select('member', members.map((m): [string, string] => [m.id, m.name]), members[0]?.id ?? '');
    const answer = select('answer', [['coming', t('un.answer.coming')], ['unavailable', t('un.answer.unavailable')]], 'coming');
    const eta = h('input', { type: 'number', min: 0, max: 10080, name: 'eta', value: '30' });
    const reason = h('input', { name: 'reason', maxlength: 500 });
    const end = (kind: 'cancel' | 'close') => async () => {
      try {
        await postJSON(`/api/callups/${encodeURIComponent(id)}/${kind}`, {});
        clear(notice, message('ok', kind === 'cancel' ? t('un.cancelled') : t('un.closed')));
      } catch (err) {
        clear(notice, errorMessage(err));
      }
    };
    return h('section', { 'aria-labelledby': 'cu-actions' }, h('h3', { id: 'cu-actions' }, t('un.actions')),
      h('form', {
        class: 'grid',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          try {
            await postJSON(`/api/callups/${encodeURIComponent(id)}/answers`, { member: who.value, answer: answer.value, etaMinutes: answer.value === 'coming' ? Number(eta.value) : null, reason: reason.value || null });
            clear(notice, message('ok', t('un.answerRecorded')));
          } catch (err) {
            clear(notice, errorMessage(err));
          }
        },
      }, h('h4', {}, t('un.phoneAnswer')), field(t('un.member'), who, 'cu-a-member'), field(t('un.answer'), answer, 'cu-a-answer'),
      field(t('un.etaMinutes'), eta, 'cu-a-eta'), field(t('un.reason'), reason, 'cu-a-reason'), h('button', { type: 'submit' }, t('un.record'))),
      h('div', { class: 'row-actions' },
        h('button', { type: 'button', onclick: newLinks }, t('un.newLinks')),
        h('button', { type: 'button', onclick: end('close') }, t('un.close')),
        h('button', { type: 'button', class: 'danger', onclick: end('cancel') }, t('un.cancel'))));
  };

  // Links are shown once (only their hashes are kept): new ones replace the old, e.g. after leaving this page.
  const newLinks = async () => {
    try {
      const r = await postJSON<{ links: Link[] }>(`/api/callups/${encodeURIComponent(id)}/links`, {});
      links.splice(0, links.length, ...r.links);
      sessionStorage.setItem(`refuge.links.${id}`, JSON.stringify(r.links));
      clear(linksSlot, linksSection());
      clear(notice, message('ok', t('un.linksMade', { count: r.links.length })));
    } catch (err) {
      clear(notice, errorMessage(err));
    }
  };
  const linksSlot = h('div', {});

  const linksSection = () => (links.length ? h('section', { 'aria-labelledby': 'cu-links' }, h('h3', { id: 'cu-links' }, t('un.links')), h('p', {}, t('un.linksHint')),
    table([t('un.name'), t('un.contact'), t('un.textToSend')], links.map((l) => h('tr', {}, h('td', {}, l.name), h('td', {}, [l.phone, l.email].filter(Boolean).join(', ')),
      h('td', {}, h('textarea', { readonly: true, rows: 3, 'aria-label': t('un.textFor', { name: l.name }) }, l.text)))))) : null);

  const actionsSlot = h('div', {});
  try {
    render(await getJSON<Summary>(`/api/callups/${encodeURIComponent(id)}`));
  } catch (err) {
    clear(root, heading, errorMessage(err));
    return () => undefined;
  }
  clear(actionsSlot, actions());
  clear(linksSlot, linksSection());
  clear(root, heading, notice, live, actionsSlot, linksSlot);
  // Live: the server sends the whole state after every change; EventSource reconnects with Last-Event-ID.
  const source = new EventSource(`/api/callups/${encodeURIComponent(id)}/stream`);
  source.addEventListener('state', (e) => {
    const wasOpen = summary?.state === 'open';
    render(JSON.parse((e as MessageEvent).data) as Summary);
    if (wasOpen && summary!.state !== 'open') clear(actionsSlot, actions());
    if (!actionsSlot.firstChild) clear(actionsSlot, actions());
  });
  return () => source.close();
}

/** Registers the service worker and this device's push subscription for the signed-in member's call-ups. */
async function subscribeDevice(): Promise<HTMLElement> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return message('warn', t('un.pushUnsupported'));
  try {
    if ((await Notification.requestPermission()) !== 'granted') return message('warn', t('un.pushDenied'));
    await navigator.serviceWorker.register('/sw.js');
    const reg = await navigator.serviceWorker.ready;
    const { publicKey } = await getJSON<{ publicKey: string }>('/api/push/vapid-public-key');
    const raw = atob(publicKey.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (publicKey.length % 4)) % 4));
    const key = Uint8Array.from(raw, (c) => c.charCodeAt(0));
    const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
    await postJSON('/api/callups/push', { subscription: sub.toJSON() });
    return message('ok', t('un.pushOn'));
  } catch (err) {
    return errorMessage(err);
  }
}

interface Mine { callup: CallUp; members: Array<MemberState & { unitId: string }> }

/** The signed-in member's call-ups: answer, change the answer until the deadline; new call-ups appear live. */
export async function myCallupsScreen(root: HTMLElement, _user: User): Promise<() => void> {
  const heading = h('h2', {}, t('un.myCallups'));
  const body = h('div', {});
  const notice = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    try {
      const { callups } = await getJSON<{ callups: Mine[] }>('/api/callups/mine');
      clear(body, ...(callups.length ? callups.map(card) : [h('p', {}, t('un.noCallupsMine'))]));
    } catch (err) {
      clear(body, errorMessage(err));
    }
  };
  const card = ({ callup: c, members }: Mine) => h('section', { 'aria-labelledby': `my-${c.id}`, 'data-callup': c.id },
    h('h3', { id: `my-${c.id}` }, exerciseTag(c.exercise), c.exercise ? ' ' : '', c.message),
    h('p', {}, stateName(c.state), c.reportTo ? ` · ${t('un.reportTo')}: ${c.reportTo}` : '', c.deadline ? ` · ${t('un.deadline')}: ${formatTime(c.deadline)}` : ''),
    ...members.map((m) => {
      const idp = `my-${c.id}-${m.id}`;
      const eta = h('input', { type: 'number', min: 0, max: 10080, value: String(m.etaMinutes ?? 30) });
      const reason = h('input', { maxlength: 500, value: m.reason ?? '' });
      const send = (answer: AnswerKind) => async () => {
        try {
          await postJSON(`/api/callups/${encodeURIComponent(c.id)}/answers`, { member: m.id, answer, etaMinutes: answer === 'coming' ? Number(eta.value) : null, reason: answer === 'unavailable' ? reason.value || null : null });
          clear(notice, message('ok', t('un.answerRecorded')));
          await load();
        } catch (err) {
          clear(notice, errorMessage(err));
        }
      };
      return h('div', { class: 'my-answer' },
        h('p', {}, t('un.yourAnswer', { name: m.name }), ' ', h('strong', { class: 'my-current' }, answerName(m.answer)),
          m.answer === 'coming' && m.etaMinutes !== null ? ` (${t('un.eta', { minutes: m.etaMinutes })})` : ''),
        c.state === 'open' ? h('div', { class: 'grid' },
          field(t('un.etaMinutes'), eta, `${idp}-eta`), h('button', { type: 'button', class: 'primary', onclick: send('coming') }, t('un.imComing')),
          field(t('un.reason'), reason, `${idp}-reason`), h('button', { type: 'button', onclick: send('unavailable') }, t('un.cantCome'))) : null);
    }));
  const pushButton = h('button', { type: 'button', onclick: async () => clear(notice, await subscribeDevice()) }, t('un.pushDevice'));
  clear(root, heading, notice, h('p', {}, pushButton), body);
  await load();
  const source = new EventSource('/api/callups/stream');
  for (const kind of ['callup', 'answer', 'callup-ended']) source.addEventListener(kind, () => void load());
  source.onerror = () => {
    // Not a member (404): nothing to follow.
    if (source.readyState === EventSource.CLOSED) source.close();
  };
  return () => source.close();
}
