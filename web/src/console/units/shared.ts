// Pieces the units screens share: types of the API answers, labels, and the exercise mark.
import { h } from '../../lib/dom.ts';
import { t, type MessageKey } from '../../i18n/index.ts';
import { REGIME_LEVELS, UNIT_TYPES, type AnswerKind, type Availability, type CallUp as ApiCallUp } from '../../../../src/api/types.ts';

export interface Member {
  id: string; unitId: string; name: string; role: string; phone: string | null; email: string | null; userName: string | null;
  skills: string[]; certificates: Array<{ name: string; expires: string | null }>; availability: Availability; availableFrom: string | null;
}
export interface Unit { id: string; name: string; type: string; regionCode: string | null; requiredRoles: string[]; members: Member[] }
export interface Counts { coming: number; unavailable: number; pending: number }
export interface MemberState {
  id: string; name: string; role: string; hasAccount: boolean; answer: AnswerKind | null; etaMinutes: number | null; reason: string | null;
  answeredAt: string | null; answeredBy: string | null; answeredVia: string | null; arrivesAt: string | null;
}
export interface UnitState { id: string; name: string; type: string; counts: Counts; missingRoles: string[]; expectedStrength: number; members: MemberState[] }
export type CallUp = Omit<ApiCallUp, 'unitIds'>;
export interface Summary extends CallUp { counts: Counts; expectedStrength: number; units: UnitState[] }
export interface Link { member: string; name: string; phone: string | null; email: string | null; url: string; text: string }

export const MANAGERS = ['admin', 'operator'];
export const READERS = ['admin', 'operator', 'approver'];

export const typeName = (type: string) => ((UNIT_TYPES as readonly string[]).includes(type) ? t(`un.type.${type}` as MessageKey) : type);
export const levelName = (level: string) => ((REGIME_LEVELS as readonly string[]).includes(level) ? t(`un.level.${level}` as MessageKey) : level);
export const stateName = (state: string) => t(`un.state.${state}` as MessageKey);
export const answerName = (a: string | null) => (a === null ? t('un.answer.pending') : t(`un.answer.${a}` as MessageKey));

/** An exercise is marked wherever a call-up is shown. */
export function exerciseTag(exercise: boolean): HTMLElement | null {
  return exercise ? h('span', { class: 'tag Exercise' }, t('un.exercise')) : null;
}

export function countsText(c: Counts): string {
  return t('un.counts', { coming: c.coming, unavailable: c.unavailable, pending: c.pending });
}
