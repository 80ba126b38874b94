// CLI commands of the plan capability. (Filled in by the plan work.)
import type { CliGroups } from '../groups.ts';

export function registerPlanCommands(_cli: CliGroups): void {}
