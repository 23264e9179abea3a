import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedSms {
  messageId: string;
  to: string;
  text: string;
  idempotencyKey: string;
  at: string;
}

/**
 * A real local HTTP SMS gateway for tests and demos: records accepted messages, answers a
 * repeated idempotency key with the first message's id (sending nothing new), and can be
 * told to fail the next requests or to accept a message and then drop the connection
 * (the case that makes a sender resend).
 */
export class SmsGatewaySimulator {
  readonly messages: RecordedSms[] = [];
  requests = 0;
  #failNext: number[] = [];
  #dropAfterAccept = 0;
  #acceptLeft: number | undefined;
  #server: Server | undefined;
  url = '';

  failNext(...statuses: number[]): void {
    this.#failNext.push(...statuses);
  }

  dropAfterAccept(times = 1): void {
    this.#dropAfterAccept += times;
  }

  /** Accepts `n` more new messages, then answers 503 (try later) until acceptAll(): a gateway that throttles mid-batch. */
  acceptOnly(n: number): void {
    this.#acceptLeft = n;
  }

  acceptAll(): void {
    this.#acceptLeft = undefined;
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        this.requests++;
        const failure = this.#failNext.shift();
        if (failure !== undefined) {
          res.writeHead(failure, { 'content-type': 'application/json' }).end('{"error":"simulated"}');
          return;
        }
        let message: { to?: unknown; text?: unknown; idempotencyKey?: unknown };
        try {
          message = JSON.parse(body) as typeof message;
        } catch {
          res.writeHead(400).end('{"error":"bad json"}');
          return;
        }
        const key = req.headers['idempotency-key'];
        if (typeof message.to !== 'string' || typeof message.text !== 'string' || typeof key !== 'string' || key !== message.idempotencyKey) {
          res.writeHead(400).end('{"error":"bad message"}');
          return;
        }
        let recorded = this.messages.find((m) => m.idempotencyKey === key);
        if (!recorded && this.#acceptLeft === 0) {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"throttled"}');
          return;
        }
        if (!recorded) {
          if (this.#acceptLeft !== undefined) this.#acceptLeft--;
          recorded = { messageId: `sim-${this.messages.length + 1}`, to: message.to, text: message.text, idempotencyKey: key, at: new Date().toISOString() };
          this.messages.push(recorded);
        }
        if (this.#dropAfterAccept > 0) {
          this.#dropAfterAccept--;
          req.socket.destroy();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messageId: recorded.messageId }));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/messages`;
    return this.url;
  }

  async close(): Promise<void> {
    if (this.#server) await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
  }
}
