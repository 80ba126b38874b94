export * from './model.ts';
export type { AlertTemplateStore } from './ports.ts';
export { DEFAULT_TEMPLATES } from './defaults.ts';
