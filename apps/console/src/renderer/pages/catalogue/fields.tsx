import type { ReactNode } from 'react';

/** Small labelled inputs for the catalogue forms; each names its field for tests and screen readers. */
interface FieldProps {
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string;
}

function Field(props: FieldProps & { children: ReactNode; wide?: boolean }) {
  return (
    <label className={`cat-field${props.wide ? ' wide' : ''}${props.error ? ' invalid' : ''}`} data-testid={`field-${props.name}`}>
      <span className="cat-label">{props.label}</span>
      {props.children}
      {props.hint && !props.error && <span className="muted cat-hint">{props.hint}</span>}
      {props.error && (
        <span className="error cat-hint" data-testid={`error-${props.name}`}>
          {props.error}
        </span>
      )}
    </label>
  );
}

export function TextField(props: FieldProps & { value: string | undefined; onChange: (value: string) => void; wide?: boolean; list?: string }) {
  return (
    <Field {...props}>
      <input name={props.name} aria-label={props.label} value={props.value ?? ''} list={props.list} onChange={(e) => props.onChange(e.target.value)} />
    </Field>
  );
}

/** Lists typed one item per line, as the guide prints them. */
export function LinesField(props: FieldProps & { value: readonly string[] | undefined; onChange: (value: string[]) => void }) {
  return (
    <Field {...props} wide>
      <textarea
        name={props.name}
        aria-label={props.label}
        rows={Math.max(2, (props.value?.length ?? 0) + 1)}
        value={(props.value ?? []).join('\n')}
        onChange={(e) => props.onChange(e.target.value.split('\n'))}
      />
    </Field>
  );
}

export function NumberField(props: FieldProps & { value: number | undefined; onChange: (value: number) => void }) {
  return (
    <Field {...props}>
      <input
        name={props.name}
        aria-label={props.label}
        type="number"
        min={0}
        value={props.value === undefined || Number.isNaN(props.value) ? '' : props.value}
        onChange={(e) => props.onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
      />
    </Field>
  );
}

export function CheckField(props: FieldProps & { value: boolean | undefined; onChange: (value: boolean) => void }) {
  return (
    <label className="cat-check" data-testid={`field-${props.name}`}>
      <input name={props.name} type="checkbox" checked={props.value ?? false} onChange={(e) => props.onChange(e.target.checked)} /> {props.label}
    </label>
  );
}

export function SelectField(props: FieldProps & { value: string | undefined; onChange: (value: string) => void; options: readonly { value: string; label: string }[] }) {
  return (
    <Field {...props}>
      <select name={props.name} aria-label={props.label} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">—</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Lines as stored: no blank lines, no stray spaces. */
export const cleanLines = (lines: readonly string[]) => lines.map((l) => l.trim()).filter((l) => l !== '');
/** Tags and keywords are typed on one line, separated by 、 or commas. */
export const splitWords = (text: string) => text.split(/[,，;；、]+/).map((s) => s.trim()).filter((s) => s !== '');

/** A field's label by its path ("guide.place"); message keys spell the dots as underscores. */
export const fieldLabel = (t: (key: string) => string, path: string) => t(`catalogue.field.${path.replace(/\./g, '_')}`);
