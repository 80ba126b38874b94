// The AlertStore + OutboxStore contract against SQLite and PostgreSQL.
import { alertStoreContract } from './alerts.contract.ts';
import { postgresAlertStores, sqliteAlertStores } from './alerts.fixtures.ts';

alertStoreContract('sqlite', sqliteAlertStores);
alertStoreContract('postgres', postgresAlertStores);
