// The hall simulator panel's page: plain HTML and one small script, no build step, so it
// works on the demo machine as long as the panel answers. It redraws a part only when what
// it shows changed, so a button is not replaced under the pointer.
import { PANEL_TEXT } from './text';

const STYLE = `
  body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif; margin: 0; background: #eef1f5; color: #1d2733; }
  header { display: flex; gap: 16px; align-items: center; padding: 12px 20px; background: #1d4e89; color: #fff; position: sticky; top: 0; z-index: 2; }
  header h1 { font-size: 20px; margin: 0; flex: 1; }
  header .note { font-size: 13px; opacity: .85; }
  button, select, input { font: inherit; font-size: 15px; }
  button { padding: 6px 12px; border-radius: 6px; border: 1px solid #1d4e89; background: #fff; color: #1d4e89; cursor: pointer; margin: 2px; }
  button.primary { background: #1d4e89; color: #fff; }
  button.warn { border-color: #a33; color: #a33; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 16px; padding: 16px; }
  section { background: #fff; border-radius: 10px; padding: 12px 16px; box-shadow: 0 1px 3px #0002; }
  section h2 { font-size: 18px; margin: 0 0 8px; display: flex; justify-content: space-between; align-items: baseline; }
  section h3 { font-size: 15px; margin: 12px 0 4px; color: #44546a; }
  .error { color: #a33; }
  .status { font-size: 14px; color: #44546a; }
  .slips { display: flex; gap: 10px; overflow-x: auto; padding: 6px 0; }
  .slip { flex: none; width: 190px; background: #fffef8; box-shadow: 0 2px 6px #0003; padding: 4px; margin: 0; }
  .slip img { width: 100%; display: block; }
  .slip figcaption { font-size: 12px; }
  .doors { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
  .door { border: 2px solid #7a8899; border-radius: 6px; padding: 6px; text-align: center; }
  .door[data-open="true"] { background: #fff4d6; border-color: #d08a00; }
  .door[data-jammed="true"] { background: #fde2e2; border-color: #a33; }
  .door b { display: block; font-size: 18px; }
  .sms li { margin: 6px 0; padding: 6px 8px; background: #f3f6fa; border-radius: 6px; list-style: none; }
  .sms ul { padding: 0; }
  .sign { display: inline-block; margin: 4px 8px 4px 0; padding: 6px 12px; background: #111; color: #ff3b2f; font-family: monospace; font-size: 18px; border-radius: 4px; min-width: 8em; }
  .sign small { display: block; color: #aaa; font-size: 11px; font-family: sans-serif; }
  .spoken { font-size: 18px; margin: 4px 0; }
  .toast { position: fixed; bottom: 16px; left: 50%; transform: translateX(-50%); background: #1d2733; color: #fff; padding: 8px 16px; border-radius: 6px; display: none; }
  .citizens label { display: inline-block; margin: 4px 10px 4px 0; }
  .badge { display: inline-block; padding: 0 6px; border-radius: 4px; background: #e3ecf7; font-size: 13px; }
`;

