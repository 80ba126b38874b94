// Names of the alert event types (src/alerts/model.ts EVENT_TYPES) for the composer and the template editor, in every
// language: en/uk/he/da reach the dictionaries through parts/index.ts, ar/ru through `later` there.
export const en = {
  'event.air-raid': 'Air raid',
  'event.missile': 'Missile',
  'event.drone': 'Drone',
  'event.artillery': 'Artillery',
  'event.chemical': 'Chemical',
  'event.radiological': 'Radiological',
  'event.urban-fighting': 'Urban fighting',
  'event.other': 'Other',
} as const;
type Keys = Record<keyof typeof en, string>;
export const uk: Keys = {
  'event.air-raid': 'Повітряна тривога',
  'event.missile': 'Ракета',
  'event.drone': 'Дрон',
  'event.artillery': 'Артилерія',
  'event.chemical': 'Хімічна загроза',
  'event.radiological': 'Радіаційна загроза',
  'event.urban-fighting': 'Вуличні бої',
  'event.other': 'Інше',
};
export const he: Keys = {
  'event.air-raid': 'התקפה אווירית',
  'event.missile': 'טיל',
  'event.drone': 'כלי טיס בלתי מאויש',
  'event.artillery': 'ארטילריה',
  'event.chemical': 'איום כימי',
  'event.radiological': 'איום רדיולוגי',
  'event.urban-fighting': 'לחימה בשטח בנוי',
  'event.other': 'אחר',
};
export const da: Keys = {
  'event.air-raid': 'Luftangreb',
  'event.missile': 'Missil',
  'event.drone': 'Droneangreb',
  'event.artillery': 'Artilleri',
  'event.chemical': 'Kemisk trussel',
  'event.radiological': 'Radiologisk trussel',
  'event.urban-fighting': 'Bykamp',
  'event.other': 'Andet',
};
export const ar: Keys = {
  'event.air-raid': 'غارة جوية',
  'event.missile': 'صاروخ',
  'event.drone': 'طائرة مسيّرة',
  'event.artillery': 'مدفعية',
  'event.chemical': 'تهديد كيميائي',
  'event.radiological': 'تهديد إشعاعي',
  'event.urban-fighting': 'قتال في المدن',
  'event.other': 'أخرى',
};
export const ru: Keys = {
  'event.air-raid': 'Воздушная тревога',
  'event.missile': 'Ракета',
  'event.drone': 'Дрон',
  'event.artillery': 'Артиллерия',
  'event.chemical': 'Химическая угроза',
  'event.radiological': 'Радиационная угроза',
  'event.urban-fighting': 'Уличные бои',
  'event.other': 'Другое',
};
