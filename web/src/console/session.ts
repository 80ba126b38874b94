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

export function loginForm(root: HTMLElement, onDone: (u: User) => void): void {
  const msg = h('p', { class: 'msg err', role: 'alert', hidden: true });
  const name = h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'grid', style: 'max-width:520px' },
    h('label', { for: 'login-name' }, t('con.username'), name),
    h('label', { for: 'login-password' }, t('con.password'), password),
    h('button', { type: 'submit', class: 'primary' }, t('con.login')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const { data } = await request<unknown>('POST', '/api/auth/login', { name: name.value, password: password.value });
      const user = toUser(data) ?? (await currentUser());
      if (!user) throw new Error('no session');
      onDone(user);
    } catch (err) {
      msg.hidden = false;
      msg.textContent = t('con.loginFailed', { message: (err as Error).message });
    }
  });
  clear(root, h('h2', {}, t('con.login')), msg, form);
  name.focus();
}
