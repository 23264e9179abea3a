import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';

/** The citizen's phone pages: plain HTML and one script each (the live ones after live.js), no build step, no third-party code. */
export const PHONE_ASSETS = resolve(dirname(fileURLToPath(import.meta.url)), 'public');
export const PHONE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const assets = new Map<string, string>();
/** Read once per process: the files ship with the server. */
export function phoneAsset(name: 'follow.js' | 'book.js' | 'track.js' | 'live.js' | 'phone.css'): string {
  let text = assets.get(name);
  if (text === undefined) {
    text = readFileSync(resolve(PHONE_ASSETS, name), 'utf8');
    assets.set(name, text);
  }
  return text;
}

/** Pages pushed to over an EventSource: their shared reconnecting client comes first. */
const LIVE_PAGES = new Set<string>(['follow.js', 'track.js']);

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page shell; the script fills `#app` and switches language (zh-CN first, English). */
export function phonePage(reply: FastifyReply, options: { title: string; script: 'follow.js' | 'book.js' | 'track.js'; status?: number }): FastifyReply {
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escape(options.title)}</title>
<link rel="stylesheet" href="/phone/assets/phone.css">
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">正在加载… Loading…</p></main>
${LIVE_PAGES.has(options.script) ? '<script src="/phone/assets/live.js"></script>\n' : ''}<script src="/phone/assets/${options.script}"></script>
</body>
</html>`;
  return reply
    .code(options.status ?? 200)
    .header('content-security-policy', PHONE_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}
