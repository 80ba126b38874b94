// Strings for the fresh sign-in prompt in the console (web/src/console/ui.ts), in every language: en/uk/he/da reach
// the dictionaries through parts/index.ts, ar/ru through `later` there (every key in every language; the type
// checker enforces it).
export const en = {
  'resign.needed': 'This needs a recent sign-in. Enter your password to confirm it is you, then do it again.',
  'resign.password': 'Your password',
  'resign.submit': 'Confirm',
  'resign.done': 'Confirmed. Now do it again.',
  'resign.failed': 'Not confirmed: {message}',
} as const;
type Keys = Record<keyof typeof en, string>;
export const uk: Keys = {
  'resign.needed': 'Для цього потрібен нещодавній вхід. Введіть свій пароль, щоб підтвердити, що це ви, і повторіть дію.',
  'resign.password': 'Ваш пароль',
  'resign.submit': 'Підтвердити',
  'resign.done': 'Підтверджено. Тепер повторіть дію.',
  'resign.failed': 'Не підтверджено: {message}',
};
export const he: Keys = {
  'resign.needed': 'פעולה זו דורשת כניסה עדכנית. הזינו את הסיסמה כדי לאשר שזה אתם, ואז בצעו אותה שוב.',
  'resign.password': 'הסיסמה שלך',
  'resign.submit': 'אישור',
  'resign.done': 'אושר. עכשיו בצעו את הפעולה שוב.',
  'resign.failed': 'לא אושר: {message}',
};
export const da: Keys = {
  'resign.needed': 'Dette kræver, at du har logget ind for nylig. Skriv din adgangskode for at bekræfte, at det er dig, og gør det så igen.',
  'resign.password': 'Din adgangskode',
  'resign.submit': 'Bekræft',
  'resign.done': 'Bekræftet. Gør det nu igen.',
  'resign.failed': 'Ikke bekræftet: {message}',
};
export const ar: Keys = {
  'resign.needed': 'يتطلب هذا تسجيل دخول حديثًا. أدخل كلمة المرور لتأكيد هويتك، ثم أعد تنفيذ الإجراء.',
  'resign.password': 'كلمة المرور',
  'resign.submit': 'تأكيد',
  'resign.done': 'تم التأكيد. أعد تنفيذ الإجراء الآن.',
  'resign.failed': 'لم يتم التأكيد: {message}',
};
export const ru: Keys = {
  'resign.needed': 'Для этого нужен недавний вход. Введите пароль, чтобы подтвердить, что это вы, и повторите действие.',
  'resign.password': 'Ваш пароль',
  'resign.submit': 'Подтвердить',
  'resign.done': 'Подтверждено. Теперь повторите действие.',
  'resign.failed': 'Не подтверждено: {message}',
};
