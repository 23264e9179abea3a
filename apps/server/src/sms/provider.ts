/** What the outbox needs of an SMS gateway. */
export interface SmsProvider {
  send(message: { to: string; text: string; idempotencyKey: string }): Promise<SmsSendResult>;
}

export type SmsSendResult =
  | { ok: true; messageId: string }
  /** `retry` false: the gateway refused the message itself (bad number, bad text). */
  | { ok: false; retry: boolean; error: string };

/**
 * A JSON-over-HTTP gateway: POST {url} with the message and an Idempotency-Key header,
 * which the gateway uses to drop a resend of a message it already accepted (our answer
 * may have been lost after it sent the text). Errors never include the number.
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(
    private readonly url: string,
    private readonly options: { token?: string; timeoutMs?: number } = {},
  ) {}

  async send(message: { to: string; text: string; idempotencyKey: string }): Promise<SmsSendResult> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': message.idempotencyKey,
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      return { ok: false, retry: true, error: `gateway unreachable: ${(error as Error).name}` };
    }
    const body = (await response.json().catch(() => ({}))) as { messageId?: unknown };
    if (response.ok) return { ok: true, messageId: typeof body.messageId === 'string' ? body.messageId : '' };
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, retry, error: `gateway answered ${response.status}` };
  }
}
