// The registry capability: sign-in and accounts, the shelter registry and its snapshot (the services are the
// composition root's: src/app/compose.ts).
import type { Capability } from './capability.ts';
import { shelterRoutes } from '../routes/shelters.ts';
import { shelterSnapshotRoutes } from '../routes/shelter-snapshot.ts';
import { authRoutes } from '../routes/auth.ts';
import { userRoutes } from '../routes/users.ts';

export const registryCapability: Capability = {
  name: 'registry',
  async routes(app, ctx, edge) {
    const { registry } = ctx;
    const accounts = () => ctx.accounts;
    await app.register(authRoutes, { accounts, loginThrottle: edge.loginThrottle, insecureCookies: ctx.options.insecureCookies === true });
    await app.register(userRoutes, { accounts });
    await app.register(shelterRoutes, { registry, accounts, photos: ctx.store.shelters });
    await app.register(shelterSnapshotRoutes, { registry });
  },
};
