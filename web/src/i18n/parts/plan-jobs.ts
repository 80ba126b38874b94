// Strings for plan-jobs in every language: en/uk/he/da reach the dictionaries through parts/index.ts, ar/ru through
// `later` there (every key in every language; the type checker enforces it).
export const en = {
  'pj.select': 'Plan on the map',
  'pj.option': '{at}: {minutes} min, {covered} of {population} with a place',
  'pj.current': '(current)',
  'pj.stale': '(stale)',
  'pj.showing': 'The map shows the plan made {at}.',
} as const;
type Keys = Record<keyof typeof en, string>;
export const uk: Keys = {
  'pj.select': 'План на карті',
  'pj.option': '{at}: {minutes} хв, {covered} з {population} мають місце',
  'pj.current': '(поточний)',
  'pj.stale': '(застарілий)',
  'pj.showing': 'На карті план, складений {at}.',
};
export const he: Keys = {
  'pj.select': 'התוכנית במפה',
  'pj.option': '{at}: {minutes} דק׳, ל-{covered} מתוך {population} יש מקום',
  'pj.current': '(נוכחית)',
  'pj.stale': '(לא עדכנית)',
  'pj.showing': 'המפה מציגה את התוכנית שנוצרה ב-{at}.',
};
export const da: Keys = {
  'pj.select': 'Plan på kortet',
  'pj.option': '{at}: {minutes} min, {covered} af {population} har en plads',
  'pj.current': '(aktuel)',
  'pj.stale': '(forældet)',
  'pj.showing': 'Kortet viser planen lavet {at}.',
};
export const ar: Keys = {
  'pj.select': 'الخطة على الخريطة',
  'pj.option': '{at}: {minutes} دقيقة، {covered} من {population} لديهم مكان',
  'pj.current': '(الحالية)',
  'pj.stale': '(قديمة)',
  'pj.showing': 'تعرض الخريطة الخطة التي وُضعت في {at}.',
};
export const ru: Keys = {
  'pj.select': 'План на карте',
  'pj.option': '{at}: {minutes} мин, у {covered} из {population} есть место',
  'pj.current': '(текущий)',
  'pj.stale': '(устаревший)',
  'pj.showing': 'На карте план, составленный {at}.',
};
