// The console's planning screens: nav entries (by role) and the screens they route to. (Filled in by the planning work.)
import type { ConsoleSection, ConsoleScreen } from '../sections.ts';

export const sections: ConsoleSection[] = [];
export const screens: Record<string, ConsoleScreen> = {};
