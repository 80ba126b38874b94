import type { Capability } from './index.ts';
import { shelterRoutes } from '../routes/shelters.ts';
import { shelterSnapshotRoutes } from '../routes/shelter-snapshot.ts';
import { authRoutes } from '../routes/auth.ts';
import { userRoutes } from '../routes/users.ts';

export const registryCapability: Capability = {
  name: 'registry',
  async routes(app, ctx) {
    await authRoutes(app, ctx);
    await userRoutes(app, ctx);
    await shelterRoutes(app, ctx);
    await shelterSnapshotRoutes(app, ctx);
  },
};
