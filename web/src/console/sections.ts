// What a capability's console module exports: nav entries (shown to the roles named) and screens by route name.
import type { MessageKey } from '../i18n/index.ts';
import type { User } from './session.ts';

export interface ConsoleSection {
  href: string;
  label: MessageKey;
  roles: string[];
}

/** Draws into root; may return a function that stops live updates when the screen is left. */
export type ConsoleScreen = (root: HTMLElement, user: User, parts: string[], params: URLSearchParams) => Promise<(() => void) | void> | (() => void) | void;
