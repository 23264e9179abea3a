import type { Kysely } from 'kysely';
import { z } from 'zod';
import { FormSchemaSchema, type FormSchema, type Service } from '@hall/shared';
import type { Database } from '../db/schema';
import { ApiError, conflict } from '../http/errors';
import { listServices, getForm, insertForm } from '../store/catalogue';
import { listDepartments } from '../store/halls';

/** A form edit: the version it was made from (stale edits are refused) and the new content. */
export const FormEditSchema = z.object({
  baseVersion: z.number().int().positive(),
  title: FormSchemaSchema.shape.title,
  sections: FormSchemaSchema.shape.sections,
});
export type FormEdit = z.infer<typeof FormEditSchema>;

const formsOf = (s: Service) => [s.formId, ...(s.decisionTree?.situations.map((x) => x.formId) ?? [])].filter((id): id is string => !!id);

/** Which halls fill a form: forms are city-wide, and one may serve several halls' services. */
export async function hallsUsingForm(db: Kysely<Database>, formId: string): Promise<Set<string>> {
  const hallOf = new Map((await listDepartments(db)).map((d) => [d.id, d.hallId]));
  const halls = new Set<string>();
  for (const service of await listServices(db)) {
    if (formsOf(service).includes(formId)) halls.add(hallOf.get(service.departmentId) ?? '');
  }
  return halls;
}

/** The forms a hall's services use, latest versions, with the services that use each. */
export async function hallForms(db: Kysely<Database>, hallId: string) {
  const services = await listServices(db, { hallId });
  const ids = [...new Set(services.flatMap(formsOf))].sort();
  const forms = await Promise.all(ids.map((id) => getForm(db, id)));
  return forms
    .filter((f): f is FormSchema => f !== undefined)
    .map((form) => ({ form, services: services.filter((s) => formsOf(s).includes(form.id)).map((s) => ({ id: s.id, name: s.name })) }));
}

function checkFields(edit: FormEdit): void {
  const seen = new Set<string>();
  for (const field of edit.sections.flatMap((s) => s.fields)) {
    if (seen.has(field.id)) throw new ApiError(400, 'invalid_form', `field id ${field.id} is used twice`);
    seen.add(field.id);
    if (field.kind === 'choice' && (field.options ?? []).length === 0) throw new ApiError(400, 'invalid_form', `choice field ${field.id} needs options`);
    if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
      throw new ApiError(400, 'invalid_form', `field ${field.id}: minimum length is above the maximum`);
    }
  }
}

/**
 * Saves an edit as the form's next version; cases keep the version they were filled with.
 * Returns the saved form. Refuses a stale base version (409) so two editors cannot
 * silently overwrite each other.
 */
export async function saveFormVersion(db: Kysely<Database>, formId: string, edit: FormEdit, at: Date): Promise<FormSchema> {
  checkFields(edit);
  const current = await getForm(db, formId);
  if (!current) throw new ApiError(404, 'not_found', `form ${formId} does not exist`);
  if (current.version !== edit.baseVersion) throw conflict(`form ${formId} is at version ${current.version}, not ${edit.baseVersion}: reload and edit again`);
  const next = FormSchemaSchema.parse({ id: formId, version: current.version + 1, title: edit.title, sections: edit.sections });
  await insertForm(db, next, at);
  return next;
}
