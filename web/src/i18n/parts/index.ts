// Every capability's strings, merged per language: the dictionaries (en.ts, uk.ts, he.ts, da.ts) spread these, so a
// new part is listed here once. Each part file has every key in every language (the type checker enforces it).
import * as units from './units.ts';
import * as stock from './stock.ts';
import * as planning from './planning.ts';
import * as accounts from './accounts.ts';
import * as publicPage from './public.ts';
import * as operators from './operators.ts';
import * as alertsTrust from './alerts-trust.ts';
import * as history from './history.ts';
import * as resident from './resident.ts';
import * as freshSignIn from './fresh-sign-in.ts';
import * as alertLanguages from './alert-languages.ts';
import * as shelterCard from './shelter-card.ts';
import * as regionPicker from './region-picker.ts';
import * as planLayers from './plan-layers.ts';
import * as approvalsPush from './approvals-push.ts';
import * as addressSearch from './address-search.ts';
import * as planJobs from './plan-jobs.ts';
import * as jurisdiction from './jurisdiction.ts';
import * as alertReady from './alert-ready.ts';
import * as eventNames from './event-names.ts';

export const en = { ...units.en, ...stock.en, ...planning.en, ...accounts.en, ...publicPage.en, ...operators.en, ...alertsTrust.en, ...history.en, ...resident.en, ...freshSignIn.en, ...alertLanguages.en, ...shelterCard.en, ...regionPicker.en, ...planLayers.en, ...approvalsPush.en, ...addressSearch.en, ...planJobs.en, ...jurisdiction.en, ...alertReady.en, ...eventNames.en } as const;
type Parts = Record<keyof typeof en, string>;
export const uk: Parts = { ...units.uk, ...stock.uk, ...planning.uk, ...accounts.uk, ...publicPage.uk, ...operators.uk, ...alertsTrust.uk, ...history.uk, ...resident.uk, ...freshSignIn.uk, ...alertLanguages.uk, ...shelterCard.uk, ...regionPicker.uk, ...planLayers.uk, ...approvalsPush.uk, ...addressSearch.uk, ...planJobs.uk, ...jurisdiction.uk, ...alertReady.uk, ...eventNames.uk };
export const he: Parts = { ...units.he, ...stock.he, ...planning.he, ...accounts.he, ...publicPage.he, ...operators.he, ...alertsTrust.he, ...history.he, ...resident.he, ...freshSignIn.he, ...alertLanguages.he, ...shelterCard.he, ...regionPicker.he, ...planLayers.he, ...approvalsPush.he, ...addressSearch.he, ...planJobs.he, ...jurisdiction.he, ...alertReady.he, ...eventNames.he };
export const da: Parts = { ...units.da, ...stock.da, ...planning.da, ...accounts.da, ...publicPage.da, ...operators.da, ...alertsTrust.da, ...history.da, ...resident.da, ...freshSignIn.da, ...alertLanguages.da, ...shelterCard.da, ...regionPicker.da, ...planLayers.da, ...approvalsPush.da, ...addressSearch.da, ...planJobs.da, ...jurisdiction.da, ...alertReady.da, ...eventNames.da };

/** Parts written after Arabic and Russian came (their ar/ru strings live in the part, not in ar.ts/ru.ts). */
export const later = {
  ar: { ...freshSignIn.ar, ...alertLanguages.ar, ...shelterCard.ar, ...regionPicker.ar, ...planLayers.ar, ...approvalsPush.ar, ...addressSearch.ar, ...planJobs.ar, ...jurisdiction.ar, ...alertReady.ar, ...eventNames.ar },
  ru: { ...freshSignIn.ru, ...alertLanguages.ru, ...shelterCard.ru, ...regionPicker.ru, ...planLayers.ru, ...approvalsPush.ru, ...addressSearch.ru, ...planJobs.ru, ...jurisdiction.ru, ...alertReady.ru, ...eventNames.ru },
};
