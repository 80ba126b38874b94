// Small pieces the console screens share.
import { h } from '../lib/dom.ts';
import { ApiError, postJSON } from '../lib/api.ts';
import { t } from '../i18n/index.ts';
import { currentUser, problemCode, signInFailure } from './session.ts';

export function message(kind: 'ok' | 'err' | 'warn', text: string): HTMLElement {
  return h('p', { class: `msg ${kind}`, role: kind === 'err' ? 'alert' : 'status' }, text);
}

export function errorMessage(err: unknown): HTMLElement {
  // Before the generic 403: a session too old for this action is not a missing right; the person confirms and repeats.
  if (problemCode(err) === 'FRESH_SIGN_IN_REQUIRED') return freshSignInPrompt();
  if (err instanceof ApiError && err.status === 403) return message('err', t('con.forbidden'));
  const e = err as Error & { field?: string | null };
  return message('err', t('con.error', { message: e.field ? `${e.message} (${e.field})` : e.message }));
}

export function field(label: string, control: HTMLElement, id: string): HTMLElement {
  control.id = id;
  return h('label', { for: id }, label, control);
}

export function select(name: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
  const s = h('select', { name });
  for (const [v, text] of options) s.append(new Option(text, v, false, v === value));
  return s;
}

export function table(headers: string[], rows: HTMLElement[]): HTMLTableElement {
  return h('table', {}, h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, ...rows));
}

/**
 * Asked for by the server (403 FRESH_SIGN_IN_REQUIRED) before an Actual approval, a call-up or a regime raised to
 * emergency when the session is older than the policy allows: the password again, in place, then the person repeats
 * the action themselves (it is not replayed for them: they see again what they are about to do).
 */
function freshSignInPrompt(): HTMLElement {
  const status = h('p', { class: 'msg err', role: 'alert' }, t('resign.needed'));
  const password = h('input', { type: 'password', name: 'resign-password', autocomplete: 'current-password', required: true });
  password.id = `resign-password-${Math.random().toString(36).slice(2)}`;
  const form = h('form', { class: 'grid resign', style: 'max-width:520px' },
    h('label', { for: password.id }, t('resign.password'), password),
    h('button', { type: 'submit', class: 'primary' }, t('resign.submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const me = await currentUser();
      await postJSON('/api/auth/login', { name: me?.name ?? '', password: password.value });
      password.value = '';
      form.hidden = true;
      status.className = 'msg ok';
      status.setAttribute('role', 'status');
      status.textContent = t('resign.done');
    } catch (error) {
      status.textContent = t('resign.failed', { message: signInFailure(error) });
      password.focus();
    }
  });
  return h('div', { class: 'resign-prompt' }, status, form);
}
