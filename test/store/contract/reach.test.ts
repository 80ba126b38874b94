// The ReachStore contract against SQLite and PostgreSQL.
import { reachStoreContract } from './reach.contract.ts';
import { postgresAlertStores, sqliteAlertStores } from './alerts.fixtures.ts';

reachStoreContract('sqlite', sqliteAlertStores);
reachStoreContract('postgres', postgresAlertStores);
