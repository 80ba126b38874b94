// How Refuge's event types and stages travel in CAP, so they survive a round trip through XML:
// - event type -> <category> (Security or CBRNE) and <eventCode><valueName>refuge-event</valueName>
// - stage -> <responseType> (Prepare / Shelter / AllClear, CAP 1.2's own vocabulary) and
//   <parameter><valueName>refuge-stage</valueName>
// - region codes -> <area><geocode><valueName>refuge-region</valueName>
import type { AlertStage, CapCategory, CapUrgency, EventType } from '../model.ts';

export const REFUGE_EVENT_CODE = 'refuge-event';
export const REFUGE_STAGE_PARAMETER = 'refuge-stage';
export const REFUGE_REGION_GEOCODE = 'refuge-region';

export interface EventTypeInfo {
  category: CapCategory;
  /** Default English <event> text when the operator gives none. */
  event: string;
}

export const EVENT_TYPE_CAP: Record<EventType, EventTypeInfo> = {
  'air-raid': { category: 'Security', event: 'Air raid' },
  missile: { category: 'Security', event: 'Missile attack' },
  drone: { category: 'Security', event: 'Hostile drone' },
  artillery: { category: 'Security', event: 'Artillery fire' },
  'urban-fighting': { category: 'Security', event: 'Urban fighting' },
  chemical: { category: 'CBRNE', event: 'Chemical hazard' },
  radiological: { category: 'CBRNE', event: 'Radiological hazard' },
  other: { category: 'Other', event: 'Emergency' },
};

export type CapResponseType = 'Prepare' | 'Shelter' | 'AllClear';

export const STAGE_CAP: Record<AlertStage, { responseType: CapResponseType; urgency: CapUrgency }> = {
  'pre-alert': { responseType: 'Prepare', urgency: 'Expected' },
  alert: { responseType: 'Shelter', urgency: 'Immediate' },
  'all-clear': { responseType: 'AllClear', urgency: 'Past' },
};

export function categoryForEventType(eventType: EventType): CapCategory {
  return EVENT_TYPE_CAP[eventType].category;
}
