import { readFileSync } from 'node:fs';
import { LocalDateSchema, makeTestIdNumber } from '@hall/shared';
import { z } from 'zod';
import { nationName, sexName } from './codes';
import type { SimulatedCard } from './simulator';
import type { IdDocument } from './text';

const ValidUntil = z.union([LocalDateSchema, z.literal('long-term')]);
const Dates = { birthDate: LocalDateSchema, validFrom: LocalDateSchema, validUntil: ValidUntil };
const Sex = { sexCode: z.enum(['0', '1', '2', '9']) };

const DocumentSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('resident'),
    name: z.string().max(15),
    nationCode: z.string().regex(/^\d{2}$/),
    address: z.string().max(35),
    idNumber: z.string(),
    issuingAuthority: z.string().max(15),
    ...Dates,
    ...Sex,
  }),
  z.object({
    kind: z.literal('foreign-permanent-resident'),
    englishName: z.string().max(60),
    chineseName: z.string().max(15),
    nationalityCode: z.string().regex(/^[A-Z]{3}$/),
    cardVersion: z.string().max(2),
    authorityCode: z.string().max(4),
    idNumber: z.string(),
    ...Dates,
    ...Sex,
  }),
  z.object({
    kind: z.literal('hmt-residence-permit'),
    name: z.string().max(15),
    address: z.string().max(35),
    idNumber: z.string(),
    issuingAuthority: z.string().max(15),
    passNumber: z.string().max(9),
    issueCount: z.string().max(2),
    ...Dates,
    ...Sex,
  }),
]);

/**
 * A card for the simulator, as JSON. `idNumber: "generate"` derives a number with
 * a valid check digit from the birth date and sex, so fixtures need not carry one.
 */
export const CardFileSchema = z.object({
  document: DocumentSchema,
  photoBase64: z.string().optional(),
});

export type CardFile = z.infer<typeof CardFileSchema>;

export function cardFromJson(json: unknown): SimulatedCard {
  const file = CardFileSchema.parse(json);
  const doc = file.document;
  const idNumber =
    doc.idNumber === 'generate'
      ? makeTestIdNumber({
          regionCode: doc.kind === 'hmt-residence-permit' ? '810000' : '110101',
          birthDate: doc.birthDate,
          sequence: 1,
          sex: doc.sexCode === '2' ? 'female' : 'male',
        })
      : doc.idNumber;
  const names = { sex: sexName(doc.sexCode), ...(doc.kind === 'resident' ? { nation: nationName(doc.nationCode) } : {}) };
  const document = { ...doc, ...names, idNumber } as IdDocument;
  const card: SimulatedCard = { document };
  if (file.photoBase64 !== undefined) card.photo = Buffer.from(file.photoBase64, 'base64');
  return card;
}

export function loadCardFile(path: string): SimulatedCard {
  return cardFromJson(JSON.parse(readFileSync(path, 'utf8')) as unknown);
}
