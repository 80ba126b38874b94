// Every CLI command module; each attaches its subcommands to the groups.
import type { CliGroups } from '../groups.ts';
import { registerServe } from './serve.ts';
import { registerShelterCommands } from './shelters.ts';
import { registerAdmin } from './admin.ts';
import { registerRegionCommands } from './regions.ts';
import { registerAlertCommands } from './alerts.ts';
import { registerNetworkCommands } from './network.ts';
import { registerUnitCommands } from './units.ts';
import { registerStockCommands } from './stock.ts';
import { registerPlanCommands } from './plan.ts';
import { registerDbCommands } from './db.ts';
import { registerAuditCommands } from './audit.ts';
import { registerBackupCommand } from './backup.ts';

export const commandModules: Array<(cli: CliGroups) => void> = [
  registerServe,
  registerShelterCommands,
  registerAdmin,
  registerRegionCommands,
  registerAlertCommands,
  registerNetworkCommands,
  registerUnitCommands,
  registerStockCommands,
  registerPlanCommands,
  registerDbCommands,
  registerAuditCommands,
  registerBackupCommand,
];
