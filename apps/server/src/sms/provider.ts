import { idempotentPost } from '../outbound/idempotentPost';

/** What the outbox needs of an SMS gateway. */
export interface SmsProvider {
  send(message: { to: string; text: string; idempotencyKey: string }): Promise<SmsSendResult>;
}

export type SmsSendResult =
  | { ok: true; messageId: string }
  /** `retry` false: the gateway refused the message itself (bad number, bad text). */
  | { ok: false; retry: boolean; error: string };

/**
 * A JSON-over-HTTP gateway (see idempotentPost: the Idempotency-Key lets it drop a resend of
 * a message it already accepted). Errors never include the number.
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(
    private readonly url: string,
    private readonly options: { token?: string; timeoutMs?: number } = {},
  ) {}

  async send(message: { to: string; text: string; idempotencyKey: string }): Promise<SmsSendResult> {
    const result = await idempotentPost({ url: this.url, ...this.options, name: 'gateway' }, message.idempotencyKey, message);
    if (!result.ok) return result;
    return { ok: true, messageId: typeof result.body.messageId === 'string' ? result.body.messageId : '' };
  }
}
