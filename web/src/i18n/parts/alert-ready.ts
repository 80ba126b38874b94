// Strings for alert-ready in every language: en/uk/he/da reach the dictionaries through parts/index.ts, ar/ru through
// `later` there (every key in every language; the type checker enforces it).
export const en = {
  'ready.restFailed': 'The map and the shelter search could not be loaded. Alerts still arrive here. Reload the page to try again.',
} as const;
type Keys = Record<keyof typeof en, string>;
export const uk: Keys = {
  'ready.restFailed': 'Не вдалося завантажити мапу та пошук укриттів. Тривоги й надалі надходять сюди. Перезавантажте сторінку, щоб спробувати ще раз.',
};
export const he: Keys = {
  'ready.restFailed': 'לא ניתן היה לטעון את המפה ואת חיפוש המקלטים. התרעות ממשיכות להגיע לכאן. טענו את הדף מחדש כדי לנסות שוב.',
};
export const da: Keys = {
  'ready.restFailed': 'Kortet og søgningen efter beskyttelsesrum kunne ikke indlæses. Varsler kommer stadig frem her. Genindlæs siden for at prøve igen.',
};
export const ar: Keys = {
  'ready.restFailed': 'تعذّر تحميل الخريطة والبحث عن الملاجئ. ما زالت الإنذارات تصل إلى هنا. أعد تحميل الصفحة للمحاولة مرة أخرى.',
};
export const ru: Keys = {
  'ready.restFailed': 'Не удалось загрузить карту и поиск укрытий. Тревоги по-прежнему приходят сюда. Перезагрузите страницу, чтобы попробовать снова.',
};
