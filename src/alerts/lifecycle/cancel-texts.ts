// The fixed wording of a Cancel and of a false-alarm Cancel, per language: a cancel goes out with one CAP info block
// for each language the cancelled alert had, so a resident who read the alert in Ukrainian reads its end in Ukrainian.
// Languages without wording here fall back to English (the block keeps its own language tag and area).

export interface CancelWording {
  cancelled: (headline: string) => string;
  cancelledInstruction: string;
  falseAlarm: (headline: string) => string;
  falseAlarmDescription: (headline: string) => string;
  falseAlarmInstruction: string;
}

const WORDING: Record<string, CancelWording> = {
  en: {
    cancelled: (h) => `Cancelled: ${h}`,
    cancelledInstruction: 'This alert is cancelled.',
    falseAlarm: (h) => `FALSE ALARM: ${h}`,
    falseAlarmDescription: (h) => `The alert "${h}" was issued in error. There is no threat.`,
    falseAlarmInstruction: 'There is no threat. You may leave the shelter and resume normal activity.',
  },
  uk: {
    cancelled: (h) => `Скасовано: ${h}`,
    cancelledInstruction: 'Цю тривогу скасовано.',
    falseAlarm: (h) => `ХИБНА ТРИВОГА: ${h}`,
    falseAlarmDescription: (h) => `Тривогу «${h}» оголошено помилково. Загрози немає.`,
    falseAlarmInstruction: 'Загрози немає. Можна залишити укриття й повернутися до звичайних справ.',
  },
  he: {
    cancelled: (h) => `בוטל: ${h}`,
    cancelledInstruction: 'התרעה זו בוטלה.',
    falseAlarm: (h) => `התרעת שווא: ${h}`,
    falseAlarmDescription: (h) => `ההתרעה "${h}" הופעלה בטעות. אין איום.`,
    falseAlarmInstruction: 'אין איום. ניתן לצאת מהמרחב המוגן ולחזור לשגרה.',
  },
  da: {
    cancelled: (h) => `Aflyst: ${h}`,
    cancelledInstruction: 'Denne varsling er aflyst.',
    falseAlarm: (h) => `FALSK ALARM: ${h}`,
    falseAlarmDescription: (h) => `Varslingen "${h}" blev udsendt ved en fejl. Der er ingen fare.`,
    falseAlarmInstruction: 'Der er ingen fare. Du kan forlade beskyttelsesrummet og genoptage dine gøremål.',
  },
  ar: {
    cancelled: (h) => `أُلغي: ${h}`,
    cancelledInstruction: 'أُلغي هذا الإنذار.',
    falseAlarm: (h) => `إنذار كاذب: ${h}`,
    falseAlarmDescription: (h) => `صدر الإنذار "${h}" عن طريق الخطأ. لا يوجد أي تهديد.`,
    falseAlarmInstruction: 'لا يوجد تهديد. يمكنك مغادرة الملجأ والعودة إلى نشاطك المعتاد.',
  },
  ru: {
    cancelled: (h) => `Отменено: ${h}`,
    cancelledInstruction: 'Эта тревога отменена.',
    falseAlarm: (h) => `ЛОЖНАЯ ТРЕВОГА: ${h}`,
    falseAlarmDescription: (h) => `Тревога «${h}» была объявлена ошибочно. Угрозы нет.`,
    falseAlarmInstruction: 'Угрозы нет. Можно покинуть укрытие и вернуться к обычным делам.',
  },
};

/** The wording for a CAP language tag (its base language: "he-IL" reads Hebrew), English when there is none. */
export function cancelWording(language: string): CancelWording {
  return WORDING[language.toLowerCase().split('-')[0]!] ?? WORDING.en!;
}
