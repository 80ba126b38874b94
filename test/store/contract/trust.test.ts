// The TrustedAuthorityStore contract against SQLite and PostgreSQL.
import { trustStoreContract } from './trust.contract.ts';
import { postgresAlertStores, sqliteAlertStores } from './alerts.fixtures.ts';

trustStoreContract('sqlite', sqliteAlertStores);
trustStoreContract('postgres', postgresAlertStores);
