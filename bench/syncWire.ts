// The sync protocol as the station's SyncClient speaks it (same paths, version headers and
// JSON bodies), on node:http with one keep-alive agent per API instance. A load generator
// shares the machine with what it measures; fetch plus response schema parsing cost it
// several times more CPU per request than this.
import { Agent, request } from 'node:http';
import { SYNC_HEADERS, SYNC_PATHS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, type Mutation, type MutationResult } from '@hall/shared';
import { API_BASE_PATH } from '@hall/station';

const VERSION_HEADERS = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };

export class SyncWire {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });
  readonly #url: URL;

  constructor(apiUrl: string) {
    this.#url = new URL(apiUrl);
  }

  close(): void {
    this.#agent.destroy();
  }

  /** One request; a non-200 answer is an error carrying the server's message. */
  call(method: 'GET' | 'POST', path: string, credential: string, body?: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...VERSION_HEADERS, authorization: `Bearer ${credential}` };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const req = request({ host: this.#url.hostname, port: this.#url.port, method, path: API_BASE_PATH + path, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${method} ${path}: HTTP ${String(res.statusCode)} ${text.slice(0, 300)}`));
          else {
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new Error(`${method} ${path}: unparseable response`));
            }
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Pushes a batch; any mutation not applied is an error. Returns how many were applied. */
  async push(credential: string, epoch: string, mutations: readonly Mutation[]): Promise<number> {
    const response = (await this.call('POST', SYNC_PATHS.push, credential, JSON.stringify({ epoch, mutations }))) as { results?: MutationResult[] };
    const results = response.results ?? [];
    const rejected = results.filter((r) => r.status !== 'applied');
    if (rejected.length > 0 || results.length !== mutations.length) {
      throw new Error(`${mutations[0]?.deviceId ?? '?'}: ${rejected.length} of ${mutations.length} not applied (${JSON.stringify(rejected[0] ?? results.length)})`);
    }
    return results.length;
  }

  async lease(credential: string, queueId: string, day: string, count: number): Promise<{ start: number; end: number }> {
    const response = (await this.call('POST', SYNC_PATHS.lease, credential, JSON.stringify({ queueId, day, count }))) as { block?: { start: number; end: number } };
    if (!response.block || !(response.block.end >= response.block.start)) throw new Error(`lease ${queueId}: no block in the answer`);
    return response.block;
  }

  async pull(credential: string, cursor: number, limit: number): Promise<{ kind: string; cursor?: number }> {
    return (await this.call('GET', `${SYNC_PATHS.pull}?cursor=${cursor}&limit=${limit}`, credential)) as { kind: string; cursor?: number };
  }
}
