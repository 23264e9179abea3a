// The pure half of retention (store/retention.ts deletes; this decides what a mutation still names).

/** Every string a JSON value holds: ids a mutation names, wherever its payload puts them. */
export function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectStrings(item, into);
}
