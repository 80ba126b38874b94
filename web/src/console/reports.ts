// Resident reports queue: per shelter, confirm (sets the shelter's status) or dismiss.
import { h, clear } from '../lib/dom.ts';
import { getJSON, postJSON } from '../lib/api.ts';
import { t, formatTime, type MessageKey } from '../i18n/index.ts';
import { message, errorMessage, table } from './ui.ts';
import type { ReportKind, ShelterStatus } from '../../../src/api/types.ts';

interface Report { id: string; kind: ReportKind; note: string | null; createdAt: string }
interface Entry { shelterId: string; shelter: { id: string; name: string; status: ShelterStatus } | null; reports: Report[] }

export async function reportsScreen(root: HTMLElement, notice?: HTMLElement): Promise<void> {
  try {
    const { queue } = await getJSON<{ queue: Entry[] }>('/api/reports');
    const sections = queue.map((e) => h('section', { 'aria-label': e.shelter?.name ?? e.shelterId },
      h('h3', {}, e.shelter ? h('a', { href: `#/shelter/${encodeURIComponent(e.shelterId)}` }, e.shelter.name) : e.shelterId, ' — ', e.shelter ? t(`status.${e.shelter.status}` as MessageKey) : '', ' · ', t('con.reportCount', { count: e.reports.length })),
      table([t('con.reportKind'), t('con.when'), t('con.reportNote'), ''], e.reports.map((r) => h('tr', { 'data-report': r.id },
        h('td', {}, t(`report.${r.kind}` as MessageKey)),
        h('td', {}, formatTime(r.createdAt)),
        h('td', {}, r.note ?? ''),
        h('td', {}, h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'primary', onclick: () => decide(root, r.id, 'confirm') }, t('con.confirm')),
          h('button', { type: 'button', onclick: () => decide(root, r.id, 'dismiss') }, t('con.dismiss')))))))));
    clear(root, h('h2', {}, t('con.reports')), notice ?? null, ...(sections.length ? sections : [h('p', {}, t('con.reportsEmpty'))]));
  } catch (err) {
    clear(root, h('h2', {}, t('con.reports')), errorMessage(err));
  }
}

async function decide(root: HTMLElement, id: string, action: 'confirm' | 'dismiss'): Promise<void> {
  try {
    const res = await postJSON<{ shelter?: { status: string } }>(`/api/reports/${encodeURIComponent(id)}/${action}`, {});
    await reportsScreen(root, message('ok', action === 'confirm' ? t('con.confirmed', { status: t(`status.${res.shelter?.status ?? 'unknown'}` as MessageKey) }) : t('con.dismissed')));
  } catch (err) {
    await reportsScreen(root, errorMessage(err));
  }
}
