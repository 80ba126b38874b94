// The operators', approvers' and wardens' console additions (alert log, approvals badge, warden assignment) and the
// resident report note, in every language (spread into the main dictionaries; every key in every language).
export const en = {
  'report.note': 'Note (optional)',
  'report.notePlaceholder': 'What did you see? For example: chain on the door',
  'reported.kind.locked': 'locked',
  'reported.kind.closed': 'closed',
  'reported.kind.missing': 'not there',
  'reported.warning': 'Residents report it {kinds} ({count}); not yet checked by an operator.',
} as const;
type Part = Record<keyof typeof en, string>;
export const uk: Part = {
  'report.note': 'Примітка (необов’язково)',
  'report.notePlaceholder': 'Що ви побачили? Наприклад: ланцюг на дверях',
  'reported.kind.locked': 'зачинене',
  'reported.kind.closed': 'не працює',
  'reported.kind.missing': 'відсутнє',
  'reported.warning': 'Мешканці повідомляють: {kinds} ({count}); оператор ще не перевірив.',
};
export const he: Part = {
  'report.note': 'הערה (לא חובה)',
  'report.notePlaceholder': 'מה ראית? לדוגמה: שרשרת על הדלת',
  'reported.kind.locked': 'נעול',
  'reported.kind.closed': 'סגור',
  'reported.kind.missing': 'לא קיים',
  'reported.warning': 'תושבים מדווחים: {kinds} ({count}); טרם נבדק על ידי מפעיל.',
};
export const da: Part = {
  'report.note': 'Bemærkning (valgfri)',
  'report.notePlaceholder': 'Hvad så du? For eksempel: kæde på døren',
  'reported.kind.locked': 'låst',
  'reported.kind.closed': 'lukket',
  'reported.kind.missing': 'findes ikke',
  'reported.warning': 'Beboere melder den {kinds} ({count}); endnu ikke kontrolleret af en operatør.',
};
