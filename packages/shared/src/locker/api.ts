import { z } from 'zod';
import { decodeBase64Url } from '../residence-code/base64url';
import { CODE_REFUSAL_MESSAGES, type CodeRefusal } from '../residence-code/verify';
import { CompartmentSizeSchema } from './layout';
import { ParcelStatusSchema } from './parcel';

/** Refusals of the locker beyond those of code verification. */
export const LOCKER_REFUSAL_MESSAGES = {
  no_parcel: { zh: '本柜没有您的待取文件，请核对短信中的柜号或到窗口咨询', en: 'There is nothing for you in this locker. Check the SMS or ask at a counter.' },
  locked_out: { zh: '尝试次数过多，已暂停取件，请稍后再试或到窗口咨询', en: 'Too many attempts. Pickup is paused; try later or ask at a counter.' },
  no_free_compartment: { zh: '没有合适的空柜格', en: 'No free compartment of a fitting size.' },
  already_deposited: { zh: '该存件码已存件', en: 'This deposit code has already been used.' },
  no_key_set: { zh: '本机尚未下载验证密钥，请到窗口办理', en: 'This locker has no verification keys yet. Please go to a counter.' },
  wrong_pickup_code: { zh: '取件码或身份证不正确', en: 'The pickup code or ID card does not match.' },
  no_id_card: { zh: '未读到身份证，请将身份证放在读卡区', en: 'No ID card was read. Place your ID card on the reader.' },
  no_id_card_reader: { zh: '本机没有身份证阅读器，请使用粤居码取件', en: 'This locker has no ID-card reader. Please use your residence code.' },
  not_staff: { zh: '需要工作人员授权码', en: 'A staff authorisation code is needed.' },
  busy: { zh: '柜门正在操作中，请稍候', en: 'A door is being operated. Please wait.' },
  device_error: { zh: '柜门控制设备故障，请到窗口办理', en: 'The lock controller failed. Please go to a counter.' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type LockerRefusal = keyof typeof LOCKER_REFUSAL_MESSAGES | CodeRefusal;
export const LockerRefusalSchema = z.enum([
  ...(Object.keys(LOCKER_REFUSAL_MESSAGES) as (keyof typeof LOCKER_REFUSAL_MESSAGES)[]),
  ...(Object.keys(CODE_REFUSAL_MESSAGES) as CodeRefusal[]),
]);

export function lockerRefusalMessage(reason: LockerRefusal): { zh: string; en: string } {
  return reason in LOCKER_REFUSAL_MESSAGES
    ? LOCKER_REFUSAL_MESSAGES[reason as keyof typeof LOCKER_REFUSAL_MESSAGES]
    : CODE_REFUSAL_MESSAGES[reason as CodeRefusal];
}

const TextPairSchema = z.object({ zh: z.string(), en: z.string() });

export const LockerItemSchema = z.object({
  parcelId: z.string(),
  caseNumber: z.string(),
  compartmentId: z.string().nullable(),
  status: ParcelStatusSchema,
  /** Only on the clerk's deposit screen. */
  maskedName: z.string().optional(),
});
export type LockerItem = z.infer<typeof LockerItemSchema>;

export const LockerScanResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deposit'), items: z.array(LockerItemSchema), refusals: z.array(z.object({ reason: LockerRefusalSchema, message: TextPairSchema })) }),
  z.object({ kind: z.literal('pickup'), items: z.array(LockerItemSchema) }),
  z.object({ kind: z.literal('return'), items: z.array(LockerItemSchema) }),
  z.object({
    kind: z.literal('refused'),
    reason: LockerRefusalSchema,
    message: TextPairSchema,
    lockedUntil: z.string().optional(),
  }),
]);
export type LockerScanResult = z.infer<typeof LockerScanResultSchema>;

export const CompartmentViewSchema = z.object({
  id: z.string(),
  size: CompartmentSizeSchema,
  use: z.enum(['free', 'occupied', 'out_of_service']),
  doorOpen: z.boolean(),
  alarm: z.enum(['left_open', 'jammed']).nullable(),
});
export type CompartmentView = z.infer<typeof CompartmentViewSchema>;

export const LockerStatusSchema = z.object({
  compartments: z.array(CompartmentViewSchema),
  lockedUntil: z.string().nullable(),
  keysCachedUntil: z.string().nullable(),
  pendingEvents: z.number().int().min(0),
  online: z.boolean(),
  unclaimed: z.array(LockerItemSchema),
});
export type LockerStatus = z.infer<typeof LockerStatusSchema>;

export const LockerAlarmSchema = z.object({
  compartmentId: z.string(),
  kind: z.enum(['left_open', 'jammed', 'uncertain']),
  at: z.string(),
  message: TextPairSchema,
});
export type LockerAlarm = z.infer<typeof LockerAlarmSchema>;

/** A counter asks for a certificate on its own deposit-signing key (raw Ed25519 public key, base64url). */
export const DepositDelegationRequestSchema = z
  .object({ publicKey: z.string().refine((v) => decodeBase64Url(v)?.length === 32, 'publicKey is 32 bytes of base64url') })
  .strict();

/**
 * The central API's answer: the certificate (signed by the city's code key, base64url), its
 * key id and window, and the key (base64url, 32 bytes) that seals citizens' mobile numbers in
 * the counter's offline codes, which only the central API can open again.
 */
export const DepositDelegationResponseSchema = z.object({
  certificate: z.string().min(1).max(1000),
  delegatedKid: z.string().regex(/^[0-9a-f]{16}$/),
  hallId: z.string().min(1),
  deviceId: z.string().min(1),
  notBefore: z.string().datetime({ offset: true }),
  notAfter: z.string().datetime({ offset: true }),
  phoneKey: z.string().refine((v) => decodeBase64Url(v)?.length === 32, 'phoneKey is 32 bytes of base64url'),
});
export type DepositDelegationResponse = z.infer<typeof DepositDelegationResponseSchema>;
