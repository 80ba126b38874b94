// Who speaks on the public alert screen (web/src/public/alerts.ts), in every language (spread into the main
// dictionaries; every key in every language).
export const en = {
  'alert.from': 'Issued by {name}',
  'alert.fromOther': 'Issued by {name}: another authority, relayed by Refuge',
} as const;
type Part = Record<keyof typeof en, string>;
export const uk: Part = {
  'alert.from': 'Видав: {name}',
  'alert.fromOther': 'Видав: {name}. Це інший орган влади; повідомлення передано через Refuge',
};
export const he: Part = {
  'alert.from': 'הונפק על ידי {name}',
  'alert.fromOther': 'הונפק על ידי {name}: רשות אחרת, מועבר באמצעות Refuge',
};
export const da: Part = {
  'alert.from': 'Udsendt af {name}',
  'alert.fromOther': 'Udsendt af {name}: en anden myndighed, videresendt af Refuge',
};
