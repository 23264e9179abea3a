/* global document, window, localStorage */
// Track my case (the acceptance receipt's QR): pushed from /api/v1/track/<ref>/events on every
// change of the case, over live.js (loaded first).
'use strict';
(function () {
  var TEXT = {
    zh: {
      title: '办件进度', lang: 'English', number: '办件编号', applicant: '申请人', since: '受理日期', service: '办理事项',
      due: { review: '承诺办结', approved: '承诺办结', supplement: '补正截止', collect: '请于此前领取', submitted: '受理期限' },
      overdue: '已超期', missing: '请补交以下材料', pending: '容缺待补材料', timeline: '办理进程',
      step: {
        submitted: '已提交，待受理', review: '已受理，审批中', approved: '审批通过，正在制作结果', supplement: '待补正',
        collect: '已办结', refused: '未予通过', withdrawn: '已撤销', closed: '已终止（补正逾期）', returned: '已退回（逾期未领取）',
      },
      delivered: { counter: '已领取', locker: '已从智能文件柜取件', post: '已邮寄', electronic: '电子结果已送达' },
      where: { counter: '请凭受理回执到出件窗口领取', locker: '结果将放入智能文件柜，取件码以短信发送', post: '结果将邮寄给您', electronic: '结果以电子证照发送' },
      tracking: function (courier, no) { return courier + ' 运单号 ' + no; },
      papers: { acceptance: '受理窗口', review: '后台审查', approval: '审批', production: '证照制作', delivery: '出件窗口', citizen: '已交给您', locker: '智能文件柜', post: '已寄出' },
      papersAt: function (place, hall, date) { return '您的材料在：' + (hall ? hall + ' ' : '') + place + '（' + date + ' 起）'; },
      kind: {
        submitted: '提交申请', consult_requested: '受理咨询', consult_answered: '咨询已答复', accepted: '窗口受理', refused: '不予通过',
        supplement_requested: '通知补正', supplement_received: '补正材料已收', pending_material_received: '容缺材料已收', approved: '审批通过',
        transferred: '转办', special_started: '特殊程序（不计入承诺时限）', special_ended: '特殊程序结束', completed: '办结', delivered: '领取/送达', withdrawal_requested: '申请撤销', withdrawn: '已撤销',
        closed: '终止', returned: '结果退回', changed: '信息变更',
      },
      invalid: '链接无效，请重新扫描受理回执上的二维码。', live: '实时更新中', reconnecting: '正在重新连接…', reason: '原因',
    },
    en: {
      title: 'Case progress', lang: '中文', number: 'Case number', applicant: 'Applicant', since: 'Accepted on', service: 'Service',
      due: { review: 'Promised by', approved: 'Promised by', supplement: 'Bring them by', collect: 'Collect by', submitted: 'To be accepted by' },
      overdue: 'Overdue', missing: 'Please bring', pending: 'Still to bring (accepted pending)', timeline: 'Steps',
      step: {
        submitted: 'Submitted, awaiting acceptance', review: 'Accepted, under review', approved: 'Approved, result being prepared', supplement: 'Documents needed',
        collect: 'Completed', refused: 'Not granted', withdrawn: 'Withdrawn', closed: 'Closed (documents not brought in time)', returned: 'Returned (not collected in time)',
      },
      delivered: { counter: 'Collected', locker: 'Collected from the locker', post: 'Posted', electronic: 'Sent electronically' },
      where: { counter: 'Collect it at the results window with your receipt', locker: 'It goes into the 24-hour locker; the pickup code comes by SMS', post: 'It will be posted to you', electronic: 'It is sent as an electronic licence' },
      tracking: function (courier, no) { return courier + ' tracking no. ' + no; },
      papers: { acceptance: 'the acceptance window', review: 'back-office review', approval: 'approval', production: 'certificate production', delivery: 'the delivery window', citizen: 'handed to you', locker: 'the locker', post: 'posted' },
      papersAt: function (place, hall, date) { return 'Your papers are at: ' + place + (hall ? ' of ' + hall : '') + ' (since ' + date + ')'; },
      kind: {
        submitted: 'Submitted', consult_requested: 'Question to the department', consult_answered: 'Question answered', accepted: 'Accepted', refused: 'Not granted',
        supplement_requested: 'Documents requested', supplement_received: 'Documents received', pending_material_received: 'Pending document received', approved: 'Approved',
        transferred: 'Transferred', special_started: 'Special procedure (not counted)', special_ended: 'Special procedure ended', completed: 'Completed', delivered: 'Collected / delivered', withdrawal_requested: 'Withdrawal requested', withdrawn: 'Withdrawn',
        closed: 'Closed', returned: 'Result returned', changed: 'Details changed',
      },
      invalid: 'This link is not valid. Please scan the QR code on your acceptance receipt again.', live: 'Live', reconnecting: 'Reconnecting…', reason: 'Reason',
    },
  };
  var lang = localStorage.getItem('hall-phone-lang') === 'en' ? 'en' : 'zh';
  var ref = decodeURIComponent(window.location.pathname.split('/').pop() || '');
  var view = null;
  var link = 'connecting';
  var app = document.getElementById('app');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function name(text) { return (lang === 'en' && text.en) || text.zh; }
  function when(iso, withTime) {
    var options = { timeZone: view.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' };
    if (withTime) { options.hour = '2-digit'; options.minute = '2-digit'; options.hourCycle = 'h23'; }
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', options).format(new Date(iso));
  }
  function fact(label, value, testId) {
    return el('div', { class: 'fact' }, [el('span', { class: 'muted' }, [label]), el('strong', testId ? { 'data-testid': testId } : {}, [value])]);
  }

  function stepCard(t, p) {
    var head = p.step === 'delivered' ? (t.delivered[p.where || 'counter']) : t.step[p.step];
    var parts = [el('p', { class: 'big', 'data-testid': 'track-step' }, [head])];
    if (p.overdue) parts.push(el('p', { class: 'badge', 'data-testid': 'track-overdue' }, [t.overdue]));
    if (p.step === 'collect' && p.where) parts.push(el('p', { 'data-testid': 'track-where' }, [t.where[p.where]]));
    if (p.step === 'delivered' && p.trackingNumber) parts.push(el('p', { 'data-testid': 'track-where' }, [t.tracking(p.courier || '', p.trackingNumber)]));
    if (p.missing && p.missing.length > 0) {
      parts.push(el('p', {}, [t.missing]));
      parts.push(el('ul', { 'data-testid': 'track-missing' }, p.missing.map(function (m) { return el('li', {}, [m]); })));
    }
    // 物料流转: the desk the paper is at, and the other hall's name when it travelled (跨厅流转).
    if (p.papersAt && t.papers[p.papersAt]) {
      parts.push(el('p', { 'data-testid': 'track-papers' }, [t.papersAt(t.papers[p.papersAt], p.papersHall ? name(p.papersHall) : '', when(p.papersSince || p.since, false))]));
    }
    if (p.refusalReason) parts.push(el('p', {}, [t.reason + '：' + p.refusalReason]));
    if (p.dueAt && t.due[p.step]) parts.push(el('p', { class: 'muted', 'data-testid': 'track-due' }, [t.due[p.step] + ' ' + when(p.dueAt, p.step === 'supplement')]));
    return el('div', { class: 'card step' + (p.overdue ? ' late' : p.step === 'supplement' ? ' act' : '') }, parts);
  }

  function render() {
    var t = TEXT[lang];
    document.title = t.title;
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    var toggle = el('button', { class: 'lang', type: 'button' }, [t.lang]);
    toggle.onclick = function () { lang = lang === 'en' ? 'zh' : 'en'; localStorage.setItem('hall-phone-lang', lang); render(); };
    var parts = [el('header', { class: 'bar' }, [el('h1', {}, [view ? name(view.hallName) : t.title]), toggle])];
    if (link === 'invalid') {
      parts.push(el('div', { class: 'card', 'data-testid': 'track-invalid' }, [el('p', { class: 'error' }, [t.invalid])]));
    } else if (view) {
      var p = view.progress;
      parts.push(el('div', { class: 'card' }, [
        el('p', { class: 'service', 'data-testid': 'track-service' }, [name(view.serviceName)]),
        el('div', { class: 'facts2' }, [
          fact(t.number, p.number || '—', 'track-number'),
          fact(t.applicant, p.maskedName || '—', 'track-name'),
          fact(t.since, when(p.since, false)),
        ]),
      ]));
      parts.push(stepCard(t, p));
      if (view.pendingMaterials.length > 0 && ['review', 'approved', 'supplement'].indexOf(p.step) >= 0) {
        parts.push(el('div', { class: 'card' }, [el('p', {}, [t.pending]), el('ul', { 'data-testid': 'track-pending' }, view.pendingMaterials.map(function (m) { return el('li', {}, [m]); }))]));
      }
      var steps = view.timeline.slice().reverse().map(function (s) {
        return el('li', {}, [el('time', {}, [when(s.at, true)]), el('span', {}, [t.kind[s.kind] || s.kind])]);
      });
      parts.push(el('div', { class: 'card' }, [el('h2', {}, [t.timeline]), el('ol', { class: 'timeline', 'data-testid': 'track-timeline' }, steps)]));
    }
    if (link !== 'invalid') parts.push(el('p', { class: 'status', 'data-testid': 'track-link' }, [link === 'live' ? t.live : t.reconnecting]));
    app.replaceChildren.apply(app, parts);
  }

  function setLink(state) { link = state; render(); }
  render();
  window.hallLive('/api/v1/track/' + encodeURIComponent(ref), function (update) {
    view = update;
    setLink('live');
  }, setLink);
})();
