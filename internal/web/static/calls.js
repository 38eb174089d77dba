// Click-to-call: every element with data-phone calls that number through
// UIS (POST /calls). Without JavaScript a tel: link still works as usual.
// Recording players that cannot play say why.
"use strict";
(() => {
  const ru = () => document.documentElement.lang === "ru";
  let box;
  function toast(text, kind) {
    if (!box) {
      box = document.createElement("div");
      box.className = "toasts";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    const el = document.createElement("div");
    el.className = "toast" + (kind ? " " + kind : "");
    el.textContent = text;
    box.appendChild(el);
    setTimeout(() => el.remove(), kind === "error" ? 9000 : 5000);
  }
  async function call(el) {
    if (el.dataset.calling) return;
    el.dataset.calling = "1";
    el.setAttribute("aria-disabled", "true");
    el.classList.add("calling");
    const form = new FormData();
    form.set("phone", el.dataset.phone || "");
    const client = el.dataset.clientId;
    if (client) form.set("client_id", client);
    const ticketEl = el.closest("[data-ticket-id]");
    const ticket = el.dataset.ticketId || (ticketEl && ticketEl.dataset.ticketId);
    if (ticket) form.set("ticket_id", ticket);
    // The client card's "new ticket instead": the call does not join the
    // client's open ticket.
    if (!ticket && document.querySelector("[data-call-new-ticket]:checked")) form.set("new_ticket", "1");
    let hold = 10000; // the server treats repeats within 10 s as the same click
    try {
      const res = await fetch("/calls", { method: "POST", body: form, headers: { Accept: "application/json" }, credentials: "same-origin" });
      let body = {};
      try { body = await res.json(); } catch (_) { /* not JSON */ }
      if (res.ok) {
        toast(body.message || (ru() ? "Звоним на ваш телефон…" : "Calling your phone…"));
      } else {
        hold = 1500;
        const e = body.error || {};
        const fields = e.fields ? Object.values(e.fields) : [];
        toast(e.message || fields[0] || (ru() ? "Не удалось позвонить." : "The call could not be placed."), "error");
      }
    } catch (_) {
      hold = 1500;
      toast(ru() ? "Нет связи с Ringdesk." : "Ringdesk cannot be reached.", "error");
    }
    setTimeout(() => {
      delete el.dataset.calling;
      el.removeAttribute("aria-disabled");
      el.classList.remove("calling");
    }, hold);
  }
  document.addEventListener("click", (e) => {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    const el = e.target.closest("[data-phone]");
    if (!el) return;
    e.preventDefault();
    call(el);
  });
  // A recording player that fails (UIS has not made the file yet, it expired,
  // its host is not allowed) says why under it instead of sitting there dead.
  document.addEventListener("error", async (e) => {
    const audio = e.target;
    const box = audio instanceof HTMLAudioElement && audio.closest(".recording, .tk-rec");
    if (!box || audio.dataset.explained) return;
    audio.dataset.explained = "1";
    let text = ru() ? "Запись не удаётся воспроизвести." : "The recording cannot be played.";
    try {
      const res = await fetch(audio.currentSrc || audio.src, { headers: { Accept: "application/json", Range: "bytes=0-0" }, credentials: "same-origin" });
      if (res.ok) { delete audio.dataset.explained; return; } // a playback hiccup, not a refusal
      const body = await res.json();
      if (body.error && body.error.message) text = body.error.message;
    } catch (_) { /* keep the general words */ }
    const p = document.createElement("p");
    p.className = "recording-error";
    p.setAttribute("role", "status");
    p.textContent = text;
    box.appendChild(p);
  }, true);
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    const el = e.target.closest("[data-phone]");
    if (!el) return;
    if (el.tagName !== "A" && el.tagName !== "BUTTON") { // links and buttons already click on Enter
      e.preventDefault();
      call(el);
    }
  });
})();
