// A stock server in its own process (for the two-process race test): prints its URL, stops on SIGTERM.
import { startServer } from '../../src/server/index.ts';
import { registryCapability } from '../../src/server/capabilities/registry.ts';
import { stockCapability } from '../../src/server/capabilities/stock.ts';

const server = await startServer({ dbPath: process.argv[2], capabilities: [registryCapability, stockCapability], logger: false });
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
