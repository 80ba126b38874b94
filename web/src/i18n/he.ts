import type { Dictionary } from './en.ts';
import en from './en.ts';
const he: Dictionary = { ...en };
export default he;
