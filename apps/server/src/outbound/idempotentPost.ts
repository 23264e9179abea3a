/**
 * One delivery to a third system (an SMS gateway, the city's 好差评 platform): a JSON POST
 * with an Idempotency-Key header, which the receiver uses to drop a resend of something it
 * already took (our answer may have been lost after it stored it). A network failure, a
 * timeout, 5xx, 408 and 429 are worth retrying; any other refusal is kept for an operator.
 * The error text names only the status, never what was sent.
 */
export type PostResult = { ok: true; body: Record<string, unknown> } | { ok: false; retry: boolean; error: string };

export interface PostTarget {
  url: string;
  token?: string | undefined;
  timeoutMs?: number | undefined;
  /** How errors name the receiver ("gateway", "platform"). */
  name: string;
}

export async function idempotentPost(target: PostTarget, idempotencyKey: string, payload: unknown): Promise<PostResult> {
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
      },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(target.timeoutMs ?? 5000),
    });
  } catch (error) {
    return { ok: false, retry: true, error: `${target.name} unreachable: ${(error as Error).name}` };
  }
  const body = (await response.json().catch(() => ({}))) as unknown;
  if (response.ok) return { ok: true, body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {} };
  const retry = response.status >= 500 || response.status === 408 || response.status === 429;
  return { ok: false, retry, error: `${target.name} answered ${response.status}` };
}
