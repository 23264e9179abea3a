import net from 'node:net';
import type { Connection, ConnectionCallbacks, ReconnectOptions } from './reconnectingLink';
import { ReconnectingLink } from './reconnectingLink';

export interface TcpLinkOptions extends ReconnectOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
}

function socketConnection(socket: net.Socket): Connection {
  return {
    write: (bytes) =>
      new Promise<void>((done, fail) => {
        socket.write(Buffer.from(bytes), (error) => (error ? fail(error) : done()));
      }),
    destroy: () =>
      new Promise<void>((done) => {
        if (socket.destroyed) {
          done();
          return;
        }
        socket.once('close', () => done());
        socket.destroy();
      }),
  };
}

/** TCP client link (network printers on 9100, serial-over-IP servers, simulators). */
export class TcpLink extends ReconnectingLink {
  readonly description: string;

  constructor(private readonly options: TcpLinkOptions) {
    super(options);
    this.description = `tcp ${options.host}:${options.port}`;
  }

  protected connect(callbacks: ConnectionCallbacks): Promise<Connection> {
    const { host, port, connectTimeoutMs = 3000 } = this.options;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      socket.setTimeout(connectTimeoutMs, () => socket.destroy(new Error('connect timeout')));
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.off('error', reject);
        socket.on('data', (chunk: Buffer) => callbacks.onData(chunk));
        socket.on('error', (error) => callbacks.onLost(error.message));
        socket.on('close', () => callbacks.onLost('connection closed'));
        resolve(socketConnection(socket));
      });
    });
  }
}

/**
 * The device side of a TCP link, for simulators: listens and treats the latest
 * accepted client as "the cable". A new client replaces the old one.
 */
export class TcpServerLink extends ReconnectingLink {
  readonly description: string;
  #server: net.Server | undefined;
  #pending: ((socket: net.Socket) => void) | undefined;

  constructor(
    private readonly options: { port: number; host?: string },
  ) {
    super({ reopenIntervalMs: 0 });
    this.description = `tcp server :${options.port}`;
  }

  /** Resolves with the bound port (useful with port 0). */
  async listen(): Promise<number> {
    if (this.#server) return (this.#server.address() as net.AddressInfo).port;
    const server = net.createServer((socket) => {
      socket.setNoDelay(true);
      const take = this.#pending;
      if (take) {
        this.#pending = undefined;
        take(socket);
      } else socket.destroy();
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    return (server.address() as net.AddressInfo).port;
  }

  protected async connect(callbacks: ConnectionCallbacks): Promise<Connection> {
    await this.listen();
    const socket = await new Promise<net.Socket>((resolve) => {
      this.#pending = resolve;
    });
    socket.on('data', (chunk: Buffer) => callbacks.onData(chunk));
    socket.on('error', (error) => callbacks.onLost(error.message));
    socket.on('close', () => callbacks.onLost('client disconnected'));
    return socketConnection(socket);
  }

  override async close(): Promise<void> {
    await super.close();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
