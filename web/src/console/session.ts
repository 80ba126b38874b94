// Who is signed in to the console, and the sign-in form.
import { h, clear } from '../lib/dom.ts';
import { request, ApiError } from '../lib/api.ts';
import { t } from '../i18n/index.ts';

export interface User {
  name: string;
  role: string;
}

function toUser(data: unknown): User | null {
  if (!data || typeof data !== 'object') return null;
  const o = data as Record<string, unknown>;
  const u = (o.user && typeof o.user === 'object' ? o.user : o) as Record<string, unknown>;
  if (typeof u.name !== 'string') return null;
  return { name: u.name, role: String(u.role ?? '') };
}

export async function currentUser(): Promise<User | null> {
  try {
    return toUser((await request<unknown>('GET', '/api/auth/me')).data);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null;
    throw err;
  }
}

export async function logout(): Promise<void> {
  await request('POST', '/api/auth/logout', {}).catch(() => undefined);
}

/** The problem code of a failed API call (e.g. PASSWORD_CHANGE_REQUIRED), or null. */
export function problemCode(err: unknown): string | null {
  if (!(err instanceof ApiError) || !err.body || typeof err.body !== 'object') return null;
  const code = (err.body as Record<string, unknown>).code;
  return typeof code === 'string' ? code : null;
}

/**
 * Why a sign-in was refused, in the console's language: the server's problem detail is English ("Wrong name or
 * password"), which a Hebrew or Arabic console showed as it was. Problems without a translation keep the server's words.
 */
export function signInFailure(err: unknown): string {
  const code = problemCode(err);
  if (code === 'BAD_CREDENTIALS') return t('signin.badCredentials');
  if (code === 'TOO_MANY_ATTEMPTS') {
    const wait = Number(((err as ApiError).body as Record<string, unknown>).retryAfter);
    if (Number.isFinite(wait)) return t('signin.tooMany', { seconds: Math.ceil(wait) });
  }
  return err instanceof Error ? err.message : String(err);
}

export function loginForm(root: HTMLElement, onDone: (u: User) => void): void {
  const msg = h('p', { class: 'msg err', role: 'alert', hidden: true });
  const name = h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  // Shown when an admin chose this password: the owner picks their own before signing in.
  const newPassword = h('input', { id: 'login-new-password', name: 'newPassword', type: 'password', autocomplete: 'new-password', minLength: 12 });
  const confirm = h('input', { id: 'login-confirm-password', name: 'confirmPassword', type: 'password', autocomplete: 'new-password', minLength: 12 });
  const newFields = h('div', { class: 'grid', hidden: true },
    h('label', { for: 'login-new-password' }, t('acc.newPassword'), newPassword),
    h('label', { for: 'login-confirm-password' }, t('acc.confirmPassword'), confirm));
  const submit = h('button', { type: 'submit', class: 'primary' }, t('con.login'));
  const form = h('form', { class: 'grid', style: 'max-width:520px' },
    h('label', { for: 'login-name' }, t('con.username'), name),
    h('label', { for: 'login-password' }, t('con.password'), password),
    newFields,
    submit);
  const show = (kind: 'err' | 'warn', text: string) => {
    msg.hidden = false;
    msg.className = `msg ${kind}`;
    msg.textContent = text;
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const changing = !newFields.hidden;
    if (changing && newPassword.value !== confirm.value) return show('err', t('acc.mismatch'));
    try {
      const body: Record<string, string> = { name: name.value, password: password.value };
      if (changing) body.newPassword = newPassword.value;
      const { data } = await request<unknown>('POST', '/api/auth/login', body);
      const user = toUser(data) ?? (await currentUser());
      if (!user) throw new Error('no session');
      onDone(user);
    } catch (err) {
      const code = problemCode(err);
      if (code === 'PASSWORD_CHANGE_REQUIRED') {
        newFields.hidden = false;
        newPassword.required = true;
        confirm.required = true;
        submit.textContent = t('acc.login.signInWithNew');
        show('warn', t('acc.login.mustChange'));
        newPassword.focus();
      } else if (code === 'ACCOUNT_PENDING') {
        const set = !!(err as ApiError).body && (err as ApiError & { body: Record<string, unknown> }).body.passwordChanged === true;
        if (set) {
          // The chosen password is now the password: the next sign-in uses it.
          password.value = '';
          newPassword.value = '';
          confirm.value = '';
          newFields.hidden = true;
          newPassword.required = false;
          confirm.required = false;
          submit.textContent = t('con.login');
        }
        show('warn', t(set ? 'acc.login.pendingSet' : 'acc.login.pending'));
      } else {
        show('err', t('con.loginFailed', { message: signInFailure(err) }));
      }
    }
  });
  clear(root, h('h2', {}, t('con.login')), msg, form);
  name.focus();
}
