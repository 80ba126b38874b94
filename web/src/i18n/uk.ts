import type { Dictionary } from './en.ts';
import en from './en.ts';
const uk: Dictionary = { ...en };
export default uk;
