// CLI commands of the units capability. (Filled in by the units work.)
import type { CliGroups } from '../groups.ts';

export function registerUnitCommands(_cli: CliGroups): void {}
