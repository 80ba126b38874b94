// Strings for alert-ready in every language: en/uk/he/da reach the dictionaries through parts/index.ts, ar/ru through
// `later` there (every key in every language; the type checker enforces it).
export const en = {
} as const;
type Keys = Record<keyof typeof en, string>;
export const uk: Keys = {
};
export const he: Keys = {
};
export const da: Keys = {
};
export const ar: Keys = {
};
export const ru: Keys = {
};
