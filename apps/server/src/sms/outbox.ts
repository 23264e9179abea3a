import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { RepeatingPass } from '../jobs/repeatingPass';
import { maskPhone } from '@hall/shared';
import { renderHallSms } from '../admin/smsTemplates';
import type { Database } from '../db/schema';
import { sealContext } from '../secrets/atRest';
import type { DataKeyring } from '../secrets/keyring';
import type { SmsProvider, SmsSendResult } from './provider';
import { scrubSecrets, SMS_TEMPLATES, type SmsTemplate } from './templates';

export type SmsTables = {
  sms_outbox: {
    id: string;
    idempotency_key: string;
    /** Null only for rows queued before outboxes named their hall and whose parcel is gone. */
    hall_id: string | null;
    phone: string;
    template: string;
    params_json: string;
    status: 'pending' | 'sending' | 'sent' | 'failed';
    attempts: number;
    next_attempt_at: string;
    lease_until: string | null;
    last_error: string | null;
    gateway_message_id: string | null;
    created_at: string;
    sent_at: string | null;
  };
};

export function smsDb(db: Kysely<Database>): Kysely<Database & SmsTables> {
  return db.withTables<SmsTables>();
}

// Sealed at rest (src/secrets): the number, and the parameters while they hold a pickup code.
const PHONE = { table: 'sms_outbox', column: 'phone' } as const;
const PARAMS = { table: 'sms_outbox', column: 'params_json' } as const;

/**
 * Queues a message inside the caller's transaction. The idempotency key names the
 * business fact ("parcel p deposited"), so replaying the fact queues nothing new.
 */
export async function enqueueSms(
  db: Kysely<Database>,
  keyring: DataKeyring,
  message: { idempotencyKey: string; hallId: string; phone: string; template: SmsTemplate; params: Record<string, unknown> },
  now: Date,
): Promise<boolean> {
  SMS_TEMPLATES[message.template].params.parse(message.params);
  const id = randomUUID();
  const result = await smsDb(db)
    .insertInto('sms_outbox')
    .values({
      id,
      idempotency_key: message.idempotencyKey,
      hall_id: message.hallId,
      phone: keyring.seal(message.phone, sealContext(PHONE, id)),
      template: message.template,
      params_json: keyring.seal(JSON.stringify(message.params), sealContext(PARAMS, id)),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      lease_until: null,
      last_error: null,
      gateway_message_id: null,
      created_at: now.toISOString(),
      sent_at: null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface DispatchPolicy {
  maxAttempts: number;
  /** First retry delay; doubles per attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A claimed row whose sender died is taken again after this. */
  leaseMs: number;
}

export const DEFAULT_DISPATCH: DispatchPolicy = { maxAttempts: 8, baseDelayMs: 2000, maxDelayMs: 10 * 60_000, leaseMs: 30_000 };

/**
 * Sends due messages. A row is claimed (status "sending" with a lease) before the
 * gateway hears of it; a crash leaves the lease to expire and the resend carries the
 * same idempotency key, so the gateway delivers it once.
 */
export class SmsDispatcher extends RepeatingPass {
  protected readonly passFailure = 'sms dispatch failed';

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keyring: DataKeyring,
    private readonly provider: SmsProvider,
    private readonly clock: () => Date,
    protected readonly log?: FastifyBaseLogger,
    private readonly policy: DispatchPolicy = DEFAULT_DISPATCH,
  ) {
    super();
  }

  protected async pass(): Promise<number> {
    const db = smsDb(this.db);
    const now = this.clock();
    const iso = now.toISOString();
    const due = await db
      .selectFrom('sms_outbox')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', iso)]),
          eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', iso)]),
        ]),
      )
      .orderBy('created_at')
      .limit(50)
      .execute();
    let sent = 0;
    for (const row of due) {
      const claimed = await db
        .updateTable('sms_outbox')
        .set({ status: 'sending', lease_until: new Date(now.getTime() + this.policy.leaseMs).toISOString(), attempts: row.attempts + 1 })
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .where('status', 'in', ['pending', 'sending'])
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue; // another instance took it
      const template = row.template as SmsTemplate;
      let params: Record<string, unknown>;
      let to: string;
      try {
        params = JSON.parse(this.keyring.open(row.params_json, sealContext(PARAMS, row.id))) as Record<string, unknown>;
        to = this.keyring.open(row.phone, sealContext(PHONE, row.id));
      } catch (error) {
        // One unreadable row must not hold up the others; it is kept, failed, for an operator.
        await db.updateTable('sms_outbox').set({ status: 'failed', last_error: (error as Error).message, lease_until: null }).where('id', '=', row.id).execute();
        this.log?.error({ sms: row.id, template, error: (error as Error).message }, 'sms row cannot be opened');
        continue;
      }
      const result = await this.#wordAndSend(row, template, params, to);
      const attempts = row.attempts + 1;
      if (result.ok) {
        sent++;
        await db
          .updateTable('sms_outbox')
          .set({ status: 'sent', sent_at: this.clock().toISOString(), gateway_message_id: result.messageId, lease_until: null, params_json: this.keyring.seal(JSON.stringify(scrubSecrets(template, params)), sealContext(PARAMS, row.id)) })
          .where('id', '=', row.id)
          .execute();
        this.log?.info({ sms: row.id, template, to: maskPhone(to) }, 'sms sent');
        continue;
      }
      const giveUp = !result.retry || attempts >= this.policy.maxAttempts;
      const delay = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempts - 1));
      await db
        .updateTable('sms_outbox')
        .set({
          status: giveUp ? 'failed' : 'pending',
          last_error: result.error,
          lease_until: null,
          next_attempt_at: new Date(this.clock().getTime() + delay).toISOString(),
        })
        .where('id', '=', row.id)
        .execute();
      this.log?.warn({ sms: row.id, template, to: maskPhone(to), attempts, error: result.error, giveUp }, 'sms not sent');
    }
    return sent;
  }

  async #wordAndSend(row: { id: string; hall_id: string | null; idempotency_key: string }, template: SmsTemplate, params: Record<string, unknown>, to: string): Promise<SmsSendResult> {
    let text: string;
    try {
      // Worded now, not when queued: a hall that corrects its text (a wrong phone number,
      // new opening hours) wants the correction in every message not yet sent, including
      // those waiting out a gateway outage; and the outbox then keeps only parameters, not
      // a second copy of the pickup code inside a finished text.
      text = await renderHallSms(this.db, row.hall_id, template, params);
    } catch (error) {
      // Likely the database for a moment: retried with backoff like a gateway failure.
      return { ok: false, retry: true, error: `message not worded: ${(error as Error).message}` };
    }
    return this.provider.send({ to, text, idempotencyKey: row.idempotency_key });
  }
}
