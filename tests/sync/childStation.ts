// The parent's side of a station in its own process (stationProcess.ts): fault tests kill -9,
// SIGSTOP and SIGCONT it, drive its activity and its hall-mesh faults over IPC, and read its view.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SyncStatus, Ticket } from '@hall/shared';
import type { OutboxRow, MeshNodeStatus, MeshVectorEntry } from '@hall/station';
import type { FaultStats, LinkFaults } from '@hall/station/testing';

const stationProcess = fileURLToPath(new URL('./stationProcess.ts', import.meta.url));

/** The hall LAN's faults as every station process applies them to the links it sends on. */
export interface LanFaults {
  defaults: LinkFaults;
  /** [from, to, faults] by station name (device id). */
  links: [string, string, LinkFaults][];
}

export interface StationProcessOptions {
  /** Mean interval of the simulated users' actions; default 60 ms. */
  activityMs?: number;
  /** Whether the users start acting at once; default true. */
  activity?: boolean;
  /** The hall mesh's fault layer: every station's mesh port by name (on 127.0.0.1), its seed and the faults in force at start. */
  lan?: { seed: number; ports: Record<string, number>; faults: LanFaults };
}

/** What a station process shows and holds, as its screens and its database would tell. */
export interface StationProcessView {
  deviceId: string;
  epoch: string;
  status: SyncStatus;
  outbox: OutboxRow[];
  tickets: Record<string, Ticket>;
  counters: Record<string, unknown>;
  meshVector: MeshVectorEntry[];
  peerPending: number;
  mesh: MeshNodeStatus | undefined;
  lan: FaultStats | undefined;
  /** Diagnostics: peers' seqs held per device|epoch, and the server watermark learnt ("1-3,5 (server ≤4)"). */
  peerHoldings: Record<string, string>;
  /** Every mutation id held: its own and its peers'. */
  heldIds: string[];
  /** deviceKey: its mutations carry the device proof, so peers can relay them (deviceProof.ts in shared). */
  ready: { catalogue: boolean; lanKeys: boolean; deviceKey: boolean; numbers: number };
}

type StationProcessAsk = { type: 'view' } | { type: 'activity'; on: boolean } | { type: 'lan'; faults: LanFaults };

/** A request from the parent; the reply carries the same id. */
export type StationProcessRequest = StationProcessAsk & { id: number };

export interface StationProcessReply {
  id: number;
  view?: StationProcessView;
}

/** A station running in a child process: the one we kill -9, SIGSTOP and SIGCONT. */
export class ChildStation {
  child: ChildProcess | undefined;
  /** How the last process ended (a kill -9 shows as SIGKILL). */
  lastExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private nextId = 1;

  constructor(
    readonly deviceId: string,
    readonly dataDir: string,
    private readonly configFile: string,
    private readonly seed: number,
    private readonly skewMs: number,
    /** Read at every start: a restarted station comes back with the faults in force then. */
    public options: StationProcessOptions | undefined = undefined,
  ) {}

  async start(): Promise<void> {
    const args = [this.configFile, String(this.seed), String(this.skewMs), ...(this.options ? [JSON.stringify(this.options)] : [])];
    const child = fork(stationProcess, args, {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`${this.deviceId} exited during start (${code})`)));
    });
    child.removeAllListeners('exit');
    child.once('exit', (code, signal) => {
      this.lastExit = { code, signal };
      if (this.child === child) this.child = undefined;
    });
  }

  kill9(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  /** kill -9, resolved once the process is gone. */
  async kill9AndWait(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.kill9();
    await gone;
  }

  request<T>(message: string, pick: (reply: unknown) => T | undefined): Promise<T> {
    const child = this.child;
    if (!child) return Promise.reject(new Error('not running'));
    return new Promise((resolve) => {
      const onMessage = (reply: unknown) => {
        const value = pick(reply);
        if (value === undefined) return;
        child.off('message', onMessage);
        resolve(value);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  }

  /** Sends a request with an id and waits for the reply with that id (rejects if the process ends first). */
  call(message: StationProcessAsk): Promise<StationProcessReply> {
    const child = this.child;
    if (!child) return Promise.reject(new Error(`${this.deviceId} is not running`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (reply: unknown) => {
        if ((reply as { id?: unknown } | null)?.id !== id) return;
        done();
        resolve(reply as StationProcessReply);
      };
      const onExit = () => {
        done();
        reject(new Error(`${this.deviceId} exited before answering`));
      };
      const done = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ ...message, id });
    });
  }

  async view(): Promise<StationProcessView> {
    const reply = await this.call({ type: 'view' });
    if (!reply.view) throw new Error(`${this.deviceId} sent no view`);
    return reply.view;
  }

  async setActivity(on: boolean): Promise<void> {
    await this.call({ type: 'activity', on });
  }

  async setLan(faults: LanFaults): Promise<void> {
    if (this.options?.lan) this.options.lan.faults = faults;
    if (this.child) await this.call({ type: 'lan', faults });
  }

  status(): Promise<SyncStatus> {
    return this.request('status', (r) => (r as { status?: SyncStatus }).status);
  }

  async exit(): Promise<void> {
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send('exit');
    });
    this.child = undefined;
  }
}
