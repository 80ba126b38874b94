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
import * as composer from './composer.ts';
import * as shelterCard from './shelter-card.ts';
import * as approvals from './approvals.ts';

export const en = { ...units.en, ...stock.en, ...planning.en, ...accounts.en, ...publicPage.en, ...operators.en, ...alertsTrust.en, ...history.en, ...resident.en, ...composer.en, ...shelterCard.en, ...approvals.en } as const;
type Parts = Record<keyof typeof en, string>;
export const uk: Parts = { ...units.uk, ...stock.uk, ...planning.uk, ...accounts.uk, ...publicPage.uk, ...operators.uk, ...alertsTrust.uk, ...history.uk, ...resident.uk, ...composer.uk, ...shelterCard.uk, ...approvals.uk };
export const he: Parts = { ...units.he, ...stock.he, ...planning.he, ...accounts.he, ...publicPage.he, ...operators.he, ...alertsTrust.he, ...history.he, ...resident.he, ...composer.he, ...shelterCard.he, ...approvals.he };
export const da: Parts = { ...units.da, ...stock.da, ...planning.da, ...accounts.da, ...publicPage.da, ...operators.da, ...alertsTrust.da, ...history.da, ...resident.da, ...composer.da, ...shelterCard.da, ...approvals.da };

/** Parts written after Arabic and Russian came (their ar/ru strings live in the part, not in ar.ts/ru.ts). */
export const later = {
  ar: { ...composer.ar, ...shelterCard.ar, ...approvals.ar },
  ru: { ...composer.ru, ...shelterCard.ru, ...approvals.ru },
};
