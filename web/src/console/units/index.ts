// The console's units screens: units and members, call-ups with live answers, my call-ups, readiness regimes.
import type { ConsoleSection, ConsoleScreen } from '../sections.ts';
import { unitsScreen } from './units.ts';
import { callupScreen, callupsScreen, myCallupsScreen } from './callups.ts';
import { regimeHistoryScreen, regimesScreen } from './regimes.ts';
import { READERS } from './shared.ts';
import { ROLES } from '../../../../src/api/types.ts';

const STAFF = [...ROLES];

export const sections: ConsoleSection[] = [
  { href: '#/units', label: 'un.nav.units', roles: READERS },
  { href: '#/callups', label: 'un.nav.callups', roles: READERS },
  { href: '#/my-callups', label: 'un.nav.myCallups', roles: STAFF },
  { href: '#/regimes', label: 'un.nav.regimes', roles: STAFF },
];

export const screens: Record<string, ConsoleScreen> = {
  units: (root, user) => unitsScreen(root, user),
  callups: (root, user) => callupsScreen(root, user),
  callup: (root, user, parts) => callupScreen(root, user, parts[1] ?? ''),
  'my-callups': (root, user) => myCallupsScreen(root, user),
  regimes: (root, user, parts) => (parts[1] ? regimeHistoryScreen(root, parts[1]) : regimesScreen(root, user)),
};
