import { z } from 'zod';
import { IdSchema, LocalizedTextSchema } from './common';

export const FieldKindSchema = z.enum(['text', 'number', 'date', 'choice', 'id_number', 'phone', 'address']);
export type FieldKind = z.infer<typeof FieldKindSchema>;

/** Where a field's value can come from without the citizen typing it. */
export const AutofillSourceSchema = z.enum([
  'idcard.name',
  'idcard.sex',
  'idcard.nation',
  'idcard.birthDate',
  'idcard.address',
  'idcard.idNumber',
  'idcard.issuer',
  'residenceCode.name',
  'residenceCode.idNumber',
  'residenceCode.phone',
  'residenceCode.address',
  'history',
]);
export type AutofillSource = z.infer<typeof AutofillSourceSchema>;

export const FormFieldSchema = z.object({
  id: IdSchema,
  label: LocalizedTextSchema,
  kind: FieldKindSchema,
  required: z.boolean(),
  help: LocalizedTextSchema.optional(),
  options: z.array(z.object({ value: z.string(), label: LocalizedTextSchema })).optional(),
  multiple: z.boolean().optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().positive().optional(),
  /** Validation pattern for text-like fields (JavaScript RegExp source, matched against the whole value). */
  pattern: z
    .string()
    .min(1)
    .max(200)
    .refine((source) => {
      try {
        new RegExp(source, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression')
    .optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** For dates: earliest/latest relative to today, in days (negative is past). */
  minDaysFromToday: z.number().int().optional(),
  maxDaysFromToday: z.number().int().optional(),
  autofill: z.array(AutofillSourceSchema).default([]),
  /** Personal data: masked on screens other than the citizen's own entry. */
  personal: z.boolean().default(false),
});
export type FormField = z.infer<typeof FormFieldSchema>;

export const FormSectionSchema = z.object({
  id: IdSchema,
  title: LocalizedTextSchema,
  fields: z.array(FormFieldSchema).min(1),
});
export type FormSection = z.infer<typeof FormSectionSchema>;

export const FormSchemaSchema = z.object({
  id: IdSchema,
  version: z.number().int().positive(),
  title: LocalizedTextSchema,
  sections: z.array(FormSectionSchema).min(1),
});
export type FormSchema = z.infer<typeof FormSchemaSchema>;

export type FormValues = Record<string, string | number | string[] | undefined>;
