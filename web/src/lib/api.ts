// Talking to the Refuge API: JSON in and out, RFC 9457 problem documents turned into errors that name the field.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | null,
    readonly field: string | null,
    readonly body: unknown,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

/** Set by the service worker on answers it served from its cache (the time they were fetched). */
export const CACHED_AT_HEADER = 'x-refuge-cached-at';

export interface Fetched<T> {
  data: T;
  /** ISO time the data was fetched from the server; older than "now" when it came from the offline cache. */
  fetchedAt: string;
  fromCache: boolean;
  headers: Headers;
}

export async function request<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Fetched<T>> {
  const init: RequestInit = { method, headers: { accept: 'application/json, application/problem+json', ...headers }, credentials: 'same-origin' };
  if (body !== undefined) {
    if (typeof body === 'string') init.body = body;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
  }
  const res = await fetch(url, init);
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const parsed: unknown = type.includes('json') && text ? JSON.parse(text) : text;
  if (!res.ok) {
    const p = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    const field = typeof p.field === 'string' ? p.field : Array.isArray(p.errors) && p.errors[0] && typeof p.errors[0] === 'object' ? String((p.errors[0] as Record<string, unknown>).field ?? (p.errors[0] as Record<string, unknown>).pointer ?? '') || null : null;
    throw new ApiError(res.status, String(p.title ?? res.statusText ?? 'Error'), typeof p.detail === 'string' ? p.detail : typeof parsed === 'string' && parsed ? parsed.slice(0, 300) : null, field, parsed);
  }
  const cachedAt = res.headers.get(CACHED_AT_HEADER);
  return { data: parsed as T, fetchedAt: cachedAt ?? new Date().toISOString(), fromCache: cachedAt !== null, headers: res.headers };
}

export const getJSON = <T>(url: string) => request<T>('GET', url).then((r) => r.data);
export const postJSON = <T>(url: string, body?: unknown) => request<T>('POST', url, body ?? {}).then((r) => r.data);

/** True when the failure means "no network" rather than "the server said no". */
export function isOffline(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof ApiError && (err.status === 503 || err.status === 504) && err.title === 'Offline');
}
