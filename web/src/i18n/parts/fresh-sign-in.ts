// Strings for the fresh sign-in prompt in the console (web/src/console/ui.ts), in every language: en/uk/he/da reach
// the dictionaries through parts/index.ts, ar/ru through `later` there (every key in every language; the type
// checker enforces it).
// Also why a sign-in (the form or the fresh sign-in) was refused, said in the console's language (session.ts), and the
// alert log CSV's two headings that name CAP fields (web/src/console/alerts.ts): they need Arabic and Russian,
// which only the parts in `later` carry (operators.ts's ar/ru strings are in ar.ts/ru.ts).
export const en = {
  'resign.needed': 'This needs a recent sign-in. Enter your password to confirm it is you, then do it again.',
  'resign.password': 'Your password',
  'resign.submit': 'Confirm',
  'resign.done': 'Confirmed. Now do it again.',
  'resign.failed': 'Not confirmed: {message}',
  'alog.csv.status': 'CAP status',
  'alog.csv.msgType': 'CAP message type',
  'signin.badCredentials': 'Wrong name or password.',
  'signin.tooMany': 'Too many failed attempts: try again in {seconds} s.',
} as const;
type Keys = Record<keyof typeof en, string>;
export const uk: Keys = {
  'resign.needed': 'Для цього потрібен нещодавній вхід. Введіть свій пароль, щоб підтвердити, що це ви, і повторіть дію.',
  'resign.password': 'Ваш пароль',
  'resign.submit': 'Підтвердити',
  'resign.done': 'Підтверджено. Тепер повторіть дію.',
  'resign.failed': 'Не підтверджено: {message}',
  'alog.csv.status': 'Статус CAP',
  'alog.csv.msgType': 'Тип повідомлення CAP',
  'signin.badCredentials': 'Неправильне ім’я або пароль.',
  'signin.tooMany': 'Забагато невдалих спроб: спробуйте знову через {seconds} с.',
};
export const he: Keys = {
  'resign.needed': 'פעולה זו דורשת כניסה עדכנית. הזינו את הסיסמה כדי לאשר שזה אתם, ואז בצעו אותה שוב.',
  'resign.password': 'הסיסמה שלך',
  'resign.submit': 'אישור',
  'resign.done': 'אושר. עכשיו בצעו את הפעולה שוב.',
  'resign.failed': 'לא אושר: {message}',
  'alog.csv.status': 'סטטוס CAP',
  'alog.csv.msgType': 'סוג הודעת CAP',
  'signin.badCredentials': 'שם או סיסמה שגויים.',
  'signin.tooMany': 'יותר מדי ניסיונות כושלים: נסו שוב בעוד {seconds} שניות.',
};
export const da: Keys = {
  'resign.needed': 'Dette kræver, at du har logget ind for nylig. Skriv din adgangskode for at bekræfte, at det er dig, og gør det så igen.',
  'resign.password': 'Din adgangskode',
  'resign.submit': 'Bekræft',
  'resign.done': 'Bekræftet. Gør det nu igen.',
  'resign.failed': 'Ikke bekræftet: {message}',
  'alog.csv.status': 'CAP-status',
  'alog.csv.msgType': 'CAP-meddelelsestype',
  'signin.badCredentials': 'Forkert navn eller adgangskode.',
  'signin.tooMany': 'For mange mislykkede forsøg: prøv igen om {seconds} s.',
};
export const ar: Keys = {
  'resign.needed': 'يتطلب هذا تسجيل دخول حديثًا. أدخل كلمة المرور لتأكيد هويتك، ثم أعد تنفيذ الإجراء.',
  'resign.password': 'كلمة المرور',
  'resign.submit': 'تأكيد',
  'resign.done': 'تم التأكيد. أعد تنفيذ الإجراء الآن.',
  'resign.failed': 'لم يتم التأكيد: {message}',
  'alog.csv.status': 'حالة CAP',
  'alog.csv.msgType': 'نوع رسالة CAP',
  'signin.badCredentials': 'الاسم أو كلمة المرور غير صحيحة.',
  'signin.tooMany': 'محاولات فاشلة كثيرة جدًا: حاول مرة أخرى بعد {seconds} ثانية.',
};
export const ru: Keys = {
  'resign.needed': 'Для этого нужен недавний вход. Введите пароль, чтобы подтвердить, что это вы, и повторите действие.',
  'resign.password': 'Ваш пароль',
  'resign.submit': 'Подтвердить',
  'resign.done': 'Подтверждено. Теперь повторите действие.',
  'resign.failed': 'Не подтверждено: {message}',
  'alog.csv.status': 'Статус CAP',
  'alog.csv.msgType': 'Тип сообщения CAP',
  'signin.badCredentials': 'Неверное имя или пароль.',
  'signin.tooMany': 'Слишком много неудачных попыток: повторите через {seconds} с.',
};
