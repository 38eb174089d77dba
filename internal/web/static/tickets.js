// Ticket keyboard. List: "/" focuses search, j/k move, Enter opens.
// Ticket page: r starts a public reply, n an internal note, Ctrl+Enter (or
// Cmd+Enter) sends the message being typed. Esc leaves any field.
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
  const PLACES = { KeyJ: "j", KeyK: "k", KeyR: "r", KeyN: "n", Slash: "/" };
  const shortcut = (e) => (e.key === "/" ? "/" : PLACES[e.code] || e.key);
  const reply = document.querySelector("form.tk-reply");
  const compose = (kind) => {
    const radio = reply.querySelector(`input[name="kind"][value="${kind}"]`);
    if (radio) radio.checked = true;
    const body = reply.querySelector("textarea[name=body]");
    // Focus after this key's own character has gone nowhere.
    setTimeout(() => { body.focus(); body.scrollIntoView({ block: "nearest" }); }, 0);
  };
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
    } else if (e.key === "Enter" && cur >= 0) {
      const r = rows()[cur];
      if (r) window.location.href = r.dataset.href;
    }
  });
})();
