/** JSON with object keys sorted: the same bytes on the station, a relaying peer and the server (PostgreSQL jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  // As JSON writes an array: a missing element is null there, so it is here (the MAC is checked after a JSON round trip).
  if (Array.isArray(value)) return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
