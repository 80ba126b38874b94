// A TCP proxy in front of a local service (PostgreSQL, NATS) that a test can cut: `down()` closes every connection and
// refuses new ones (the service gone for whoever is behind the proxy), `up()` accepts again on the same port.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  port = 0;
  /** Connections accepted so far (a client that reconnected shows here). */
  accepted = 0;

  constructor(private readonly targetPort: number, private readonly targetHost = '127.0.0.1') {}

  /** The local ports of the connections to the service (PostgreSQL shows them as pg_stat_activity.client_port). */
  upstreamPorts(): number[] {
    return [...this.pairs].map(([, up]) => up.localPort).filter((p): p is number => typeof p === 'number');
  }

  async up(): Promise<void> {
    const server = createServer((down) => {
      this.accepted++;
      const up = connect(this.targetPort, this.targetHost);
      const pair: [Socket, Socket] = [down, up];
      this.pairs.add(pair);
      const close = () => {
        this.pairs.delete(pair);
        down.destroy();
        up.destroy();
      };
      down.on('error', close).on('close', close);
      up.on('error', close).on('close', close);
      down.pipe(up);
      up.pipe(down);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise((r) => server.close(r));
  }
}
