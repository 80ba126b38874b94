// Registry screens: search, one shelter's edit form with history, 409 conflict handling, and status changes.
import { h, clear } from '../lib/dom.ts';
import { request, getJSON, ApiError } from '../lib/api.ts';
import { t, formatTime, type MessageKey } from '../i18n/index.ts';
import { message, errorMessage, field, select, table } from './ui.ts';
import { countStepper, loadOccupancyConfig, occupancyLine, parseCount, tendedFrom, toTended, warningMessages } from './wardens.ts';
import { ACCESS_TYPES, SHELTER_KINDS, SHELTER_STATUSES } from '../../../src/api/types.ts';

type Shelter = Record<string, unknown> & { id: string; name: string; version: number; status: string };

function fromFeature(f: GeoJSON.Feature): Shelter {
  const p = (f.properties ?? {}) as Shelter;
  const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates;
  return { lat, lon, ...p, id: String(p.id ?? f.id) };
}

export async function registryScreen(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') ?? '', placeholder: t('con.searchPlaceholder') });
  const status = select('status', [['', t('con.any')], ...SHELTER_STATUSES.map((s) => [s, t(`status.${s}` as MessageKey)] as [string, string])], params.get('status') ?? '');
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'grid', role: 'search' }, field(t('con.search'), q, 'reg-q'), field(t('con.statusFilter'), status, 'reg-status'), h('button', { type: 'submit', class: 'primary' }, t('con.search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/registry?${new URLSearchParams({ q: q.value, status: status.value })}`;
  });
  clear(root, h('h2', {}, t('con.nav.registry')), form, out);
  try {
    const query = new URLSearchParams({ limit: '5000' });
    if (status.value) query.set('status', status.value);
    const fc = await getJSON<GeoJSON.FeatureCollection>(`/api/shelters?${query}`);
    const needle = q.value.trim().toLowerCase();
    const list = fc.features.map(fromFeature).filter((s) => !needle || [s.name, s.address, s.id].some((v) => typeof v === 'string' && v.toLowerCase().includes(needle)));
    const rows = list.slice(0, 200).map((s) => h('tr', {},
      h('td', {}, h('a', { href: `#/shelter/${encodeURIComponent(s.id)}` }, s.name || s.id)),
      h('td', {}, String(s.address ?? '')),
      h('td', {}, t(`status.${s.status}` as MessageKey)),
      h('td', {}, String(s.capacity ?? '')),
      h('td', {}, typeof s.occupancy === 'number' ? String(s.occupancy) : ''),
      h('td', {}, String(s.version))));
    clear(out, h('p', {}, t('con.results', { count: list.length })), table([t('con.name'), t('card.address'), t('card.status'), t('card.capacity'), t('con.occupancyColumn'), t('con.version')], rows));
  } catch (err) {
    clear(out, errorMessage(err));
  }
}

