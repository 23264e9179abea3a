/* global document, window, localStorage */
// Follow my ticket: pushed from /api/v1/follow/<ref>/events over live.js (loaded first).
'use strict';
(function () {
  var TEXT = {
    zh: {
      title: '排队进度', lang: 'English', number: '您的票号', ahead: '前面还有', people: '人', wait: '预计等待', minutes: '分钟', unknown: '—',
      called: function (n) { return '请到 ' + n + ' 号窗口'; }, calledHint: '您的号码已被叫到，请尽快前往窗口办理。',
      serving: function (n) { return n + ' 号窗口正在为您服务'; }, finished: '业务已办结，感谢您的耐心等待。',
      missed: '您的号码已过号，请到咨询台或重新取号。', cancelled: '此号码已取消。',
      pending: '您的号码尚未同步到中心，稍后会自动显示。', invalid: '链接无效，请重新扫描小票上的二维码。',
      live: '实时更新中', reconnecting: '正在重新连接…',
    },
    en: {
      title: 'Queue progress', lang: '中文', number: 'Your number', ahead: 'People ahead', people: '', wait: 'Estimated wait', minutes: 'min', unknown: '—',
      called: function (n) { return 'Please go to window ' + n; }, calledHint: 'Your number has been called. Please go to the window now.',
      serving: function (n) { return 'Window ' + n + ' is serving you'; }, finished: 'Done. Thank you for waiting.',
      missed: 'Your number was missed. Please ask at the help desk or take a new ticket.', cancelled: 'This number was cancelled.',
      pending: 'Your ticket has not reached the centre yet; it will show here by itself.', invalid: 'This link is not valid. Please scan the QR code on your ticket slip again.',
      live: 'Live', reconnecting: 'Reconnecting…',
    },
  };
  var lang = localStorage.getItem('hall-phone-lang') === 'en' ? 'en' : 'zh';
  var ref = decodeURIComponent(window.location.pathname.split('/').pop() || '');
  var last = null;
  var link = 'connecting';
  var app = document.getElementById('app');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function name(text) { return (lang === 'en' && text.en) || text.zh; }

  function render() {
    var t = TEXT[lang];
    document.title = t.title;
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    var toggle = el('button', { class: 'lang', type: 'button' }, [t.lang]);
    toggle.onclick = function () { lang = lang === 'en' ? 'zh' : 'en'; localStorage.setItem('hall-phone-lang', lang); render(); };
    var parts = [el('header', { class: 'bar' }, [el('h1', {}, [last && last.kind === 'view' ? name(last.view.hallName) : t.title]), toggle])];
    if (link === 'invalid') {
      parts.push(el('div', { class: 'card', 'data-testid': 'follow-invalid' }, [el('p', { class: 'error' }, [t.invalid])]));
    } else if (!last || last.kind === 'pending') {
      if (last) parts.push(el('div', { class: 'card', 'data-testid': 'follow-pending' }, [el('p', {}, [t.pending])]));
    } else {
      var v = last.view;
      parts.push(el('div', { class: 'card' }, [
        el('p', { class: 'muted' }, [t.number]),
        el('p', { class: 'number', 'data-testid': 'follow-number' }, [v.number]),
        el('p', { class: 'muted' }, [v.services.map(name).join('、')]),
      ]));
      if (v.status === 'waiting') {
        parts.push(el('div', { class: 'card facts' }, [
          el('div', {}, [t.ahead, el('strong', { 'data-testid': 'follow-ahead' }, [String(v.ahead)]), t.people]),
          el('div', {}, [t.wait, el('strong', { 'data-testid': 'follow-wait' }, [v.estimatedWaitMinutes ? String(v.estimatedWaitMinutes) : t.unknown]), v.estimatedWaitMinutes ? t.minutes : '']),
        ]));
      } else if (v.status === 'called' && v.counterNumber) {
        parts.push(el('div', { class: 'card call', role: 'alert' }, [el('p', { class: 'big', 'data-testid': 'follow-call' }, [t.called(v.counterNumber)]), el('p', {}, [t.calledHint])]));
      } else if (v.status === 'serving' && v.counterNumber) {
        parts.push(el('div', { class: 'card call' }, [el('p', { class: 'big', 'data-testid': 'follow-call' }, [t.serving(v.counterNumber)])]));
      } else {
        parts.push(el('div', { class: 'card', 'data-testid': 'follow-ended' }, [el('p', {}, [t[v.status] || ''])]));
      }
    }
    if (link !== 'invalid') parts.push(el('p', { class: 'status', 'data-testid': 'follow-link' }, [link === 'live' ? t.live : t.reconnecting]));
    app.replaceChildren.apply(app, parts);
  }

  function setLink(state) { link = state; render(); }
  render();
  window.hallLive('/api/v1/follow/' + encodeURIComponent(ref), function (update) {
    if (last && last.kind === 'view' && update.kind === 'view' && update.view.status === 'called' && last.view.status !== 'called' && window.navigator.vibrate) window.navigator.vibrate(400);
    last = update;
    setLink('live');
  }, setLink);
})();
