/** RFC 4180 CSV with a UTF-8 BOM, so Excel opens Chinese labels correctly. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null): string => {
    if (v === null) return '';
    // Two decimals at most, without trailing zeros: 60 stays 60, 2/3 becomes 0.67.
    const s = typeof v === 'number' ? String(Math.round(v * 100) / 100) : v;
    // A leading = + - @ would make a spreadsheet evaluate the cell as a formula.
    const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
