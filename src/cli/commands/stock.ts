// CLI commands of the stock capability. (Filled in by the stock work.)
import type { CliGroups } from '../groups.ts';

export function registerStockCommands(_cli: CliGroups): void {}