/** The editable fields, as form controls. */
function editForm(s: Shelter): { form: HTMLFormElement; values: () => Record<string, unknown> } {
  const amen = (s.amenities ?? {}) as Record<string, boolean | null>;
  const name = h('input', { name: 'name', value: String(s.name ?? ''), required: true });
  const address = h('input', { name: 'address', value: String(s.address ?? '') });
  const capacity = h('input', { name: 'capacity', type: 'number', min: '0', value: String(s.capacity ?? '') });
  const kind = select('kind', SHELTER_KINDS.map((k) => [k, t(`kind.${k}` as MessageKey)]), String(s.kind ?? 'other'));
  const access = select('access', ACCESS_TYPES.map((k) => [k, t(`access.${k}` as MessageKey)]), String(s.access ?? 'unknown'));
  const phone = h('input', { name: 'keyHolderPhone', value: String(s.keyHolderPhone ?? '') });
  const tri = (v: boolean | null | undefined) => (v === true ? 'true' : v === false ? 'false' : '');
  const triOptions: Array<[string, string]> = [['', t('unknown')], ['true', t('yes')], ['false', t('no')]];
  const stepFree = select('stepFree', triOptions, tri(s.stepFree as boolean | null));
  const pets = select('pets', triOptions, tri(amen.petsAllowed));
  const status = select('status', SHELTER_STATUSES.map((x) => [x, t(`status.${x}` as MessageKey)]), s.status);
  // The shelter card (issue 14): how to find the way in, the floor, opening hours, the source's links.
  const entrance = h('textarea', { name: 'entrance', rows: '2', maxlength: '1000' }, String(s.entrance ?? '')) as HTMLTextAreaElement;
  const floor = h('input', { name: 'floor', maxlength: '50', value: String(s.floor ?? '') });
  const openingHours = h('input', { name: 'openingHours', maxlength: '500', value: String(s.openingHours ?? ''), placeholder: 'Mo-Fr 08:00-18:00' });
  const links = h('textarea', { name: 'links', rows: '3', dir: 'ltr', spellcheck: 'false' }, linksText(s.links)) as HTMLTextAreaElement;
  const form = h('form', { class: 'grid' },
    field(t('con.name'), name, 'ed-name'), field(t('card.address'), address, 'ed-address'), field(t('card.capacity'), capacity, 'ed-capacity'),
    field(t('card.kind'), kind, 'ed-kind'), field(t('card.access'), access, 'ed-access'), field(t('card.keyHolder'), phone, 'ed-phone'),
    field(t('card.stepFree'), stepFree, 'ed-stepfree'), field(t('card.pets'), pets, 'ed-pets'), field(t('card.status'), status, 'ed-status'),
    field(t('sc.entrance'), entrance, 'ed-entrance'), field(t('sc.floor'), floor, 'ed-floor'), field(t('sc.openingHours'), openingHours, 'ed-hours'),
    field(t('sc.con.links'), links, 'ed-links'),
    h('button', { type: 'submit', class: 'primary' }, t('con.save')));
  const fromTri = (v: string) => (v === 'true' ? true : v === 'false' ? false : null);
  return {
    form,
    values: () => ({
      name: name.value, address: address.value || null, capacity: capacity.value === '' ? null : Number(capacity.value),
      kind: kind.value, access: access.value, keyHolderPhone: phone.value || null, stepFree: fromTri(stepFree.value),
      amenities: { petsAllowed: fromTri(pets.value) }, status: status.value,
      entrance: entrance.value.trim() || null, floor: floor.value.trim() || null, openingHours: openingHours.value.trim() || null,
      links: parseLinks(links.value).links,
    }),
  };
}

/** Links as the operator edits them: one a line, the address first, then (optionally) a label. */
function linksText(v: unknown): string {
  if (!Array.isArray(v)) return '';
  return v.map((l: { url?: unknown; label?: unknown }) => `${String(l.url ?? '')}${typeof l.label === 'string' && l.label ? ` ${l.label}` : ''}`).join('\n');
}

function parseLinks(text: string): { links: Array<{ url: string; label: string | null }>; bad: Array<{ line: number; text: string }> } {
  const links: Array<{ url: string; label: string | null }> = [];
  const bad: Array<{ line: number; text: string }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const [url, ...label] = line.split(/\s+/);
    let ok = false;
    try { ok = /^https?:$/.test(new URL(url).protocol) && /^https?:\/\//i.test(url); } catch { ok = false; }
    if (!ok) bad.push({ line: i + 1, text: url });
    links.push({ url, label: label.join(' ') || null });
  });
  return { links, bad };
}

