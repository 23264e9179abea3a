import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';

export interface MeshAddress {
  host: string;
  port: number;
}

/** A broadcast address of the hall subnet, or a multicast group, with the mesh port. */
export interface MeshDiscovery {
  address: string;
  port: number;
}

export function addressKey(address: MeshAddress): string {
  return `${address.host}:${address.port}`;
}

/** Where a mesh node listens and how it reaches the hall. */
export interface MeshTransportOptions {
  bind: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Broadcast or multicast address adverts also go to; the transport must receive there too. */
  discovery?: MeshDiscovery | undefined;
}

export interface MeshTransportHandlers {
  onDatagram(datagram: Buffer, from: MeshAddress): void;
  /** Socket errors after start: counted by the node, never thrown. */
  onError(error: Error): void;
}

/**
 * The datagram layer under a mesh node. The node sends every datagram through `send`, and
 * receives through the handlers, so a test can wrap the real transport to drop, duplicate,
 * delay or reorder datagrams per (from, to) pair (see FaultNetwork in testing.ts).
 */
export interface MeshTransport {
  /** The address the node listens on and sends from (host is the bind address). */
  readonly local: MeshAddress;
  /** Fire and forget; failures go to `onError`. */
  send(datagram: Buffer, to: MeshAddress): void;
  close(): Promise<void>;
}

export type MeshTransportFactory = (options: MeshTransportOptions, handlers: MeshTransportHandlers) => Promise<MeshTransport>;

function isMulticast(address: string): boolean {
  if (isIP(address) !== 4) return false;
  const first = Number(address.split('.')[0]);
  return first >= 224 && first <= 239;
}

async function bindSocket(socket: Socket, port: number, address: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise<void>((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

/**
 * Real UDP. One socket listens and sends (so a peer's source port is its listen port). When
 * discovery traffic cannot reach that socket — another port, or a socket bound to one
 * address, which the kernel does not hand broadcasts to — a second, receive-only socket is
 * bound on the discovery port of every interface, shared (reuseAddr) with other nodes on the
 * same machine.
 */
export const udpMeshTransport: MeshTransportFactory = async (options, handlers) => {
  const main = createSocket({ type: 'udp4' });
  const sockets: Socket[] = [main];
  const receive = (datagram: Buffer, remote: { address: string; port: number }) => handlers.onDatagram(datagram, { host: remote.address, port: remote.port });
  try {
    main.on('message', receive);
    await bindSocket(main, options.port, options.bind);
    main.on('error', (error) => handlers.onError(error));
    const port = main.address().port;
    const discovery = options.discovery;
    if (discovery) {
      let listener = main;
      if (discovery.port !== port || options.bind !== '0.0.0.0') {
        listener = createSocket({ type: 'udp4', reuseAddr: true });
        sockets.push(listener);
        listener.on('message', receive);
        await bindSocket(listener, discovery.port, '0.0.0.0');
        listener.on('error', (error) => handlers.onError(error));
      }
      if (isMulticast(discovery.address)) listener.addMembership(discovery.address);
      else main.setBroadcast(true);
    }
    return {
      local: { host: options.bind, port },
      send(datagram, to) {
        try {
          main.send(datagram, to.port, to.host, (error) => {
            if (error) handlers.onError(error);
          });
        } catch (error) {
          handlers.onError(error as Error);
        }
      },
      async close() {
        await Promise.all(sockets.map(closeSocket));
      },
    };
  } catch (error) {
    await Promise.all(sockets.map(closeSocket));
    throw error;
  }
};
