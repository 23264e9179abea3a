/**
 * The city's 好差评 platform as the outbox sees it. The message carries what the platform
 * manages (工单号, 事项名称, 申办人, 评价结果) with the applicant's name masked: the hall
 * never sends a citizen's full name or ID number to a third system.
 */
export interface PlatformRating {
  evaluationId: string;
  hallId: string;
  ticketNumber: string;
  caseNumber: string | null;
  serviceCode: string | null;
  serviceName: string | null;
  counterNumber: string | null;
  staffNumber: string | null;
  applicantMasked: string | null;
  /** 5 非常满意 … 1 非常不满意, the national scale. */
  level: 1 | 2 | 3 | 4 | 5;
  rating: string;
  /** No answer within the hall's timeout: 默认好评. */
  defaulted: boolean;
  comment: string | null;
  ratedAt: string;
}

export type PlatformResult = { ok: true; platformId: string } | { ok: false; retry: boolean; error: string };

export interface RatingPlatform {
  deliver(rating: PlatformRating): Promise<PlatformResult>;
}

/**
 * JSON over HTTP: POST {url} with an Idempotency-Key header (the evaluation id), which the
 * platform uses to drop a resend of a rating it already took (our answer may have been
 * lost after it stored it). 5xx, 408, 429 and network failures are retried; any other
 * refusal is kept, failed, for an operator.
 */
export class HttpRatingPlatform implements RatingPlatform {
  constructor(
    private readonly url: string,
    private readonly options: { token?: string; timeoutMs?: number } = {},
  ) {}

  async deliver(rating: PlatformRating): Promise<PlatformResult> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': rating.evaluationId,
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify(rating),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      return { ok: false, retry: true, error: `platform unreachable: ${(error as Error).name}` };
    }
    const body = (await response.json().catch(() => ({}))) as { id?: unknown };
    if (response.ok) return { ok: true, platformId: typeof body.id === 'string' ? body.id : '' };
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, retry, error: `platform answered ${response.status}` };
  }
}

export const RATING_LEVELS: Record<string, PlatformRating['level']> = { very_satisfied: 5, satisfied: 4, neutral: 3, unsatisfied: 2, very_unsatisfied: 1 };
