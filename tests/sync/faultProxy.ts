// A TCP proxy of our own that injects network faults between stations and the central API.
import net from 'node:net';

export type FaultMode = 'normal' | 'drop' | 'delay' | 'cut' | 'duplicate' | 'reorder' | 'partition';
export const FAULT_MODES: readonly FaultMode[] = ['normal', 'drop', 'delay', 'cut', 'duplicate', 'reorder', 'partition'];

interface Link {
  client: net.Socket;
  server: net.Socket | undefined;
  frozen: boolean;
}

/**
 * Each new connection is treated by the mode in force when it opens:
 * - drop: closed at once (connection reset);
 * - delay: every chunk both ways held 20–250 ms (order kept);
 * - cut: the response is cut half-way through its first chunk;
 * - duplicate: the first request chunk is sent twice (the server sees the request twice);
 * - reorder: the request is held 0–400 ms, so later connections overtake earlier ones;
 * - partition: everything is swallowed, nothing answered; open connections freeze too,
 *   and are destroyed when the partition heals (as a TCP timeout would).
 */
export class FaultProxy {
  private modeValue: FaultMode = 'normal';
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  readonly stats: Record<FaultMode, number> = { normal: 0, drop: 0, delay: 0, cut: 0, duplicate: 0, reorder: 0, partition: 0 };
  port = 0;

  constructor(
    private readonly targetPort: () => number,
    private readonly random: () => number,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get mode(): FaultMode {
    return this.modeValue;
  }

  setMode(mode: FaultMode): void {
    const previous = this.modeValue;
    this.modeValue = mode;
    if (mode === 'partition') for (const link of this.links) link.frozen = true;
    if (previous === 'partition' && mode !== 'partition') {
      for (const link of [...this.links]) if (link.frozen) this.destroy(link);
    }
  }

  async close(): Promise<void> {
    for (const link of [...this.links]) this.destroy(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private destroy(link: Link): void {
    link.client.destroy();
    link.server?.destroy();
    this.links.delete(link);
  }

  private accept(client: net.Socket): void {
    const mode = this.modeValue;
    this.stats[mode] += 1;
    client.on('error', () => {});
    if (mode === 'drop') {
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, server: undefined, frozen: mode === 'partition' };
    this.links.add(link);
    client.on('close', () => this.destroy(link));
    if (mode === 'partition') {
      client.on('data', () => {});
      return;
    }
    const server = net.connect(this.targetPort(), '127.0.0.1');
    link.server = server;
    server.on('error', () => this.destroy(link));
    server.on('close', () => this.destroy(link));

    const delayMs = () => (mode === 'delay' ? 20 + this.random() * 230 : 0);
    let upstreamChain = new Promise<void>((resolve) => setTimeout(resolve, mode === 'reorder' ? this.random() * 400 : 0));
    let downstreamChain = Promise.resolve();
    let firstUp = true;
    let firstDown = true;

    client.on('data', (chunk: Buffer) => {
      const wait = delayMs();
      const duplicate = mode === 'duplicate' && firstUp;
      firstUp = false;
      upstreamChain = upstreamChain.then(async () => {
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (link.frozen || server.destroyed) return;
        server.write(chunk);
        if (duplicate) server.write(chunk);
      });
    });
    server.on('data', (chunk: Buffer) => {
      const wait = delayMs();
      const cut = mode === 'cut' && firstDown;
      firstDown = false;
      downstreamChain = downstreamChain.then(async () => {
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (link.frozen || client.destroyed) return;
        if (cut) {
          client.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
          this.destroy(link);
          return;
        }
        client.write(chunk);
      });
    });
  }
}