export async function shelterScreen(root: HTMLElement, id: string): Promise<void> {
  const msg = h('div', { 'aria-live': 'polite' });
  const historyBox = h('section', { 'aria-labelledby': 'hist-title' });
  let shelter: Shelter;
  try {
    await loadOccupancyConfig();
    shelter = await loadShelter(id);
  } catch (err) {
    clear(root, errorMessage(err));
    return;
  }
  let version = shelter.version;
  const { form, values } = editForm(shelter);
  const quick = h('div', { class: 'row-actions', role: 'group', 'aria-label': t('con.setStatus') },
    ...SHELTER_STATUSES.map((st) => h('button', { type: 'button', onclick: () => save({ status: st }) }, `${t('con.setStatus')}: ${t(`status.${st}` as MessageKey)}`)));
  // What the form showed when loaded (or last saved): only the fields the operator changed are sent, so a warden's
  // status or count set meanwhile is neither undone nor a conflict (the server refuses only overlapping changes).
  let baseline = values();
  async function save(body: Record<string, unknown>): Promise<void> {
    try {
      const { data } = await request<Record<string, unknown>>('PATCH', `/api/shelters/${encodeURIComponent(id)}`, body, { 'if-match': String(version) });
      const saved = (data.properties ?? data) as Shelter;
      version = Number(saved.version ?? version + 1);
      baseline = { ...baseline, ...body } as typeof baseline;
      clear(msg, message('ok', t('con.saved', { version })));
      void renderHistory();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const latest = await loadShelter(id);
        clear(msg, h('div', { class: 'conflict', role: 'alert' },
          h('p', {}, t('con.conflict', { version: latest.version })),
          diffTable(body, latest),
          h('div', { class: 'row-actions' },
            h('button', { type: 'button', class: 'primary', onclick: () => { version = latest.version; void save(body); } }, t('con.save')),
            h('button', { type: 'button', onclick: () => void shelterScreen(root, id) }, t('con.reload')))));
      } else clear(msg, errorMessage(err));
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const linksBox = form.querySelector<HTMLTextAreaElement>('textarea[name="links"]')!;
    const { bad } = parseLinks(linksBox.value);
    if (bad.length) {
      linksBox.setAttribute('aria-invalid', 'true');
      clear(msg, message('err', bad.map((b) => t('sc.con.badLink', { line: b.line, text: b.text })).join(' ')));
      linksBox.focus();
      return;
    }
    linksBox.removeAttribute('aria-invalid');
    const now = values() as Record<string, unknown>;
    const before = baseline as Record<string, unknown>;
    const changed = Object.fromEntries(Object.entries(now).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])));
    if (Object.keys(changed).length === 0) {
      clear(msg, message('ok', t('con.unchanged')));
      return;
    }
    void save(changed);
  });
  // Live occupancy: operators report it here as wardens do on their screen. A count is an observation, so it is sent
  // without If-Match (last report wins); it bumps the version like a status change, and the page adopts the new
  // version only when nobody else changed the shelter in between, so a later edit still catches their change (409).
  const occMsg = h('div', { 'aria-live': 'polite' });
  const occLine = h('div', {}, occupancyLine(tendedFrom(shelter)));
  const { el: stepper, input: occInput } = countStepper('ed-occupancy', typeof shelter.occupancy === 'number' ? shelter.occupancy : null);
  const occForm = h('form', { class: 'occupancy-form', noValidate: true, style: 'display:flex;flex-wrap:wrap;gap:10px;align-items:end' },
    h('div', {}, h('label', { for: 'ed-occupancy', style: 'display:block;font-weight:600;margin-bottom:4px' }, t('war.people')), stepper),
    h('button', { type: 'submit', class: 'primary' }, t('con.save')));
  async function reportOccupancy(count: number, status?: 'full'): Promise<void> {
    try {
      const { data } = await request<GeoJSON.Feature & { warnings?: Array<{ code: string; field: string; reason: string }> }>('POST', `/api/shelters/${encodeURIComponent(id)}/occupancy`,
        status ? { occupancy: count, status } : { occupancy: count });
      const now = toTended(data);
      if (now.version === version + 1) version = now.version;
      clear(occLine, occupancyLine(now));
      clear(occMsg, message('ok', status ? t('war.statusSaved', { status: t(`status.${now.status}` as MessageKey) }) : t('war.saved', { count })),
        ...warningMessages(now, data.warnings ?? [], () => void reportOccupancy(count, 'full')));
      void renderHistory();
    } catch (err) {
      clear(occMsg, errorMessage(err));
    }
  }
  occForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const count = parseCount(occInput.value);
    if (count === null) {
      occInput.setAttribute('aria-invalid', 'true');
      clear(occMsg, message('err', t('war.invalid')));
      occInput.focus();
      return;
    }
    occInput.removeAttribute('aria-invalid');
    void reportOccupancy(count);
  });
  const occBox = h('section', { 'aria-labelledby': 'occ-title', class: 'occupancy-editor' }, h('h3', { id: 'occ-title' }, t('card.occupancy')), occLine, occForm, occMsg);
  async function renderHistory(): Promise<void> {
    try {
      const data = await getJSON<unknown>(`/api/shelters/${encodeURIComponent(id)}/history`);
      const list = (Array.isArray(data) ? data : ((data as Record<string, unknown>).history as unknown[]) ?? []) as Array<Record<string, unknown>>;
      const rows = list.slice().reverse().flatMap((e) => Object.entries((e.changes ?? {}) as Record<string, { old: unknown; new: unknown }>).map(([f, c]) =>
        h('tr', {}, h('td', {}, formatTime(String(e.at))), h('td', {}, String(e.actor ?? '')), h('td', {}, String(e.action ?? '')), h('td', {}, f), h('td', {}, show(c.old)), h('td', {}, show(c.new)))));
      clear(historyBox, h('h3', { id: 'hist-title' }, t('con.history')), rows.length ? table([t('con.when'), t('con.who'), '', t('con.field'), t('con.old'), t('con.new')], rows) : h('p', {}, t('con.historyEmpty')));
    } catch (err) {
      clear(historyBox, h('h3', { id: 'hist-title' }, t('con.history')), errorMessage(err));
    }
  }
  // The hash-chained audit log of this shelter (staff: admin, operator, approver), on demand: every change the
  // database recorded, whichever path made it (console, API, import).
  const auditBox = h('section', { 'aria-labelledby': 'audit-title', class: 'audit-log' });
  async function renderAudit(): Promise<void> {
    try {
      const data = await getJSON<{ entries: Array<{ seq: number; at: string; op: string; changes: Record<string, { old: unknown; new: unknown }> }> }>(`/api/audit/shelters/${encodeURIComponent(id)}`);
      const rows = data.entries.flatMap((e) => Object.entries(e.changes).map(([f, c]) =>
        h('tr', {}, h('td', {}, String(e.seq)), h('td', {}, formatTime(e.at)), h('td', {}, e.op), h('td', {}, f), h('td', {}, show(c.old)), h('td', {}, show(c.new)))));
      clear(auditBox, h('h3', { id: 'audit-title' }, t('con.audit')), rows.length ? table(['#', t('con.when'), t('con.auditOp'), t('con.field'), t('con.old'), t('con.new')], rows) : h('p', {}, t('con.auditEmpty')));
    } catch (err) {
      clear(auditBox, h('h3', { id: 'audit-title' }, t('con.audit')), errorMessage(err));
    }
  }
  clear(auditBox, h('h3', { id: 'audit-title' }, t('con.audit')), h('button', { type: 'button', onclick: () => void renderAudit() }, t('con.auditShow')));
  const wardensBox = h('section', { 'aria-labelledby': 'wdn-title', class: 'wardens-editor' });
  // A photo change bumps the version like a status change; the page adopts it only when nobody else changed the
  // shelter in between (as for occupancy above), so a later edit still catches their change.
  const photosBox = photosEditor(id, shelter, (v) => { if (v === version + 1) version = v; void renderHistory(); });
  clear(root, h('h2', {}, shelter.name), h('p', {}, `${t('con.id')}: ${id} · ${t('con.version')} ${version}`), msg, quick, occBox, wardensBox, form, photosBox, historyBox, auditBox);
  await Promise.all([renderHistory(), wardensEditor(wardensBox, id)]);
}

