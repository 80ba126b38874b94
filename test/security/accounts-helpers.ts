// Sign-in over real HTTP for the accounts tests: the session cookie as a browser would keep it.
import type { TestServer } from '../helpers.ts';

export interface SignIn {
  status: number;
  code: string | undefined;
  /** "refuge_session=..." to send back as a Cookie header, or null when no session was given. */
  cookie: string | null;
  body: any;
  headers: Headers;
}

export async function signIn(server: TestServer, name: string, password: string, newPassword?: string): Promise<SignIn> {
  const res = await fetch(server.url + '/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password, ...(newPassword !== undefined ? { newPassword } : {}) }),
  });
  const body = await res.json();
  const set = res.headers.get('set-cookie');
  const cookie = set && /refuge_session=([^;]+)/.exec(set)?.[0];
  return { status: res.status, code: body?.code, cookie: cookie ?? null, body, headers: res.headers };
}

/** The signed-in user's name for a session cookie (null when the session no longer works). */
export async function whoIs(server: TestServer, cookie: string): Promise<string | null> {
  const r = await server.request('GET', '/api/auth/me', { headers: { cookie } });
  return r.body?.user?.name ?? null;
}
