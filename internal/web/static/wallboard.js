// The wallboard: reads /wallboard/data again whenever its event stream says
// calls changed (and every 30 s, for the clock's sake), and counts the
// longest wait up between updates.
(function () {
  var root = document.getElementById('wallboard');
  if (!root) return;
  var longest = parseInt(root.getAttribute('data-longest'), 10) || 0;
  var ringing = parseInt(root.querySelector('[data-k="ringing"]').textContent, 10) || 0;
  var fetchedAt = Date.now();
  var pending = null;
  var clock = document.getElementById('wb-clock');
  var liveDot = document.getElementById('wb-live');
  // The clock tells the time where "today" is counted (the viewer's zone),
  // on 24 hours like the rest of the desk, whatever the TV's own settings.
  var clockFormat;
  try {
    clockFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
      { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: root.getAttribute('data-zone') || undefined });
  } catch (e) {
    clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }

  function mmss(s) {
    s = Math.max(0, Math.floor(s));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    var t = (sec < 10 ? '0' : '') + sec;
    return h > 0 ? h + ':' + (m < 10 ? '0' : '') + m + ':' + t : m + ':' + t;
  }
  function set(k, v) {
    root.querySelectorAll('[data-k="' + k + '"]').forEach(function (el) { el.textContent = v; });
  }
  function tile(id, on) {
    var el = document.getElementById(id);
    if (el) el.classList.toggle('wb-alert', on);
  }
  function apply(b) {
    ['ringing', 'talking', 'agents_available', 'agents_on_call', 'missed_waiting', 'today_offered', 'today_answered',
      'today_missed', 'today_service_level_text'].forEach(function (k) { set(k, b[k]); });
    longest = b.longest_wait_seconds;
    ringing = b.ringing;
    fetchedAt = Date.now();
    set('longest_wait', mmss(longest));
    tile('tile-ringing', b.ringing > 0);
    tile('tile-missed', b.missed_waiting > 0);
    var sl = document.getElementById('tile-sl');
    sl.classList.remove('good', 'fair', 'poor');
    if (b.level) sl.classList.add(b.level);
    root.setAttribute('data-updated', b.at);
  }
  function refresh() {
    fetch('/wallboard/data', { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (b) { if (b) apply(b); })
      .catch(function () {});
  }
  function soon() {
    if (pending) return;
    pending = setTimeout(function () { pending = null; refresh(); }, 30);
  }
  function tick() {
    var now = new Date();
    clock.textContent = clockFormat.format(now);
    if (ringing > 0) {
      var w = longest + (Date.now() - fetchedAt) / 1000;
      set('longest_wait', mmss(w));
      tile('tile-longest', w > 20);
    } else {
      tile('tile-longest', false);
    }
  }
  var es = new EventSource('/wallboard/live');
  ['board', 'missed', 'hello'].forEach(function (name) { es.addEventListener(name, soon); });
  es.onopen = function () { liveDot.classList.remove('off'); };
  es.onerror = function () { liveDot.classList.add('off'); };
  setInterval(refresh, 30000);
  setInterval(tick, 1000);
  tick();
})();
