import type { Dictionary } from './en.ts';
import en from './en.ts';
const da: Dictionary = { ...en };
export default da;
