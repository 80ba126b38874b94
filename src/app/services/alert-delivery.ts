// The alert capability's running services (built by capabilities/alerts-lifecycle.ts), as the routes and the other
// capabilities use them.
import type { Agent } from 'node:https';
import type { RegionIndex } from '../../geo/index.ts';
import type { SigningKeyPair } from '../../alerts/index.ts';
import type { AlertLifecycle, RegionDirectory } from '../../alerts/lifecycle/index.ts';
import type { AlertStore, TrustedAuthorityStore } from '../../alerts/lifecycle/ports.ts';
import type { OutboxStore, PushStore, ReachStore } from '../../alerts/delivery/ports.ts';
import type { AlertBus, DeliveryFigures, DeliveryRecord, OutboxWorker, PushDispatcher, ReachReporter, SseHub, VapidKeys } from '../../alerts/delivery/index.ts';
import type { MqttPublisher } from '../../adapters/alert-bus/mqtt-publisher.ts';
import type { ApprovalNotices, ApprovalsNotifier } from '../../alerts/approvals/index.ts';

export interface AlertDeliveryServices {
  lifecycle: AlertLifecycle;
  store: AlertStore;
  outbox: OutboxStore;
  pushStore: PushStore;
  deliveryStore: ReachStore;
  /** The trusted authorities (managed with `refuge alerts trust`). */
  trusted: TrustedAuthorityStore;
  hub: SseHub;
  /** Writes this process's stream reach to the shared store every ~2 s. */
  reach: ReachReporter;
  /** This process among those sharing the database (host, pid, random: two servers in one test process differ). */
  processId: string;
  /** The delivery figures of stored events, with this process's own stream count live from memory. */
  figures(records: DeliveryRecord[]): DeliveryFigures[];
  worker: OutboxWorker;
  push: PushDispatcher;
  vapid: VapidKeys;
  /** The HTTPS agent for push endpoints when REFUGE_PUSH_CA_FILE is set (closed on stop). */
  pushAgent: Agent | undefined;
  bus: AlertBus;
  mqtt: MqttPublisher | null;
  signingKey: SigningKeyPair;
  /** The region index in force (set by the regions capability; read on every use so a re-import takes effect). */
  regionIndex(): RegionIndex;
  regions: RegionDirectory;
  unsubscribeBus: () => Promise<void>;
  /** Web Push to approvers when a draft waits (its own sends, never through the alert push queue). */
  approvalsNotifier: ApprovalsNotifier;
  /** Tells approvers once per waiting draft, made by this process or any other (the CLI included). */
  approvalNotices: ApprovalNotices;
}
