/* global document, window, localStorage, sessionStorage, fetch */
// Book a visit: prove the phone with an SMS code, pick a service, a day and a slot; see, move and cancel bookings.
'use strict';
(function () {
  var TEXT = {
    zh: {
      title: '预约办事', lang: 'English', phone: '手机号码', getCode: '获取验证码', resend: function (s) { return s + ' 秒后可重新获取'; }, code: '短信验证码',
      name: '姓名', idNumber: '身份证号码', residence: '粤居码（粘贴码内容）', useResidence: '改用粤居码', useId: '改用身份证号码', signIn: '验证并登录',
      codeSent: '验证码已发送，请查看短信。', mine: '我的预约', none: '暂无预约。', book: '新预约', pickService: '选择事项', pickDay: '选择日期', pickSlot: '选择时段',
      left: function (n) { return n > 0 ? '余 ' + n : '已满'; }, confirm: '确认预约', confirmMove: '确认改期', move: '改期', cancel: '取消预约', back: '返回',
      booked: '预约成功，确认短信已发送。', movedOk: '已改期，短信已发送。', cancelledOk: '已取消。', signOut: '退出',
      closed: { weekend: '休息', holiday: '节假日', past: '已过', too_far: '未开放' },
      weekdays: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
      status: { booked: '已预约', cancelled: '已取消', checked_in: '已签到', no_show: '未到', completed: '已办结' },
      errors: {
        blacklisted: function (d) { return '您已被列入预约黑名单（' + d.reason + '），' + d.until + ' 前不能预约。'; },
        slot_full: '该时段已约满，请选择其他时段。', day_full: '当天已约满，请选择其他日期。', day_closed: '该日期不接受预约。',
        code_wrong: '验证码不正确。', code_expired: '验证码已过期，请重新获取。', too_many_codes: '获取验证码太频繁，请稍后再试。',
        already_booked: '您当天已预约该事项，可改期。', too_many_bookings: '您的预约数已达上限。', session_expired: '登录已过期，请重新验证手机。', session_required: '请先验证手机。',
        invalid_id_number: '身份证号码不正确。', invalid_residence_code: '粤居码无效或已过期，请重新打开。', slot_past: '该时段已开始。', invalid_request: '请检查填写的内容。',
      },
      failed: '操作失败，请稍后再试。',
    },
    en: {
      title: 'Book a visit', lang: '中文', phone: 'Mobile number', getCode: 'Send code', resend: function (s) { return 'Resend in ' + s + ' s'; }, code: 'SMS code',
      name: 'Name', idNumber: 'ID card number', residence: 'Residence code (paste it)', useResidence: 'Use residence code', useId: 'Use ID number', signIn: 'Verify and sign in',
      codeSent: 'Code sent. Please check your messages.', mine: 'My bookings', none: 'No bookings yet.', book: 'New booking', pickService: 'Choose a service', pickDay: 'Choose a day', pickSlot: 'Choose a time',
      left: function (n) { return n > 0 ? n + ' left' : 'Full'; }, confirm: 'Book this time', confirmMove: 'Move to this time', move: 'Move', cancel: 'Cancel booking', back: 'Back',
      booked: 'Booked. A confirmation SMS is on its way.', movedOk: 'Moved. An SMS is on its way.', cancelledOk: 'Cancelled.', signOut: 'Sign out',
      closed: { weekend: 'Closed', holiday: 'Holiday', past: 'Past', too_far: 'Not yet open' },
      weekdays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
      status: { booked: 'Booked', cancelled: 'Cancelled', checked_in: 'Checked in', no_show: 'Missed', completed: 'Done' },
      errors: {
        blacklisted: function (d) { return 'You are on the booking blacklist (' + d.reason + ') and may not book until ' + d.until + '.'; },
        slot_full: 'This time is fully booked. Please choose another.', day_full: 'This day is fully booked.', day_closed: 'The hall takes no bookings that day.',
        code_wrong: 'The code is not right.', code_expired: 'The code has expired. Please ask for a new one.', too_many_codes: 'Too many codes asked for. Please wait a while.',
        already_booked: 'You already booked this service that day; you can move it.', too_many_bookings: 'You hold as many bookings as allowed.', session_expired: 'Your session ended. Please verify your phone again.', session_required: 'Please verify your phone first.',
        invalid_id_number: 'This ID number is not valid.', invalid_residence_code: 'The residence code is not valid or has expired.', slot_past: 'This time has begun.', invalid_request: 'Please check what you entered.',
      },
      failed: 'Something went wrong. Please try again.',
    },
  };
  var lang = localStorage.getItem('hall-phone-lang') === 'en' ? 'en' : 'zh';
  var hallId = decodeURIComponent(window.location.pathname.split('/').pop() || '');
  var app = document.getElementById('app');
  var state = { hall: null, services: [], token: sessionStorage.getItem('hall-booking-token'), citizen: null, mine: [], view: 'login', useResidence: false, note: null, pick: null, resendAt: 0 };
  var form = { phone: '', code: '', name: '', idNumber: '', residenceCode: '' };

  function t() { return TEXT[lang]; }
  function name(text) { return (lang === 'en' && text.en) || text.zh; }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'onclick') node.onclick = attrs[k];
      else if (k === 'oninput') node.oninput = attrs[k];
      else if (k === 'disabled') { if (attrs[k]) node.disabled = true; }
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) node.append(c); });
    return node;
  }
  function api(method, path, body) {
    var headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (state.token) headers.authorization = 'Bearer ' + state.token;
    return fetch('/api/v1' + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
      return r.json().then(function (data) {
        if (r.ok) return data;
        var error = (data && data.error) || { code: 'failed' };
        if (error.code === 'session_expired' || error.code === 'session_required') { state.token = null; sessionStorage.removeItem('hall-booking-token'); state.view = 'login'; }
        throw error;
      });
    });
  }
  // Notes keep their key, not their words, so switching language rewords them too.
  function explain(error) {
    state.note = { kind: 'error', code: error.code, details: error.details || {} };
    render();
  }
  function say(key) { state.note = { kind: 'ok', key: key }; }
  function noteText(note) {
    if (note.key) return t()[note.key];
    var known = t().errors[note.code];
    return typeof known === 'function' ? known(note.details) : known || t().failed;
  }

  function field(label, key, attrs) {
    var input = el('input', Object.assign({ value: form[key], 'data-testid': 'book-' + key, oninput: function (e) { form[key] = e.target.value; } }, attrs || {}));
    return el('div', {}, [el('label', {}, [label, input])]);
  }

  function loginView() {
    var wait = Math.max(0, Math.ceil((state.resendAt - Date.now()) / 1000));
    var parts = [
      field(t().phone, 'phone', { inputmode: 'numeric', autocomplete: 'tel', maxlength: '11' }),
      el('button', { type: 'button', 'data-testid': 'book-send-code', disabled: wait > 0, onclick: sendCode }, [wait > 0 ? t().resend(wait) : t().getCode]),
      field(t().code, 'code', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6' }),
      field(t().name, 'name', { autocomplete: 'name' }),
      state.useResidence ? field(t().residence, 'residenceCode', {}) : field(t().idNumber, 'idNumber', { maxlength: '18', autocomplete: 'off' }),
      el('p', {}, [el('button', { type: 'button', class: 'lang', onclick: function () { state.useResidence = !state.useResidence; render(); } }, [state.useResidence ? t().useId : t().useResidence])]),
      el('button', { type: 'button', class: 'primary', 'data-testid': 'book-sign-in', onclick: signIn }, [t().signIn]),
    ];
    return el('div', { class: 'card' }, parts);
  }

  function bookingCard(a) {
    var actions = a.status === 'booked' ? el('div', { class: 'row' }, [
      el('button', { type: 'button', 'data-testid': 'book-move-' + a.id, onclick: function () { startPick(a.serviceId, a.id); } }, [t().move]),
      el('button', { type: 'button', 'data-testid': 'book-cancel-' + a.id, onclick: function () { cancel(a.id); } }, [t().cancel]),
    ]) : null;
    return el('li', { class: 'card', 'data-testid': 'booking', 'data-status': a.status }, [
      el('strong', {}, [name(a.serviceName)]),
      el('p', { 'data-testid': 'booking-when' }, [a.date + ' ' + a.slot.from + '-' + a.slot.to]),
      el('p', { class: 'muted' }, [t().status[a.status] || a.status]),
      actions,
    ]);
  }

  function homeView() {
    var list = state.mine.length === 0 ? [el('p', { class: 'muted' }, [t().none])] : state.mine.map(bookingCard);
    return el('div', {}, [
      el('h2', {}, [t().mine]),
      el('ul', { class: 'plain', 'data-testid': 'book-mine' }, list),
      el('h2', {}, [t().book]),
      el('div', { class: 'slots' }, state.services.map(function (s) {
        return el('button', { type: 'button', 'data-testid': 'book-service-' + s.id, onclick: function () { startPick(s.id, null); } }, [name(s.name)]);
      })),
    ]);
  }

  function pickView() {
    var p = state.pick;
    var parts = [el('button', { type: 'button', onclick: function () { state.view = 'home'; render(); } }, [t().back]), el('h2', {}, [t().pickDay])];
    parts.push(el('div', { class: 'slots', 'data-testid': 'book-days' }, (p.days || []).map(function (d) {
      var label = d.date.slice(5) + ' ' + t().weekdays[new Date(d.date + 'T00:00:00Z').getUTCDay()] + (d.closed ? ' · ' + t().closed[d.closed] : '');
      return el('button', { type: 'button', 'data-testid': 'book-day-' + d.date, 'aria-pressed': String(p.date === d.date), disabled: !!d.closed, onclick: function () { pickDay(d.date); } }, [label]);
    })));
    if (p.slots) {
      parts.push(el('h2', {}, [t().pickSlot]));
      parts.push(el('div', { class: 'slots', 'data-testid': 'book-slots' }, p.slots.map(function (s) {
        return el('button', { type: 'button', 'data-testid': 'book-slot-' + s.from, 'aria-pressed': String(p.slotFrom === s.from), disabled: s.left <= 0, onclick: function () { p.slotFrom = s.from; render(); } }, [s.from + '-' + s.to, el('br'), el('small', {}, [t().left(s.left)])]);
      })));
    }
    parts.push(el('p', {}, [el('button', { type: 'button', class: 'primary', 'data-testid': 'book-confirm', disabled: !p.slotFrom, onclick: confirm }, [p.moving ? t().confirmMove : t().confirm])]));
    return el('div', {}, parts);
  }

  function render() {
    document.title = t().title;
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    var toggle = el('button', { class: 'lang', type: 'button', onclick: function () { lang = lang === 'en' ? 'zh' : 'en'; localStorage.setItem('hall-phone-lang', lang); render(); } }, [t().lang]);
    var heading = el('h1', {}, [state.hall ? name(state.hall.name) : t().title]);
    var parts = [el('header', { class: 'bar' }, [heading, toggle])];
    if (state.citizen && state.view !== 'login') {
      parts.push(el('p', { class: 'muted', 'data-testid': 'book-who' }, [state.citizen.maskedName + ' · ' + state.citizen.phone + ' ', el('button', { type: 'button', class: 'lang', onclick: signOut }, [t().signOut])]));
    }
    if (state.note) parts.push(el('p', { class: state.note.kind === 'error' ? 'error card' : 'card', role: 'status', 'data-testid': 'book-note' }, [noteText(state.note)]));
    parts.push(state.view === 'login' ? loginView() : state.view === 'pick' ? pickView() : homeView());
    app.replaceChildren.apply(app, parts);
  }

  function sendCode() {
    state.note = null;
    api('POST', '/phone/booking/code', { hallId: hallId, phone: form.phone.trim() }).then(function () {
      state.resendAt = Date.now() + 60000;
      say('codeSent');
      render();
      var timer = window.setInterval(function () { if (Date.now() >= state.resendAt) window.clearInterval(timer); if (state.view === 'login') render(); }, 1000);
    }, explain);
  }
  function signIn() {
    state.note = null;
    var body = { phone: form.phone.trim(), code: form.code.trim(), name: form.name.trim() };
    if (state.useResidence) body.residenceCode = form.residenceCode.trim(); else body.idNumber = form.idNumber.trim();
    api('POST', '/phone/booking/session', body).then(function (session) {
      state.token = session.token;
      sessionStorage.setItem('hall-booking-token', session.token);
      // The ID number leaves the page once it has served.
      form.idNumber = ''; form.residenceCode = ''; form.code = '';
      return loadMine();
    }).catch(explain);
  }
  function signOut() { state.token = null; state.citizen = null; sessionStorage.removeItem('hall-booking-token'); state.view = 'login'; state.note = null; render(); }
  function loadMine() {
    return api('GET', '/phone/booking/mine').then(function (data) {
      state.citizen = data.citizen;
      state.mine = data.appointments;
      if (state.view === 'login') state.view = 'home';
      render();
    });
  }
  function startPick(serviceId, moving) {
    state.note = null;
    state.pick = { serviceId: serviceId, moving: moving, days: null, date: null, slots: null, slotFrom: null };
    state.view = 'pick';
    api('GET', '/phone/booking/services/' + encodeURIComponent(serviceId) + '/days').then(function (data) { state.pick.days = data.days; render(); }, explain);
    render();
  }
  function pickDay(date) {
    var p = state.pick;
    p.date = date; p.slotFrom = null; p.slots = null;
    api('GET', '/phone/booking/services/' + encodeURIComponent(p.serviceId) + '/slots?date=' + date).then(function (data) { p.slots = data.slots; render(); }, explain);
    render();
  }
  function confirm() {
    var p = state.pick;
    var done = p.moving
      ? api('POST', '/phone/booking/appointments/' + p.moving + '/move', { date: p.date, slotFrom: p.slotFrom }).then(function () { say('movedOk'); })
      : api('POST', '/phone/booking/appointments', { serviceId: p.serviceId, date: p.date, slotFrom: p.slotFrom }).then(function () { say('booked'); });
    done.then(function () { state.view = 'home'; return loadMine(); }).catch(function (error) { explain(error); if (state.view === 'pick' && p.date) pickDay(p.date); });
  }
  function cancel(id) {
    state.note = null;
    api('POST', '/phone/booking/appointments/' + id + '/cancel').then(function () { say('cancelledOk'); return loadMine(); }).catch(explain);
  }

  api('GET', '/phone/halls/' + encodeURIComponent(hallId) + '/booking').then(function (data) {
    state.hall = data.hall;
    state.services = data.services;
    render();
    if (state.token) loadMine().catch(function () { render(); });
  }, function () { state.note = { kind: 'error', code: 'failed', details: {} }; render(); });
  render();
})();