/**
 * Who looks after this shelter; admins and operators assign and release wardens here (GET /api/wardens answers
 * only them: for anyone else the list is shown without controls).
 */
async function wardensEditor(box: HTMLElement, id: string): Promise<void> {
  const path = `/api/shelters/${encodeURIComponent(id)}/wardens`;
  const note = h('div', { 'aria-live': 'polite' });
  const render = async (said?: HTMLElement) => {
    try {
      const [{ wardens }, pool] = await Promise.all([
        getJSON<{ wardens: string[] }>(path),
        getJSON<{ wardens: Array<{ name: string; shelters: number }> }>('/api/wardens').then((d) => d.wardens, (err: unknown) => {
          if (err instanceof ApiError && err.status === 403) return null;
          throw err;
        }),
      ]);
      const act = (fn: () => Promise<unknown>, done: string) => async () => {
        try {
          await fn();
          await render(message('ok', done));
        } catch (err) {
          clear(note, errorMessage(err));
        }
      };
      const list = wardens.length === 0 ? h('p', { class: 'wardens-none' }, t('wdn.none')) : h('ul', { class: 'wardens-list' }, ...wardens.map((name) =>
        h('li', { 'data-warden': name }, h('span', { class: 'name' }, name), ' ',
          pool ? h('button', { type: 'button', class: 'release', 'aria-label': t('wdn.releaseName', { name }),
            onclick: act(() => request('DELETE', `${path}/${encodeURIComponent(name)}`), t('wdn.released', { name })) }, t('wdn.release')) : null)));
      let picker: HTMLElement | null = null;
      if (pool) {
        const free = pool.filter((w) => !wardens.includes(w.name));
        if (free.length === 0) picker = h('p', { class: 'hint' }, t('wdn.noneLeft'));
        else {
          const choice = select('warden', free.map((w): [string, string] => [w.name, t('wdn.option', { name: w.name, count: w.shelters })]), free[0].name);
          const assign = h('form', { class: 'wardens-assign', style: 'display:flex;flex-wrap:wrap;gap:8px;align-items:end' },
            field(t('wdn.pick'), choice, 'wdn-pick'),
            h('button', { type: 'submit', class: 'primary' }, t('wdn.assign')));
          assign.addEventListener('submit', (e) => {
            e.preventDefault();
            const name = choice.value;
            void act(() => request('POST', path, { user: name, assigned: true }), t('wdn.assigned', { name }))();
          });
          picker = assign;
        }
      }
      clear(box, h('h3', { id: 'wdn-title' }, t('wdn.title')), list, picker, note);
      clear(note, ...(said ? [said] : []));
    } catch (err) {
      clear(box, h('h3', { id: 'wdn-title' }, t('wdn.title')), errorMessage(err));
    }
  };
  await render();
}

