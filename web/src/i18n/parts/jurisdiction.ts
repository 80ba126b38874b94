// Strings for jurisdiction in every language: en/uk/he/da reach the dictionaries through parts/index.ts, ar/ru through
// `later` there (every key in every language; the type checker enforces it).
export const en = {
  'jur.title': 'Jurisdiction',
  'jur.hint': 'The regions this account is responsible for: the alert composer opens its map on them and lists them first. Choose none for no jurisdiction.',
  'jur.pick': 'Regions (choose several with Ctrl or Shift)',
  'jur.save': 'Save jurisdiction',
  'jur.saved': 'Jurisdiction of {name} saved.',
  'jur.none': 'none',
  'jur.noRegions': 'No regions are imported yet; import regions to give accounts a jurisdiction.',
  'jur.yours': 'Your jurisdiction',
  'jur.add': 'Add {name}',
  'jur.inYours': 'in your jurisdiction',
} as const;
type Keys = Record<keyof typeof en, string>;
export const uk: Keys = {
  'jur.title': 'Зона відповідальності',
  'jur.hint': 'Регіони, за які відповідає цей обліковий запис: карта редактора сповіщень відкривається на них, і вони в списку першими. Не вибирайте нічого, щоб зняти зону.',
  'jur.pick': 'Регіони (кілька — з Ctrl або Shift)',
  'jur.save': 'Зберегти зону відповідальності',
  'jur.saved': 'Зону відповідальності {name} збережено.',
  'jur.none': 'немає',
  'jur.noRegions': 'Регіони ще не імпортовано; імпортуйте регіони, щоб призначати зони відповідальності.',
  'jur.yours': 'Ваша зона відповідальності',
  'jur.add': 'Додати {name}',
  'jur.inYours': 'у вашій зоні відповідальності',
};
export const he: Keys = {
  'jur.title': 'תחום אחריות',
  'jur.hint': 'האזורים שבאחריות החשבון: מפת עורך ההתרעות נפתחת עליהם והם מופיעים ראשונים. אין לבחור דבר כדי לבטל את תחום האחריות.',
  'jur.pick': 'אזורים (כמה יחד עם Ctrl או Shift)',
  'jur.save': 'שמירת תחום האחריות',
  'jur.saved': 'תחום האחריות של {name} נשמר.',
  'jur.none': 'אין',
  'jur.noRegions': 'עדיין לא יובאו אזורים; יש לייבא אזורים כדי לקבוע תחום אחריות.',
  'jur.yours': 'תחום האחריות שלך',
  'jur.add': 'הוספת {name}',
  'jur.inYours': 'בתחום האחריות שלך',
};
export const da: Keys = {
  'jur.title': 'Ansvarsområde',
  'jur.hint': 'De områder kontoen har ansvar for: varslingseditorens kort åbner på dem, og de står først. Vælg ingen for intet ansvarsområde.',
  'jur.pick': 'Områder (vælg flere med Ctrl eller Shift)',
  'jur.save': 'Gem ansvarsområde',
  'jur.saved': 'Ansvarsområdet for {name} er gemt.',
  'jur.none': 'intet',
  'jur.noRegions': 'Der er endnu ikke importeret områder; importér områder for at give konti et ansvarsområde.',
  'jur.yours': 'Dit ansvarsområde',
  'jur.add': 'Tilføj {name}',
  'jur.inYours': 'i dit ansvarsområde',
};
export const ar: Keys = {
  'jur.title': 'نطاق المسؤولية',
  'jur.hint': 'المناطق التي يتولى هذا الحساب مسؤوليتها: تُفتح خريطة محرر التنبيهات عليها وتظهر أولاً. لا تختر شيئاً لإلغاء نطاق المسؤولية.',
  'jur.pick': 'المناطق (اختر عدة مناطق مع Ctrl أو Shift)',
  'jur.save': 'حفظ نطاق المسؤولية',
  'jur.saved': 'تم حفظ نطاق مسؤولية {name}.',
  'jur.none': 'لا يوجد',
  'jur.noRegions': 'لم تُستورد أي مناطق بعد؛ استورد المناطق لتحديد نطاق مسؤولية الحسابات.',
  'jur.yours': 'نطاق مسؤوليتك',
  'jur.add': 'إضافة {name}',
  'jur.inYours': 'ضمن نطاق مسؤوليتك',
};
export const ru: Keys = {
  'jur.title': 'Зона ответственности',
  'jur.hint': 'Регионы, за которые отвечает эта учётная запись: карта редактора оповещений открывается на них, и они в списке первыми. Не выбирайте ничего, чтобы снять зону.',
  'jur.pick': 'Регионы (несколько — с Ctrl или Shift)',
  'jur.save': 'Сохранить зону ответственности',
  'jur.saved': 'Зона ответственности {name} сохранена.',
  'jur.none': 'нет',
  'jur.noRegions': 'Регионы ещё не импортированы; импортируйте регионы, чтобы назначать зоны ответственности.',
  'jur.yours': 'Ваша зона ответственности',
  'jur.add': 'Добавить {name}',
  'jur.inYours': 'в вашей зоне ответственности',
};
