import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformRating } from './platform';

/**
 * A small local stand-in for the city's 好差评 platform (tests, demos): stores each rating
 * once by its idempotency key, and can be told to fail the next requests with a status or
 * to store a rating and then drop the connection (the answer lost on the way back).
 */
export class RatingPlatformSimulator {
  readonly ratings: (PlatformRating & { platformId: string })[] = [];
  requests = 0;
  #failNext: number[] = [];
  #dropAfterStore = 0;
  #server: Server | undefined;
  url = '';

  failNext(...statuses: number[]): void {
    this.#failNext.push(...statuses);
  }

  dropAfterStore(times = 1): void {
    this.#dropAfterStore += times;
  }

  async start(token?: string): Promise<string> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests++;
        const answer = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (token && req.headers.authorization !== `Bearer ${token}`) return answer(401, { error: 'unauthorized' });
        const failure = this.#failNext.shift();
        if (failure !== undefined) return answer(failure, { error: 'simulated' });
        let rating: PlatformRating;
        try {
          rating = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PlatformRating;
        } catch {
          return answer(400, { error: 'bad json' });
        }
        if (req.headers['idempotency-key'] !== rating.evaluationId || ![1, 2, 3, 4, 5].includes(rating.level)) return answer(422, { error: 'bad rating' });
        let stored = this.ratings.find((r) => r.evaluationId === rating.evaluationId);
        if (!stored) {
          stored = { ...rating, platformId: `hcp-${this.ratings.length + 1}` };
          this.ratings.push(stored);
        }
        if (this.#dropAfterStore > 0) {
          this.#dropAfterStore--;
          req.socket.destroy();
          return;
        }
        answer(200, { id: stored.platformId });
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/ratings`;
    return this.url;
  }

  async close(): Promise<void> {
    if (this.#server) await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
  }
}
