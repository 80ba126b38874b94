// The PushStore contract against SQLite and PostgreSQL.
import { pushStoreContract } from './push.contract.ts';
import { postgresAlertStores, sqliteAlertStores } from './alerts.fixtures.ts';

pushStoreContract('sqlite', sqliteAlertStores);
pushStoreContract('postgres', postgresAlertStores);