/**
 * The shelter's photos: each with its caption (what it shows; the public card's text under the photo and its alt
 * text), buttons to move it earlier or later and to delete it, and an upload with a caption (the server reads the
 * type from the bytes). A caption is optional, but a photo without one says so: it tells a blind resident nothing.
 */
function photosEditor(id: string, initial: Shelter, onVersion: (version: number) => void): HTMLElement {
  type Photo = { id: string; url: string; caption: string | null };
  const base = `/api/shelters/${encodeURIComponent(id)}/photos`;
  const box = h('section', { 'aria-labelledby': 'photos-title', class: 'photos-editor' });
  const note = h('div', { 'aria-live': 'polite' });
  const list = h('ul', { class: 'photos-list', style: 'list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:16px' });
  const file = h('input', { type: 'file', name: 'photo', accept: 'image/jpeg,image/png,image/webp' }) as HTMLInputElement;
  const newCaption = captionInput('', 'ed-photo-caption-hint');
  let current: Photo[] = [];
  const render = (photos: Photo[]) => {
    current = photos;
    clear(list, ...(photos.length === 0 ? [h('li', { class: 'hint' }, t('sc.con.noPhotos'))] : photos.map((p, i) => {
      const input = captionInput(p.caption ?? '', p.caption ? null : `ed-caption-missing-${i}`);
      const form = h('form', { class: 'photo-caption', style: 'display:flex;flex-direction:column;gap:4px' },
        field(t('sc.con.captionPhoto', { n: i + 1 }), input, `ed-caption-${i}`),
        p.caption ? null : h('p', { id: `ed-caption-missing-${i}`, class: 'caption-missing', style: 'margin:0;color:#7a4a00' }, t('sc.con.noCaption')),
        h('button', { type: 'submit' }, t('sc.con.saveCaption')));
      form.addEventListener('submit', (e) => { e.preventDefault(); void saveCaption(p.id, input.value); });
      return h('li', { 'data-photo': p.id, style: 'flex:1 1 260px;max-width:100%;border:1px solid #ccc;border-radius:6px;padding:8px' },
        h('img', { src: p.url, alt: p.caption ?? t('sc.photoAlt', { n: i + 1, name: initial.name }), loading: 'lazy', style: 'height:96px;max-width:100%;display:block;margin-bottom:4px;object-fit:cover' }),
        form,
        h('div', { style: 'display:flex;flex-wrap:wrap;gap:6px;margin-top:6px' },
          i > 0 ? h('button', { type: 'button', class: 'move-earlier', 'aria-label': t('sc.con.moveEarlier', { n: i + 1 }), onclick: () => void move(i, -1) }, t('sc.con.earlier')) : null,
          i < photos.length - 1 ? h('button', { type: 'button', class: 'move-later', 'aria-label': t('sc.con.moveLater', { n: i + 1 }), onclick: () => void move(i, 1) }, t('sc.con.later')) : null,
          h('button', { type: 'button', 'aria-label': t('sc.con.deletePhoto', { n: i + 1 }), onclick: () => void remove(p.id) }, t('sc.con.delete'))));
    })));
  };
  const photosOf = (s: Record<string, unknown>) => (Array.isArray(s.photos) ? s.photos : []).map((p: Record<string, unknown>) =>
    ({ id: String(p.id), url: String(p.url), caption: typeof p.caption === 'string' && p.caption ? p.caption : null }));
  /** Shows the shelter a change answered with (a Feature) and adopts its version. */
  const adopt = (data: GeoJSON.Feature, done: MessageKey) => {
    const props = (data.properties ?? {}) as Record<string, unknown>;
    render(photosOf(props));
    onVersion(Number(props.version));
    clear(note, message('ok', t(done)));
  };
  async function change(method: string, url: string, body: unknown, done: MessageKey, focus?: string): Promise<void> {
    try {
      const { data } = await request<GeoJSON.Feature>(method, url, body);
      adopt(data, done);
      if (focus) list.querySelector<HTMLElement>(focus)?.focus();
    } catch (err) {
      clear(note, errorMessage(err));
    }
  }
  const remove = (photoId: string) => change('DELETE', `${base}/${encodeURIComponent(photoId)}`, undefined, 'sc.con.deleted');
  const saveCaption = (photoId: string, text: string) =>
    change('PATCH', `${base}/${encodeURIComponent(photoId)}`, { caption: text.trim() || null }, 'sc.con.captionSaved');
  // The moved photo keeps the focus on its Earlier/Later button, so a keyboard user can press again.
  const move = (i: number, by: -1 | 1) => {
    const order = current.map((p) => p.id);
    [order[i], order[i + by]] = [order[i + by], order[i]];
    return change('PUT', `${base}/order`, { order }, 'sc.con.reordered', `li[data-photo="${CSS.escape(order[i + by])}"] .${by < 0 ? 'move-earlier' : 'move-later'}`);
  };
  const upload = h('form', { class: 'photo-upload', style: 'display:flex;flex-wrap:wrap;gap:8px;align-items:end' },
    field(t('sc.con.upload'), file, 'ed-photo'),
    field(t('sc.con.caption'), newCaption, 'ed-photo-caption'),
    h('p', { id: 'ed-photo-caption-hint', class: 'hint', style: 'flex-basis:100%;margin:0' }, t('sc.con.captionHint')),
    h('button', { type: 'submit', class: 'primary' }, t('sc.con.upload')));
  upload.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) { file.focus(); return; }
    if (f.size > 2 * 1024 * 1024) { clear(note, message('err', t('sc.con.tooLarge', { file: f.name }))); return; }
    clear(note, message('ok', t('sc.con.uploading')));
    const caption = newCaption.value.trim();
    void (async () => {
      try {
        // The bytes as they are; the server decides the type from them, whatever the file's name or type says. The
        // caption travels in the query string (the body is the photo).
        const res = await fetch(`${base}${caption ? `?caption=${encodeURIComponent(caption)}` : ''}`, {
          method: 'POST', body: f, credentials: 'same-origin',
          headers: { 'content-type': f.type || 'application/octet-stream', accept: 'application/json, application/problem+json' },
        });
        const body = await res.json().catch(() => ({})) as Record<string, unknown>;
        if (!res.ok) throw new ApiError(res.status, String(body.title ?? res.statusText), typeof body.detail === 'string' ? body.detail : null, typeof body.field === 'string' ? body.field : null, body);
        onVersion(Number(body.shelterVersion));
        render(photosOf((await loadShelter(id)) as Record<string, unknown>));
        upload.reset();
        clear(note, message('ok', t('sc.con.uploaded')));
      } catch (err) {
        clear(note, errorMessage(err));
      }
    })();
  });
  render(photosOf(initial));
  clear(box, h('h3', { id: 'photos-title' }, t('sc.con.photos')), h('p', { class: 'hint' }, t('sc.con.uploadHint')), list, upload, note);
  return box;
}

/** A caption field: one line, any language and direction (dir=auto), as long as the server takes (300). */
function captionInput(value: string, describedBy: string | null): HTMLInputElement {
  const input = h('input', { type: 'text', name: 'caption', maxlength: '300', dir: 'auto', autocomplete: 'off', 'aria-describedby': describedBy ?? undefined }) as HTMLInputElement;
  input.value = value;
  return input;
}

async function loadShelter(id: string): Promise<Shelter> {
  const data = await getJSON<Record<string, unknown>>(`/api/shelters/${encodeURIComponent(id)}`);
  return data.type === 'Feature' ? fromFeature(data as unknown as GeoJSON.Feature) : (data as Shelter);
}

function show(v: unknown): string {
  return v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function diffTable(mine: Record<string, unknown>, theirs: Shelter): HTMLElement {
  const rows = Object.entries(mine)
    .filter(([k, v]) => show(v) !== show(theirs[k]))
    .map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, show(theirs[k])), h('td', {}, show(v))));
  return table([t('con.field'), t('con.new') + ' (' + t('con.version') + ' ' + theirs.version + ')', t('con.edit')], rows);
}
