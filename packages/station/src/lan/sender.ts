import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { callKindOf, type CounterState, type Ticket } from '@hall/shared';
import { encodeLanMessage, LAN_PROTOCOL_VERSION, parseLanKey, type LanBody, type LanCall, type LanKeySource } from './message';
import type { LanPeer } from './config';

export interface LanCallSenderOptions {
  hallId: string;
  /** The sending station's device id. */
  senderId: string;
  /** The station's LAN key ring (from the central API): messages are sealed with its current key. */
  keys?: LanKeySource;
  /** A fixed key as text (hex or base64): developer stations and tests; `keys` otherwise. */
  key?: string;
  peers: readonly LanPeer[];
  broadcast?: { address: string; port: number };
  /**
   * Extra sends of the same datagram after the first (ms): UDP may drop one on a busy LAN,
   * and the display dedupes, so repeating is cheap insurance.
   */
  resendDelaysMs?: readonly number[];
  now?: () => number;
}

export interface LanCallSender {
  /** Tells the displays about a call or recall just committed locally. Never throws. */
  sendCall(ticket: Ticket, counter: { id: string; number: string }): void;
  /** Tells the displays (and so the counter signs) about a counter's new state. Never throws. */
  sendCounterState(counter: { id: string; number: string }, state: CounterState, servingTicketNumber?: string): void;
  /** Datagrams that could not be sent (no route, peer unresolvable, no LAN key yet); for health displays. */
  readonly failures: number;
  close(): Promise<void>;
}

/** The LAN message of a committed call; undefined for a ticket that is not called. */
export function lanCallOf(ticket: Ticket, counter: { id: string; number: string }): LanCall | undefined {
  if (ticket.lastCalledAt === undefined || ticket.callCount < 1) return undefined;
  return {
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    counterId: counter.id,
    counterNumber: counter.number,
    kind: callKindOf(ticket),
    calledAt: ticket.lastCalledAt,
    callCount: ticket.callCount,
  };
}

/**
 * The counter side of the LAN call feed. Fire and forget: the call is already committed
 * locally and on its way through sync; the LAN path only makes the display faster and
 * independent of the central API.
 */
export async function startLanCallSender(options: LanCallSenderOptions): Promise<LanCallSender> {
  const fixed = options.key === undefined ? undefined : parseLanKey(options.key);
  const keySource = options.keys;
  if (!fixed && !keySource) throw new Error('the LAN call sender needs the hall LAN key ring (keys) or, on a developer station, a key');
  const now = options.now ?? Date.now;
  const resendDelays = options.resendDelaysMs ?? [150, 1000];
  const socket: Socket = createSocket({ type: 'udp4' });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  if (options.broadcast) socket.setBroadcast(true);
  // Errors of a fire-and-forget socket are counted, never thrown into the counter's call path.
  let failures = 0;
  socket.on('error', () => failures++);
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const targets = [...options.peers, ...(options.broadcast ? [{ host: options.broadcast.address, port: options.broadcast.port }] : [])];

  const send = (body: LanBody) => {
    if (closed) return;
    // Read per message: after a rotation the next call is sealed with the new key.
    const key = fixed ?? keySource?.()?.current;
    if (!key) {
      failures++;
      return;
    }
    const datagram = encodeLanMessage(key, {
      v: LAN_PROTOCOL_VERSION,
      hallId: options.hallId,
      senderId: options.senderId,
      messageId: randomUUID(),
      sentAt: now(),
      body,
    });
    const sendAll = () => {
      if (closed) return;
      for (const target of targets) {
        socket.send(datagram, target.port, target.host, (error) => {
          if (error) failures++;
        });
      }
    };
    sendAll();
    for (const delay of resendDelays) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        sendAll();
      }, delay);
      timer.unref();
      timers.add(timer);
    }
  };

  return {
    sendCall(ticket, counter) {
      const call = lanCallOf(ticket, counter);
      if (call) send({ type: 'call', call });
    },
    sendCounterState(counter, state, servingTicketNumber) {
      send({
        type: 'counterState',
        counter: {
          counterId: counter.id,
          counterNumber: counter.number,
          state,
          ...(servingTicketNumber === undefined ? {} : { servingTicketNumber }),
          at: new Date(now()).toISOString(),
        },
      });
    },
    get failures() {
      return failures;
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
