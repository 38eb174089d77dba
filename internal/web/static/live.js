// Live calls: the ringing bar under the top bar. An incoming call shows on
// every agent's screen while it rings, stays on the screen of the agent who
// answers, and a missed call stays until dismissed (across page loads, via
// sessionStorage). The bar shows one call, the most pressing (the agent's
// own call in progress, then ringing, then missed; newest first: an agent
// on the phone needs that call's ticket at hand), and "N more calls"
// opens the list of all. It sits in the page's flow, so it pushes the page
// down instead of covering it. A ringing call goes when the server says it
// ended or was answered by someone else, or when its time without news
// (ringing_left_ms, ringdesk.RingingQuiet on the server) runs out.
// Data arrives over Server-Sent Events from /live; all text from calls is
// inserted with textContent, never as HTML. The words come translated from
// the layout (data-words on #ringbar).
// Desktop notifications: an agent who enabled them (the profile's button;
// the browser asks for permission only after that click) gets one for a
// call ringing while the Ringdesk tab is hidden; clicking it brings the tab
// forward and opens the call's ticket.
"use strict";
(() => {
  const me = Number(document.body.dataset.agentId || 0);
  const bar = document.getElementById("ringbar");
  const list = document.getElementById("ringlist");
  if (!me || !window.EventSource || !bar || !list) return;
  let W = {};
  try { W = JSON.parse(bar.dataset.words || "{}"); } catch { /* words missing: keys show */ }
  const word = (k) => (typeof W[k] === "string" ? W[k] : k);
  const rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  function counted(k, n) {
    const forms = W[k] || {};
    const f = forms[rules ? rules.select(n) : n === 1 ? "one" : "other"] || forms.other || "%d";
    return f.replace("%d", String(n));
  }

  const KEY = "ringdesk.missed";
  const DISMISSED = "ringdesk.dismissed";
  // A missed-call item goes after this long; the ticket stays in the
  // Missed calls view and the top bar's count.
  const MISSED_TTL = 30 * 60 * 1000;
  const RANK = { talking: 0, ringing: 1, missed: 2 };
  const cards = new Map(); // call id -> {el, kind, call, at, received, elapsed, expires}
  let expanded = false;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The bar's tools: "N more calls" (opens and closes the list) and, with
  // the list open and missed calls in it, the Missed calls view.
  const tools = el("div", "cp-tools");
  const missedLink = el("a", "cp-missedview", word("missedView"));
  missedLink.href = "/tickets?view=missed";
  const more = el("button", "callmore");
  more.type = "button";
  more.setAttribute("aria-controls", list.id);
  more.setAttribute("aria-expanded", "false");
  more.addEventListener("click", () => { expanded = !expanded; layout(); });
  tools.append(missedLink, more);
  bar.appendChild(tools);
  bar.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !expanded) return;
    expanded = false;
    layout();
    more.focus();
  });

  const store = (key) => ({
    all() { try { return JSON.parse(sessionStorage.getItem(key) || "[]"); } catch { return []; } },
    put(l) { try { sessionStorage.setItem(key, JSON.stringify(l.slice(-50))); } catch { /* private mode */ } },
  });
  const missedStore = {
    ...store(KEY),
    add(c) { const l = this.all().filter((x) => x.id !== c.id); l.push({ ...c, seen: Date.now() }); this.put(l); },
    fresh() { return this.all().filter((x) => Date.now() - (x.seen || 0) < MISSED_TTL); },
    remove(id) { this.put(this.all().filter((x) => x.id !== id)); },
  };
  // Ringing and talking calls this tab dismissed, as "id:kind": a call
  // that comes back in another state shows again.
  const dismissed = {
    ...store(DISMISSED),
    has(id, kind) { return this.all().includes(id + ":" + kind); },
    add(id, kind) { this.put(this.all().concat(id + ":" + kind)); },
  };

  // Durations as m:ss (h:mm:ss past an hour).
  function clock(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const mm = Math.floor(s / 60) % 60, ss = String(s % 60).padStart(2, "0");
    return s >= 3600 ? Math.floor(s / 3600) + ":" + String(mm).padStart(2, "0") + ":" + ss : mm + ":" + ss;
  }

  // The page's top stays clear of the sticky bars for whatever focus or a
  // link scrolls into view (CSSOM, which the CSP allows).
  function padding() {
    const top = document.querySelector(".topbar");
    const h = (top ? top.offsetHeight : 0) + (cards.size ? bar.offsetHeight : 0);
    document.documentElement.style.scrollPaddingTop = cards.size ? h + 8 + "px" : "";
  }
  window.addEventListener("resize", padding);

  function layout() {
    const all = Array.from(cards.values()).sort((a, b) => RANK[a.kind] - RANK[b.kind] || b.at - a.at);
    if (all.length <= 1) expanded = false;
    // Only moved nodes are touched: a move would drop the focus and make
    // screen readers announce the call again.
    all.forEach((s, i) => {
      if (list.children[i] !== s.el) list.insertBefore(s.el, list.children[i] || null);
      s.el.hidden = !expanded && i > 0;
    });
    bar.classList.toggle("on", all.length > 0);
    bar.classList.toggle("open", expanded);
    bar.classList.toggle("many", all.length > 1);
    more.hidden = all.length <= 1;
    more.textContent = expanded ? word("collapse") : counted("more", all.length - 1);
    more.setAttribute("aria-expanded", String(expanded));
    missedLink.hidden = !expanded || !all.some((s) => s.kind === "missed");
    tools.hidden = more.hidden && missedLink.hidden;
    padding();
    ticking();
  }

  function render(c, kind) {
    if (kind !== "missed" && dismissed.has(c.id, kind)) { remove(c.id); return; }
    let s = cards.get(c.id);
    if (!s) {
      s = { el: el("li", "callpop"), at: c.seen || Date.now() };
      cards.set(c.id, s);
      list.appendChild(s.el);
    }
    Object.assign(s, { kind, call: c, received: Date.now(), elapsed: c.elapsed_ms || 0,
      expires: kind === "ringing" ? Date.now() + (c.ringing_left_ms || 0) : 0 });
    const card = s.el;
    card.replaceChildren();
    card.dataset.kind = kind;
    card.dataset.callId = c.id;
    const name = c.client_name || c.contact_display;
    const main = el("div", "cp-main");
    main.appendChild(el("span", "cp-kind", { ringing: c.direction === "out" ? word("outgoing") : word("incoming"),
      talking: word("talking"), missed: word("missed") }[kind]));
    let who;
    if (kind === "missed") {
      who = el("a", "who", name);
      who.href = "/tickets/" + c.ticket_id;
    } else who = el("span", "who", name);
    main.appendChild(who);
    if (c.client_name && c.client_name !== c.contact_display) main.appendChild(el("span", "num", c.contact_display));
    if (c.line && kind !== "missed") main.appendChild(el("span", "cp-line", word("line") + " " + c.line));
    if (kind !== "missed") {
      const tm = el("span", "cp-time");
      tm.setAttribute("aria-live", "off"); // counts every second: not news
      main.appendChild(tm);
    }
    const acts = el("div", "cp-acts");
    const links = el("span", "cp-links");
    if (kind === "missed") {
      if (c.contact_phone) {
        // A click-to-call control (calls.js) from the missed call's
        // ticket: it claims the call-back, as the ticket's own button does.
        const back = el("button", "button cp-callback", word("callBack"));
        back.type = "button";
        Object.assign(back.dataset, { phone: c.contact_phone, clientId: c.client_id, ticketId: c.ticket_id });
        links.appendChild(back);
      }
    } else {
      const t = el("a", "button primary", word("ticket"));
      t.href = "/tickets/" + c.ticket_id;
      const cl = el("a", "button", word("client"));
      cl.href = "/clients/" + c.client_id;
      links.append(t, cl);
    }
    const close = el("button", "close", "×");
    close.type = "button";
    close.title = word("dismiss");
    close.setAttribute("aria-label", word("dismiss") + ": " + name);
    close.addEventListener("click", () => dismiss(c.id));
    acts.append(links, close);
    card.append(main, acts);
    tick();
    layout();
  }

  function remove(id) {
    const s = cards.get(id);
    if (s) { s.el.remove(); cards.delete(id); }
    layout();
    closeNote(id);
  }

  // dismiss hides a call in this tab and keeps the keyboard in the bar.
  function dismiss(id) {
    const s = cards.get(id);
    if (!s) return;
    if (s.kind === "missed") missedStore.remove(id); else dismissed.add(id, s.kind);
    const had = bar.contains(document.activeElement);
    remove(id);
    if (!had) return;
    const next = list.querySelector(".callpop:not([hidden]) .close");
    (next || (more.hidden ? document.getElementById("main") : more)).focus();
  }

  // One timer while calls ring or talk: their clocks count on, and a
  // ringing call whose time without news ran out goes.
  let timer = 0;
  function tick() {
    const now = Date.now();
    for (const [id, s] of cards) {
      if (s.kind === "ringing" && now >= s.expires) { remove(id); continue; }
      const tm = s.el.querySelector(".cp-time");
      if (!tm) continue;
      const t = clock(s.elapsed + now - s.received);
      tm.textContent = s.kind === "ringing" ? word("waiting") + " " + t : t;
    }
  }
  function ticking() {
    const need = Array.from(cards.values()).some((s) => s.kind !== "missed");
    if (need && !timer) timer = setInterval(tick, 1000);
    if (!need && timer) { clearInterval(timer); timer = 0; }
  }

  // Desktop notifications. window.Notification is looked up on each use.
  const NOTIFY = "ringdesk.notify";
  const notes = new Map(); // call id -> Notification
  const notifyOn = () => { try { return localStorage.getItem(NOTIFY) === "on"; } catch { return false; } };
  function notify(c) {
    const N = window.Notification;
    if (!N || N.permission !== "granted" || !notifyOn() || !document.hidden || notes.has(c.id)) return;
    const body = [c.client_name || c.contact_display, c.client_name && c.client_name !== c.contact_display ? c.contact_display : "",
      c.line ? word("line") + " " + c.line : ""].filter(Boolean).join("\n");
    let n;
    try { n = new N(word("incoming"), { body, tag: "ringdesk-call-" + c.id }); } catch { return; }
    notes.set(c.id, n);
    n.onclick = () => {
      window.focus();
      location.href = "/tickets/" + c.ticket_id;
      closeNote(c.id);
    };
  }
  function closeNote(id) {
    const n = notes.get(id);
    if (n) { notes.delete(id); try { n.close(); } catch { /* already gone */ } }
  }

  // The opt-in control (on the profile page): its texts come translated in
  // data-* attributes.
  const ctl = document.getElementById("notify-toggle");
  if (ctl) {
    const state = document.getElementById("notify-state");
    const show = () => {
      const N = window.Notification;
      const perm = N ? N.permission : "unsupported";
      const on = perm === "granted" && notifyOn();
      state.textContent = !N ? ctl.dataset.unsupported : perm === "denied" ? ctl.dataset.denied : on ? ctl.dataset.stateOn : ctl.dataset.stateOff;
      ctl.textContent = on ? ctl.dataset.disable : ctl.dataset.enable;
      ctl.disabled = !N || perm === "denied";
      const card = document.getElementById("notify-card");
      if (card) card.hidden = false; // a control that needs JavaScript shows only with it
    };
    ctl.addEventListener("click", () => {
      const N = window.Notification;
      if (!N) return;
      if (N.permission === "granted" && notifyOn()) {
        try { localStorage.removeItem(NOTIFY); } catch { /* private mode */ }
        show();
        return;
      }
      Promise.resolve(N.requestPermission()).then((perm) => {
        if (perm === "granted") { try { localStorage.setItem(NOTIFY, "on"); } catch { /* private mode */ } }
        show();
      });
    });
    show();
  }

  // The top bar's count of open missed-call tickets: the server counts on
  // every page load; between loads each newly missed call adds one.
  const badge = document.getElementById("missed-badge");
  const countedMissed = new Set();
  function countMissed(c) {
    if (!badge || countedMissed.has(c.id) || missedStore.all().some((x) => x.id === c.id)) return;
    countedMissed.add(c.id);
    const n = badge.querySelector(".count");
    n.textContent = String(Number(n.textContent || 0) + 1);
    badge.classList.remove("none");
    badge.hidden = false;
  }

  function apply(c) {
    if (c.state === "finished") {
      remove(c.id);
      if (c.missed) { countMissed(c); missedStore.add(c); render(c, "missed"); }
      return;
    }
    if (c.state === "ringing" && !(c.ringing_left_ms > 0)) { remove(c.id); return; } // no news for too long
    if (c.direction === "out") {
      if (c.agent_id === me) render(c, c.state === "talking" ? "talking" : "ringing"); else remove(c.id);
      return;
    }
    if (c.state === "ringing") { render(c, "ringing"); notify(c); }
    else if (c.agent_id === me) render(c, "talking");
    else remove(c.id); // someone else answered
  }

  let banner = null;
  function noteListChanged() {
    if (!/^\/tickets\/?$|^\/calls\/?$/.test(location.pathname) || banner) return;
    banner = el("div", "livebar");
    banner.append(el("span", "", word("updates") + " "));
    const b = el("button", "link", word("refresh"));
    b.type = "button";
    b.addEventListener("click", () => location.reload());
    banner.appendChild(b);
    const main = document.getElementById("main");
    main.insertBefore(banner, main.firstChild);
  }

  const fresh = missedStore.fresh();
  missedStore.put(fresh);
  fresh.forEach((c) => render(c, "missed"));
  layout();
  const es = new EventSource("/live");
  // The calls ringing or talking now, on every (re)connect: calls that
  // ended meanwhile go, the others are shown as the server has them.
  es.addEventListener("snapshot", (e) => {
    const calls = JSON.parse(e.data).calls || [];
    const now = new Set(calls.map((c) => c.id));
    for (const [id, s] of cards) if (s.kind !== "missed" && !now.has(id)) remove(id);
    calls.forEach(apply);
  });
  // The server's count of open missed-call tickets after a change (a call
  // missed, a colleague handling one): it replaces the local guess.
  es.addEventListener("missed", (e) => {
    if (!badge) return;
    const { open } = JSON.parse(e.data);
    badge.querySelector(".count").textContent = String(open);
    badge.classList.toggle("none", open === 0);
    badge.hidden = false;
  });
  es.addEventListener("call", (e) => {
    const c = JSON.parse(e.data);
    apply(c);
    noteListChanged();
  });
  // A ticket's timeline changed (an email came, a reply was sent or
  // failed): its open page takes the new timeline in place, keeping what
  // the agent is typing; the lists offer a refresh.
  let timelineFetch = null, timelineAgain = false;
  function refreshTimeline() {
    const ol = document.querySelector(".tk-timeline");
    if (!ol) return;
    // A change announced while a read is on its way may be newer than
    // what that read gets: read once more after it.
    if (timelineFetch) { timelineAgain = true; return; }
    timelineFetch = fetch(location.pathname + location.search, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        const doc = new DOMParser().parseFromString(html, "text/html");
        const fresh = doc.querySelector(".tk-timeline");
        if (fresh) ol.replaceWith(fresh);
        const head = document.querySelector(".tk-head h1 + p"), newHead = doc.querySelector(".tk-head h1 + p");
        if (head && newHead) head.replaceWith(newHead);
      })
      .catch(() => {})
      .finally(() => {
        timelineFetch = null;
        if (timelineAgain) { timelineAgain = false; refreshTimeline(); }
      });
  }
  // A reply queued just before this page subscribed may have been sent
  // meanwhile: once subscribed (the snapshot), read the timeline again.
  es.addEventListener("snapshot", () => { if (document.querySelector(".tk-delivery.d-queued")) refreshTimeline(); });
  es.addEventListener("ticket", (e) => {
    const { ticket_id } = JSON.parse(e.data);
    const m = location.pathname.match(/^\/tickets\/(\d+)$/);
    if (m && Number(m[1]) === ticket_id) refreshTimeline();
    noteListChanged();
  });
  window.ringdeskLive = es; // for tests and the console
})();
