// The units capability's running services (built by capabilities/units.ts), as its routes use them.
import type { CallUpPush, CallUpService, RegimeService, UnitEventHub, UnitService } from '../../units/index.ts';
import type { CallUpRepository } from '../../units/ports.ts';

export interface UnitsServices {
  units: UnitService;
  callups: CallUpService;
  regimes: RegimeService;
  hub: UnitEventHub;
  push: CallUpPush | null;
  callupRepo: CallUpRepository;
  /** Where personal links point (REFUGE_PUBLIC_URL), or null for the request's own address. */
  publicUrl: string | null;
  /** Open live streams, ended when the server closes. */
  streams: Set<{ end(): void }>;
  close(): Promise<void>;
}
