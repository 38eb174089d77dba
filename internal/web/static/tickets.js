// Ticket keyboard. List: "/" focuses search, j/k move, x selects the row
// for a bulk action, Enter opens.
// Ticket page: r starts a public reply, n an internal note, Ctrl+Enter (or
// Cmd+Enter) sends the message being typed. Esc leaves any field.
// The message being typed is kept as a draft per ticket in localStorage, so
// saving the side panel, opening a call or leaving the page does not lose it.
"use strict";
(() => {
  const rows = () => Array.from(document.querySelectorAll("#tk-list tbody tr"));
  let cur = -1;
  const select = (i) => {
    const list = rows();
    if (!list.length) return;
    cur = Math.max(0, Math.min(list.length - 1, i));
    list.forEach((r, n) => r.classList.toggle("sel", n === cur));
    list[cur].scrollIntoView({ block: "nearest" });
  };
  // Shortcuts go by the key's place, so they work in the Russian layout too
  // (where j, k, r, n and / type о, л, к, т and .).
  const PLACES = { KeyJ: "j", KeyK: "k", KeyR: "r", KeyN: "n", KeyX: "x", Slash: "/" };
  // Bulk selection: a checkbox per row, one for the whole page, and the
  // count of selected tickets in the bulk bar.
  const bulk = document.getElementById("tk-bulk");
  const boxes = () => Array.from(document.querySelectorAll('#tk-list tbody input[name="id"]'));
  const all = document.getElementById("tk-all");
  const counted = () => {
    const list = boxes();
    const n = list.filter((b) => b.checked).length;
    const out = document.querySelector("#tk-bulk-count span");
    if (out) out.textContent = String(n);
    if (bulk) bulk.classList.toggle("has-sel", n > 0);
    if (all) {
      all.checked = n > 0 && n === list.length;
      all.indeterminate = n > 0 && n < list.length;
    }
  };
  if (bulk) {
    bulk.addEventListener("change", (e) => {
      if (e.target === all) boxes().forEach((b) => { b.checked = all.checked; });
      counted();
    });
    counted();
  }
  const shortcut = (e) => (e.key === "/" ? "/" : PLACES[e.code] || e.key);
  const reply = document.querySelector("form.tk-reply");
  // Drafts older than this are dropped when their ticket is opened again.
  const DRAFT_DAYS = 14;
  const compose = (kind) => {
    const radio = reply.querySelector(`input[name="kind"][value="${kind}"]`);
    if (radio) radio.checked = true;
    const body = reply.querySelector("textarea[name=body]");
    // Focus when the key is released, so its own character goes nowhere
    // (with a fallback for a key-up that never comes).
    let done = false;
    const go = () => { if (!done) { done = true; body.focus(); body.scrollIntoView({ block: "nearest" }); } };
    document.addEventListener("keyup", go, { once: true });
    setTimeout(go, 400);
  };
  if (reply) drafts(reply);
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (reply && e.key === "Enter" && (e.ctrlKey || e.metaKey) && t.closest && t.closest("form.tk-reply")) {
      e.preventDefault();
      reply.requestSubmit(reply.querySelector("button[type=submit]"));
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) {
      if (e.key === "Escape") t.blur();
      return;
    }
    const key = shortcut(e);
    if (reply && (key === "r" || key === "n")) {
      e.preventDefault();
      compose(key === "r" ? "reply" : "note");
    } else if (key === "/") {
      const s = document.getElementById("tk-search");
      if (s) { e.preventDefault(); s.focus(); s.select(); }
    } else if (key === "j") {
      select(cur + 1);
    } else if (key === "k") {
      select(cur - 1);
    } else if (key === "x" && cur >= 0) {
      const box = rows()[cur] && rows()[cur].querySelector('input[name="id"]');
      if (box) { e.preventDefault(); box.checked = !box.checked; counted(); }
    } else if (e.key === "Enter" && cur >= 0) {
      const r = rows()[cur];
      if (r) window.location.href = r.dataset.href;
    }
  });

  // drafts keeps the reply box of one ticket in localStorage while typing,
  // restores it on load and forgets it once the message was sent (the page
  // after a successful send says flash=comment, or reply-queued for an
  // emailed reply).
  function drafts(form) {
    const m = /^\/tickets\/(\d+)\/comments$/.exec(new URL(form.action, location.href).pathname);
    const body = form.querySelector("textarea[name=body]");
    if (!m || !body) return;
    const key = `ringdesk:draft:${document.body.dataset.agentId || ""}:${m[1]}`;
    const sentKey = key + ":sent";
    const store = (() => { try { return window.localStorage; } catch (_) { return null; } })();
    if (!store) return;
    const kind = () => { const k = form.querySelector('input[name="kind"]:checked'); return k ? k.value : "reply"; };
    const save = () => {
      try {
        if (body.value.trim() === "") store.removeItem(key);
        else store.setItem(key, JSON.stringify({ body: body.value, kind: kind(), at: Date.now() }));
      } catch (_) { /* storage full or disabled: the draft is only a convenience */ }
    };
    const sent = ["comment", "reply-queued"].includes(new URLSearchParams(location.search).get("flash"));
    let sess = null;
    try { sess = window.sessionStorage; } catch (_) { sess = null; }
    if (sent && sess && sess.getItem(sentKey) !== null) {
      store.removeItem(key);
      sess.removeItem(sentKey);
    }
    let d = null;
    try { d = JSON.parse(store.getItem(key) || "null"); } catch (_) { d = null; }
    if (d && Date.now() - (d.at || 0) > DRAFT_DAYS * 864e5) { store.removeItem(key); d = null; }
    // A page re-rendered after a refused send already holds the text.
    if (d && d.body && body.value === "") {
      body.value = d.body;
      const r = form.querySelector(`input[name="kind"][value="${d.kind === "note" ? "note" : "reply"}"]`);
      if (r) r.checked = true;
    }
    body.addEventListener("input", save);
    form.addEventListener("change", save);
    // Remember that this draft went out; the next page confirms it arrived.
    form.addEventListener("submit", () => { if (sess) sess.setItem(sentKey, "1"); });
  }
})();
