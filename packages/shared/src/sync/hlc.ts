/**
 * Hybrid logical clock, encoded as a string that sorts like the clock:
 * 13-digit wall milliseconds, 6-digit counter, node id ("0001739512345678-000003-kiosk-1").
 * Device clocks may be minutes off; the counter keeps causality when a clock lags, and a
 * received stamp moves the local clock forward so a station never stamps "before" what
 * it has already seen.
 */
export interface Hlc {
  wallMs: number;
  counter: number;
  node: string;
}

export function formatHlc(hlc: Hlc): string {
  return `${String(hlc.wallMs).padStart(16, '0')}-${String(hlc.counter).padStart(6, '0')}-${hlc.node}`;
}

export function parseHlc(text: string): Hlc | undefined {
  const match = /^(\d{16})-(\d{6})-(.+)$/.exec(text);
  if (!match?.[1] || !match[2] || match[3] === undefined) return undefined;
  return { wallMs: Number(match[1]), counter: Number(match[2]), node: match[3] };
}

/** Next stamp for a local event. */
export function tickHlc(last: Hlc, nowMs: number): Hlc {
  if (nowMs > last.wallMs) return { wallMs: nowMs, counter: 0, node: last.node };
  return { wallMs: last.wallMs, counter: last.counter + 1, node: last.node };
}

/** Local clock after receiving a remote stamp. */
export function receiveHlc(last: Hlc, remote: Hlc, nowMs: number): Hlc {
  const wallMs = Math.max(last.wallMs, remote.wallMs, nowMs);
  let counter = 0;
  if (wallMs === last.wallMs && wallMs === remote.wallMs) counter = Math.max(last.counter, remote.counter) + 1;
  else if (wallMs === last.wallMs) counter = last.counter + 1;
  else if (wallMs === remote.wallMs) counter = remote.counter + 1;
  return { wallMs, counter, node: last.node };
}