const SCRIPT = `
const TEXT = ${JSON.stringify(PANEL_TEXT)};
const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
let lang = localStorage.getItem('hall-panel-lang') || 'zh';
let state = null;
let selected = '';
const slipCounts = {};
const testPages = {};
const t = (key) => (TEXT[lang] && TEXT[lang][key]) || TEXT.zh[key] || key;
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');

async function api(method, path, body) {
  const response = await fetch('/api/' + path, {
    method,
    headers: Object.assign({ authorization: 'Bearer ' + token }, body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error || ('HTTP ' + response.status));
  return json;
}
function toast(text, bad) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.style.background = bad ? '#a33' : '#1d2733';
  el.style.display = 'block';
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.style.display = 'none'; }, 3500);
}
async function act(method, path, body, done) {
  try {
    await api(method, path, body);
    if (done) toast(t(done));
    await refresh();
  } catch (e) {
    toast(e.message, true);
  }
}
function setHtml(el, html) {
  if (el.dataset.html !== html) { el.innerHTML = html; el.dataset.html = html; }
}

function citizenLabel(c) {
  return esc(c.name) + ' · ' + c.age + t('years') + ' · ' + t(c.sex) + (c.age >= 60 ? ' <span class="badge">' + t('senior') + '</span>' : '');
}
function renderCitizens() {
  const list = state.citizens;
  if (!selected && list.length) selected = list[list.length - 1].key;
  setHtml(document.getElementById('citizens'), list.length
    ? list.map((c) => '<label><input type="radio" name="citizen" value="' + c.key + '" data-testid="citizen-' + c.key + '"' + (c.key === selected ? ' checked' : '') + '> ' + citizenLabel(c) + '</label>').join('')
    : '<span class="status">' + t('noCitizen') + '</span>');
}
function cardHtml(s) {
  const card = s.devices.idCard.card;
  return '<h3>' + t('idCard') + '</h3><div class="status" data-testid="card-state">' + (card ? t('cardOn') : t('cardOff')) + '</div>' +
    '<button class="primary" data-act="card-place" data-testid="card-place">' + t('placeCard') + '</button>' +
    '<button data-act="card-remove" data-testid="card-remove">' + t('removeCard') + '</button>';
}
function scannerHtml() {
  return '<h3>' + t('scanner') + '</h3>' +
    '<button class="primary" data-act="scan-residence" data-testid="scan-residence">' + t('scanResidence') + '</button>' +
    '<button class="warn" data-act="scan-forged" data-testid="scan-forged">' + t('scanForged') + '</button>';
}
function printerHtml(s) {
  const c = s.devices.printer.condition;
  const box = (key) => '<label><input type="checkbox" data-act="condition" data-key="' + key + '" data-testid="printer-' + key + '"' + (c[key] ? ' checked' : '') + '> ' + t(key) + '</label> ';
  return '<h3>' + t('printer') + ' <span class="status">(' + s.devices.printer.printed + ' ' + t('printed') + ')</span></h3>' + box('paperOut') + box('coverOpen') + box('paperNearEnd');
}
function doorsHtml(s) {
  const names = {};
  for (const c of s.compartments || []) names[c.board + '-' + c.lock] = c.id;
  const doors = s.devices.locks.filter((l) => names[l.board + '-' + l.lock]);
  return '<h3>' + t('doors') + '</h3><div class="doors">' + doors.map((l) => {
    const key = l.board + '-' + l.lock;
    return '<div class="door" data-testid="door-' + esc(names[key]) + '" data-open="' + l.open + '" data-jammed="' + l.jammed + '"><b>' + esc(names[key]) + '</b>' +
      '<div class="status">' + (l.open ? t('open') : t('closed')) + (l.jammed ? ' · ' + t('jammed') : '') + '</div>' +
      (l.open ? '<button data-act="door-close" data-board="' + l.board + '" data-lock="' + l.lock + '" data-testid="door-close">' + t('closeDoor') + '</button>' : '') +
      '<button class="warn" data-act="door-jam" data-board="' + l.board + '" data-lock="' + l.lock + '" data-jammed="' + !l.jammed + '" data-testid="door-jam">' + (l.jammed ? t('unjam') : t('jam')) + '</button></div>';
  }).join('') + '</div>';
}
function signsHtml(s) {
  return '<h3>' + t('signs') + '</h3>' + s.devices.signs.map((sign) =>
    '<span class="sign" data-testid="sign-' + esc(sign.name) + '"><small>' + esc(sign.name === 'strip' ? t('strip') : t('counterSign') + ' ' + signLabel(sign.name)) + '</small>' + esc(sign.text || '—') + '</span>').join('');
}
/** A counter sign by the window it stands over ("1号窗口"), not by the counter's id. */
function signLabel(counterId) {
  const at = state.stations.find((x) => x.counterId === counterId);
  return at ? at.label : counterId;
}
function announcementHtml(s) {
  const a = s.devices.announcement;
  return '<h3>' + t('announcement') + '</h3><div class="spoken" data-testid="announcement">' + (a ? esc(a.text) : '<span class="status">' + t('nothingSpoken') + '</span>') + '</div>' +
    (a && a.hasSound ? '<button data-act="replay" data-testid="replay">' + t('replay') + '</button>' : '');
}
function cameraHtml(s) {
  const page = testPages[s.id];
  return '<h3>' + t('documentCamera') + '</h3><button data-act="test-page" data-testid="test-page">' + t('takeTestPage') + '</button>' +
    (page ? '<figure class="slip"><img alt="test page" data-testid="test-page-image" src="' + page + '"><figcaption>' + t('testPageNote') + '</figcaption></figure>' : '');
}
function linksHtml(s) {
  return (s.links || []).map((l) => ' <a href="' + esc(l.url) + '" target="_blank" data-testid="link-' + esc(l.text) + '">' + t(l.text) + ' ↗</a>').join('');
}
function stationHtml(s) {
  const d = s.devices;
  let html = '<h2><span>' + esc(s.label) + '</span><a href="' + esc(s.pageUrl) + '" target="_blank" data-testid="open-screen">' + t('openScreen') + '</a></h2>';
  if (s.links) html += '<div>' + linksHtml(s) + '</div>';
  if (s.error) html += '<div class="error">' + esc(s.error) + '</div>';
  if (!d) return html + '<div class="status">' + t('noDevices') + '</div>';
  if (d.idCard) html += cardHtml(s);
  if (d.scanner) html += scannerHtml();
  if (d.printer) html += printerHtml(s);
  if (d.locks) html += doorsHtml(s);
  if (d.signs) html += signsHtml(s);
  if (d.announcement !== undefined) html += announcementHtml(s);
  if (d.documentCamera) html += cameraHtml(s);
  return html;
}
async function renderSlips(s, el) {
  if (!s.devices || !s.devices.printer) return;
  const printed = s.devices.printer.printed;
  if (slipCounts[s.id] === printed + ':' + lang) return;
  slipCounts[s.id] = printed + ':' + lang;
  const { slips } = await api('GET', 'stations/' + encodeURIComponent(s.id) + '/printer/slips');
  const scanners = state.stations.filter((x) => x.devices && x.devices.scanner);
  setHtml(el, slips.length ? slips.map((slip) =>
    '<figure class="slip" data-testid="slip"><img alt="slip" src="data:image/svg+xml;charset=utf-8,' + encodeURIComponent(slip.svg) + '">' +
    '<figcaption>' + slip.codes.map((code, i) => scanners.map((x) =>
      '<button data-act="scan-code" data-slip="' + slip.index + '" data-code="' + i + '" data-target="' + esc(x.id) + '" data-testid="slip-scan-' + esc(x.id) + '">' + t('scanInto') + ' ' + esc(x.label) + '</button>').join('')).join('') +
    '</figcaption></figure>').join('') : '<span class="status">' + t('noSlips') + '</span>');
  el.slips = slips;
}
function renderStations() {
  const main = document.getElementById('stations');
  for (const s of state.stations) {
    let section = document.getElementById('station-' + s.id);
    if (!section) {
      section = document.createElement('section');
      section.id = 'station-' + s.id;
      section.dataset.testid = 'station-' + s.id;
      section.setAttribute('data-testid', 'station-' + s.id);
      section.innerHTML = '<div class="body"></div><div class="slips"></div>';
      section.dataset.station = s.id;
      main.appendChild(section);
    }
    setHtml(section.querySelector('.body'), stationHtml(s));
    renderSlips(s, section.querySelector('.slips')).catch((e) => toast(e.message, true));
  }
}
function renderSms() {
  setHtml(document.getElementById('sms'), state.sms.length
    ? '<ul>' + state.sms.map((m) => '<li data-testid="sms-message"><span class="status">' + esc(m.to) + ' · ' + esc(new Date(m.at).toLocaleTimeString()) + '</span><br>' + esc(m.text) + '</li>').join('') + '</ul>'
    : '<span class="status">' + t('noSms') + '</span>');
}
function renderStatic() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
}
async function refresh() {
  try {
    state = await api('GET', 'state');
    document.getElementById('offline').style.display = 'none';
  } catch (e) {
    const el = document.getElementById('offline');
    el.textContent = t('offline') + ' (' + e.message + ')';
    el.style.display = 'block';
    return;
  }
  renderCitizens();
  renderStations();
  renderSms();
}

document.addEventListener('click', (event) => {
  const el = event.target.closest('[data-act]');
  if (!el || el.tagName === 'INPUT') return;
  const section = el.closest('[data-station]');
  const id = section ? encodeURIComponent(section.dataset.station) : '';
  const need = () => { if (!selected) { toast(t('pickCitizen'), true); return false; } return true; };
  switch (el.dataset.act) {
    case 'card-place': if (need()) act('POST', 'stations/' + id + '/idcard', { citizen: selected }, 'cardPlaced'); break;
    case 'card-remove': act('DELETE', 'stations/' + id + '/idcard', undefined, 'cardRemoved'); break;
    case 'scan-residence': if (need()) act('POST', 'stations/' + id + '/scan', { kind: 'residence', citizen: selected }, 'scanned'); break;
    case 'scan-forged': if (need()) act('POST', 'stations/' + id + '/scan', { kind: 'forged', citizen: selected }, 'scanned'); break;
    case 'door-close': act('POST', 'stations/' + id + '/locks/close', { board: Number(el.dataset.board), lock: Number(el.dataset.lock) }); break;
    case 'door-jam': act('POST', 'stations/' + id + '/locks/jam', { board: Number(el.dataset.board), lock: Number(el.dataset.lock), jammed: el.dataset.jammed === 'true' }); break;
    case 'replay':
      api('GET', 'stations/' + id + '/announcement/clip').then((clip) => {
        new Audio('data:' + clip.mimeType + ';base64,' + clip.dataBase64).play().catch((e) => toast(e.message, true));
      }, (e) => toast(e.message, true));
      break;
    case 'test-page':
      api('GET', 'stations/' + id + '/camera/test-page').then((page) => {
        testPages[section.dataset.station] = 'data:' + page.mime + ';base64,' + page.base64;
        renderStations();
      }, (e) => toast(e.message, true));
      break;
    case 'scan-code': {
      const slip = (section.querySelector('.slips').slips || []).find((x) => String(x.index) === el.dataset.slip);
      const code = slip && slip.codes[Number(el.dataset.code)];
      if (code) act('POST', 'stations/' + encodeURIComponent(el.dataset.target) + '/scan', { kind: 'code', code }, 'scanned');
      break;
    }
  }
});
document.addEventListener('change', (event) => {
  const el = event.target;
  if (el.name === 'citizen') { selected = el.value; return; }
  if (el.dataset.act === 'condition') {
    const id = encodeURIComponent(el.closest('[data-station]').dataset.station);
    act('POST', 'stations/' + id + '/printer/condition', { [el.dataset.key]: el.checked });
  }
});
document.getElementById('make-citizen').addEventListener('click', async () => {
  try {
    const made = await api('POST', 'citizens', { age: Number(document.getElementById('new-age').value), sex: document.getElementById('new-sex').value });
    selected = made.key;
    await refresh();
  } catch (e) { toast(e.message, true); }
});
document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('hall-panel-lang', lang);
  for (const el of document.querySelectorAll('[data-html]')) delete el.dataset.html;
  renderStatic();
  refresh();
});
renderStatic();
refresh();
setInterval(refresh, 1000);
`;

export const PANEL_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>大厅模拟器 · Hall simulator</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1 data-t="title"></h1>
  <span class="note" data-t="devOnly"></span>
  <button id="lang" data-testid="lang" data-t="otherLanguage"></button>
</header>
<div id="offline" class="error" style="display:none;padding:8px 20px"></div>
<main id="stations">
  <section>
    <h2 data-t="citizensTitle"></h2>
    <div class="status" data-t="citizensHelp"></div>
    <p>
      <label><span data-t="age"></span> <input id="new-age" data-testid="new-age" type="number" min="0" max="120" value="70" style="width:5em"></label>
      <select id="new-sex" data-testid="new-sex"><option value="female" data-t="female"></option><option value="male" data-t="male"></option></select>
      <button id="make-citizen" class="primary" data-testid="make-citizen" data-t="makeCitizen"></button>
    </p>
    <div id="citizens" class="citizens"></div>
    <h3 data-t="smsTitle"></h3>
    <div id="sms" class="sms" data-testid="sms"></div>
  </section>
</main>
<div id="toast" class="toast" data-testid="toast"></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
