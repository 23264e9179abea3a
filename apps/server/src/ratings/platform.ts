import { idempotentPost } from '../outbound/idempotentPost';

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

/** JSON over HTTP (see idempotentPost: the evaluation id is the Idempotency-Key). */
export class HttpRatingPlatform implements RatingPlatform {
  constructor(
    private readonly url: string,
    private readonly options: { token?: string; timeoutMs?: number } = {},
  ) {}

  async deliver(rating: PlatformRating): Promise<PlatformResult> {
    const result = await idempotentPost({ url: this.url, ...this.options, name: 'platform' }, rating.evaluationId, rating);
    if (!result.ok) return result;
    return { ok: true, platformId: typeof result.body.id === 'string' ? result.body.id : '' };
  }
}

export const RATING_LEVELS: Record<string, PlatformRating['level']> = { very_satisfied: 5, satisfied: 4, neutral: 3, unsatisfied: 2, very_unsatisfied: 1 };
