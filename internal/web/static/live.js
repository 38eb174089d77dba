// Live calls: an incoming call pops up on every agent's screen while it
// rings, stays on the screen of the agent who answers, and a missed call
// stays until someone dismisses it (across page loads, via sessionStorage).
// Data arrives over Server-Sent Events from /live; all text from calls is
// inserted with textContent, never as HTML.
// Desktop notifications: an agent who enabled them (the profile's button;
// the browser asks for permission only after that click) gets one for a
// call ringing while the Ringdesk tab is hidden; clicking it brings the tab
// forward and opens the call's ticket.
"use strict";
(() => {
  const me = Number(document.body.dataset.agentId || 0);
  if (!me || !window.EventSource) return;
  const ru = document.documentElement.lang === "ru";
  const T = ru ? {
    incoming: "Входящий звонок", outgoing: "Исходящий звонок", talking: "Идёт разговор",
    missed: "Пропущенный звонок", ticket: "Открыть обращение", client: "Клиент",
    dismiss: "Скрыть", line: "Линия", updates: "Новые звонки.", refresh: "Обновить",
    more: (n) => "Ещё звонков: " + n,
  } : {
    incoming: "Incoming call", outgoing: "Outgoing call", talking: "On the call",
    missed: "Missed call", ticket: "Open ticket", client: "Client",
    dismiss: "Dismiss", line: "Line", updates: "New calls.", refresh: "Refresh",
    more: (n) => n + (n === 1 ? " more call" : " more calls"),
  };
  // At most this many cards show at once, so a busy line never covers the
  // page (fewer on a ticket page, where the side panel sits under them).
  // Ringing calls come first, then the agent's own call, then missed calls
  // (compact); the rest are counted below, and hidden missed calls make the
  // count a link to the Missed calls view.
  const SHOWN = /^\/tickets\/\d+/.test(location.pathname) || window.innerHeight < 800 ? 2 : 3;
  const KEY = "ringdesk.missed";
  // A missed-call card goes after this long; the ticket stays in the
  // Missed calls view and the top bar's count.
  const MISSED_TTL = 30 * 60 * 1000;
  const stack = document.createElement("div");
  stack.className = "callstack";
  stack.setAttribute("aria-live", "assertive");
  const more = document.createElement("a");
  more.className = "callmore";
  more.hidden = true;
  document.body.appendChild(stack);
  stack.appendChild(more);
  const cards = new Map(); // call id -> element
  const RANK = { ringing: 0, talking: 1, missed: 2 };

  function layout() {
    const all = Array.from(stack.querySelectorAll(".callpop"));
    all.sort((a, b) => RANK[a.dataset.kind] - RANK[b.dataset.kind] || Number(b.dataset.at) - Number(a.dataset.at));
    all.forEach((c, i) => { stack.insertBefore(c, more); c.hidden = i >= SHOWN; });
    const hidden = all.slice(SHOWN);
    more.hidden = hidden.length === 0;
    more.textContent = hidden.length ? T.more(hidden.length) : "";
    if (hidden.some((c) => c.dataset.kind === "missed")) more.href = "/tickets?view=missed";
    else more.removeAttribute("href");
    // Room below the page, so whatever the cards cover can be scrolled
    // above them (CSSOM, which the CSP allows).
    document.body.style.paddingBottom = all.length ? stack.offsetHeight + 24 + "px" : "";
  }

  const missedStore = {
    all() { try { return JSON.parse(sessionStorage.getItem(KEY) || "[]"); } catch { return []; } },
    put(list) { try { sessionStorage.setItem(KEY, JSON.stringify(list.slice(-10))); } catch { /* private mode */ } },
    add(c) { const l = this.all().filter((x) => x.id !== c.id); l.push({ ...c, seen: Date.now() }); this.put(l); },
    fresh() { return this.all().filter((x) => Date.now() - (x.seen || 0) < MISSED_TTL); },
    remove(id) { this.put(this.all().filter((x) => x.id !== id)); },
  };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(c, kind) {
    let card = cards.get(c.id);
    if (!card) {
      card = el("section", "callpop");
      card.setAttribute("role", kind === "missed" ? "alert" : "status");
      cards.set(c.id, card);
      card.dataset.at = String(Date.now());
      stack.prepend(card);
    }
    card.replaceChildren();
    card.dataset.kind = kind;
    card.dataset.callId = c.id;
    const title = { ringing: c.direction === "out" ? T.outgoing : T.incoming, talking: T.talking, missed: T.missed }[kind];
    const head = el("header", "", title);
    const close = el("button", "link close", "×");
    close.type = "button";
    close.title = T.dismiss;
    close.setAttribute("aria-label", T.dismiss);
    close.addEventListener("click", () => { remove(c.id); missedStore.remove(c.id); });
    head.appendChild(close);
    card.appendChild(head);
    if (kind === "missed") {
      // Compact: who called, as a link to the ticket.
      const who = el("a", "who", c.client_name || c.contact_display);
      who.href = "/tickets/" + c.ticket_id;
      card.appendChild(who);
      if (c.client_name && c.client_name !== c.contact_display) card.appendChild(el("div", "num", c.contact_display));
      layout();
      return;
    }
    const who = el("div", "who", c.client_name || c.contact_display);
    card.appendChild(who);
    if (c.client_name && c.client_name !== c.contact_display) card.appendChild(el("div", "num", c.contact_display));
    if (c.line) card.appendChild(el("div", "muted", T.line + " " + c.line));
    const acts = el("div", "actions");
    const t = el("a", "button primary", T.ticket);
    t.href = "/tickets/" + c.ticket_id;
    const cl = el("a", "button", T.client);
    cl.href = "/clients/" + c.client_id;
    acts.append(t, cl);
    card.appendChild(acts);
    layout();
  }

  function remove(id) {
    const card = cards.get(id);
    if (card) { card.remove(); cards.delete(id); }
    layout();
    closeNote(id);
  }

  // Desktop notifications. window.Notification is looked up on each use.
  const NOTIFY = "ringdesk.notify";
  const notes = new Map(); // call id -> Notification
  const notifyOn = () => { try { return localStorage.getItem(NOTIFY) === "on"; } catch { return false; } };
  function notify(c) {
    const N = window.Notification;
    if (!N || N.permission !== "granted" || !notifyOn() || !document.hidden || notes.has(c.id)) return;
    const body = [c.client_name || c.contact_display, c.client_name && c.client_name !== c.contact_display ? c.contact_display : "",
      c.line ? T.line + " " + c.line : ""].filter(Boolean).join("\n");
    let n;
    try { n = new N(T.incoming, { body, tag: "ringdesk-call-" + c.id }); } catch { return; }
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
  const counted = new Set();
  function countMissed(c) {
    if (!badge || counted.has(c.id) || missedStore.all().some((x) => x.id === c.id)) return;
    counted.add(c.id);
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
    banner.append(el("span", "", T.updates + " "));
    const b = el("button", "link", T.refresh);
    b.type = "button";
    b.addEventListener("click", () => location.reload());
    banner.appendChild(b);
    const main = document.getElementById("main");
    main.insertBefore(banner, main.firstChild);
  }

  const fresh = missedStore.fresh();
  missedStore.put(fresh);
  fresh.forEach((c) => render(c, "missed"));
  const es = new EventSource("/live");
  es.addEventListener("snapshot", (e) => {
    const { calls } = JSON.parse(e.data);
    for (const [id, card] of cards) if (card.dataset.kind !== "missed") remove(id);
    (calls || []).forEach(apply);
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
  window.ringdeskLive = es; // for tests and the console
})();
