import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delay } from '../transport/timeout';

export interface PtyPairOptions {
  /** Directory for the two symlinks; a fresh temp dir by default. */
  dir?: string;
  /** How long to wait for socat to create both links. */
  readyTimeoutMs?: number;
}

/**
 * A virtual null-modem cable: two ptys joined by socat. The driver opens
 * `hostPath`, the simulator opens `devicePath`. `unplug()` kills socat (both
 * ends see the port vanish, the links disappear), `replug()` starts it again
 * under the same link names, which is what a USB serial adapter does.
 */
export class PtyPair {
  readonly hostPath: string;
  readonly devicePath: string;
  readonly #dir: string;
  readonly #ownsDir: boolean;
  readonly #readyTimeoutMs: number;
  #socat: ChildProcess | undefined;
  #stderr = '';

  private constructor(options: PtyPairOptions) {
    this.#ownsDir = options.dir === undefined;
    this.#dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hall-pty-'));
    this.hostPath = join(this.#dir, 'host');
    this.devicePath = join(this.#dir, 'device');
    this.#readyTimeoutMs = options.readyTimeoutMs ?? 3000;
  }

  static async open(options: PtyPairOptions = {}): Promise<PtyPair> {
    const pair = new PtyPair(options);
    await pair.replug();
    return pair;
  }

  get plugged(): boolean {
    return this.#socat !== undefined;
  }

  /** Starts socat (again) and resolves once both link paths exist. */
  async replug(): Promise<void> {
    if (this.#socat) return;
    this.#stderr = '';
    const socat = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.devicePath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    socat.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-2000);
    });
    let exited = false;
    socat.once('exit', () => {
      exited = true;
      if (this.#socat === socat) this.#socat = undefined;
    });
    this.#socat = socat;
    // "starting data transfer loop" is printed once both ptys exist; the links
    // are created just before it, so polling the links is enough and simpler.
    const deadline = Date.now() + this.#readyTimeoutMs;
    while (!(existsSync(this.hostPath) && existsSync(this.devicePath) && this.#stderr.includes('starting data transfer'))) {
      if (exited) throw new Error(`socat exited early: ${this.#stderr.trim()}`);
      if (Date.now() > deadline) {
        socat.kill();
        throw new Error(`socat did not create ${this.hostPath} within ${this.#readyTimeoutMs} ms`);
      }
      await delay(10);
    }
  }

  /** Kills socat: both ends lose their port, like pulling the cable. */
  async unplug(): Promise<void> {
    const socat = this.#socat;
    if (!socat) return;
    this.#socat = undefined;
    await new Promise<void>((resolve) => {
      socat.once('exit', () => resolve());
      socat.kill('SIGTERM');
    });
    // socat removes its links on a clean exit; make sure a later replug starts fresh.
    rmSync(this.hostPath, { force: true });
    rmSync(this.devicePath, { force: true });
  }

  async close(): Promise<void> {
    await this.unplug();
    if (this.#ownsDir) rmSync(this.#dir, { recursive: true, force: true });
  }
}
