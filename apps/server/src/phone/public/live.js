/* global window, EventSource, fetch */
// The live link of the phone pages (follow my ticket, track my case): one EventSource from
// <base>/events that the browser reconnects by itself. A source closed for good is either a
// forged link (<base> answers 404) or a server that was away: retried every 3 s.
'use strict';
(function () {
  /**
   * base: the page's API path, e.g. '/api/v1/follow/<ref>'. onUpdate gets each pushed JSON
   * value; onLink 'live', 'reconnecting' or 'invalid'.
   */
  window.hallLive = function (base, onUpdate, onLink) {
    function connect() {
      var source = new EventSource(base + '/events');
      source.onopen = function () { onLink('live'); };
      source.onmessage = function (event) { onUpdate(JSON.parse(event.data)); };
      source.onerror = function () {
        if (source.readyState !== EventSource.CLOSED) { onLink('reconnecting'); return; }
        fetch(base).then(function (r) {
          if (r.status === 404) onLink('invalid'); else window.setTimeout(connect, 3000);
        }, function () { window.setTimeout(connect, 3000); });
      };
    }
    connect();
  };
})();
