// A TCP proxy that can stall: after stall() it accepts and holds bytes but forwards nothing, so a server behind it
// waits on its broker (a publish never answered) without seeing a closed connection. Lets a crash test pin the
// moment "committed, not yet delivered" without a hook inside the server.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export class StallProxy {
  private stalled = false;
  private readonly pairs = new Set<[Socket, Socket]>();

  private constructor(private readonly server: Server, readonly port: number) {}

  /** Listens on a free loopback port in front of host:port; null when nothing answers there. */
  static async start(host: string, port: number): Promise<StallProxy | null> {
    const reachable = await new Promise<boolean>((resolve) => {
      const s = connect(port, host, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (!reachable) return null;
    let proxy!: StallProxy;
    const server = createServer((down) => {
      const up = connect(port, host);
      const pair: [Socket, Socket] = [down, up];
      proxy.pairs.add(pair);
      const close = () => {
        proxy.pairs.delete(pair);
        down.destroy();
        up.destroy();
      };
      down.on('error', close).on('close', close);
      up.on('error', close).on('close', close);
      if (proxy.stalled) down.pause();
      else proxy.flow(pair);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new StallProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  private flow([down, up]: [Socket, Socket]): void {
    down.pipe(up);
    up.pipe(down);
  }

  /** From now on nothing passes in either direction; connections stay open. */
  stall(): void {
    this.stalled = true;
    for (const [down, up] of this.pairs) {
      down.unpipe(up);
      up.unpipe(down);
      down.pause();
      up.pause();
    }
  }

  async close(): Promise<void> {
    for (const [down, up] of this.pairs) {
      down.destroy();
      up.destroy();
    }
    await new Promise((r) => this.server.close(r));
  }
}
