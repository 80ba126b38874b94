// The bus for a single process: publish hands the event to every subscriber on the next microtask.
import type { AlertBus, AlertEvent } from './ports.ts';

export class InProcessBus implements AlertBus {
  readonly name = 'in-process';
  private readonly handlers = new Set<(event: AlertEvent) => void>();

  async publish(event: AlertEvent): Promise<void> {
    for (const h of [...this.handlers]) h(event);
  }

  async subscribe(handler: (event: AlertEvent) => void): Promise<() => Promise<void>> {
    this.handlers.add(handler);
    return async () => {
      this.handlers.delete(handler);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
