// Strings for alert-ready in every language: en/uk/he/da reach the dictionaries through parts/index.ts, ar/ru through
// `later` there (every key in every language; the type checker enforces it).
export const en = {
  'ready.restFailed': 'The map and the shelter search could not be loaded. Alerts still arrive here. Reload the page to try again.',
  // The map's "you are here" marker and MapLibre's own control names (its defaults are English).
  'map.here': 'You are here',
  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',
  'map.credits': 'Map credits',
} as const;
type Keys = Record<keyof typeof en, string>;
export const uk: Keys = {
  'ready.restFailed': 'Не вдалося завантажити мапу та пошук укриттів. Тривоги й надалі надходять сюди. Перезавантажте сторінку, щоб спробувати ще раз.',
  'map.here': 'Ви тут',
  'map.zoomIn': 'Збільшити',
  'map.zoomOut': 'Зменшити',
  'map.credits': 'Джерела мапи',
};
export const he: Keys = {
  'ready.restFailed': 'לא ניתן היה לטעון את המפה ואת חיפוש המקלטים. התרעות ממשיכות להגיע לכאן. טענו את הדף מחדש כדי לנסות שוב.',
  'map.here': 'אתם כאן',
  'map.zoomIn': 'התקרבות',
  'map.zoomOut': 'התרחקות',
  'map.credits': 'מקורות המפה',
};
export const da: Keys = {
  'ready.restFailed': 'Kortet og søgningen efter beskyttelsesrum kunne ikke indlæses. Varsler kommer stadig frem her. Genindlæs siden for at prøve igen.',
  'map.here': 'Du er her',
  'map.zoomIn': 'Zoom ind',
  'map.zoomOut': 'Zoom ud',
  'map.credits': 'Kortkilder',
};
export const ar: Keys = {
  'ready.restFailed': 'تعذّر تحميل الخريطة والبحث عن الملاجئ. ما زالت الإنذارات تصل إلى هنا. أعد تحميل الصفحة للمحاولة مرة أخرى.',
  'map.here': 'أنت هنا',
  'map.zoomIn': 'تكبير',
  'map.zoomOut': 'تصغير',
  'map.credits': 'مصادر الخريطة',
};
export const ru: Keys = {
  'ready.restFailed': 'Не удалось загрузить карту и поиск укрытий. Тревоги по-прежнему приходят сюда. Перезагрузите страницу, чтобы попробовать снова.',
  'map.here': 'Вы здесь',
  'map.zoomIn': 'Приблизить',
  'map.zoomOut': 'Отдалить',
  'map.credits': 'Источники карты',
};
