// Client picker: a text field that suggests clients by name, phone or email
// (GET /api/v1/clients?q=, with the session cookie) and puts the chosen
// client's id into the hidden client_id. Arrow keys move, Enter or a click
// chooses, Escape closes. Without this script the typed text is searched
// when the form is sent.
"use strict";
(() => {
  const root = document.querySelector("[data-client-picker]");
  if (!root) return;
  const input = root.querySelector("input[name=client]");
  const hidden = root.querySelector("input[name=client_id]");
  const list = root.querySelector("[role=listbox]");
  const chosen = root.querySelector(".picker-chosen");
  let items = [];
  let active = -1;
  let seq = 0;
  let timer = 0;
  let swallowEnter = false;

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const setActive = (i) => {
    const opts = list.querySelectorAll("[role=option]");
    if (!opts.length) return;
    active = (i + opts.length) % opts.length;
    opts.forEach((o, n) => o.setAttribute("aria-selected", n === active ? "true" : "false"));
    input.setAttribute("aria-activedescendant", opts[active].id);
    opts[active].scrollIntoView({ block: "nearest" });
  };
  // Russian numbers as people write them (+7 926 123-45-67), others as stored.
  const phone = (p) => {
    const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(p);
    return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : p;
  };
  const details = (c) => [c.company, ...(c.phones || []).map(phone), ...(c.emails || [])].filter(Boolean).join(" · ");
  const choose = (i) => {
    const c = items[i];
    if (!c) return;
    input.value = c.name;
    hidden.value = String(c.id);
    chosen.textContent = "#" + c.id + (details(c) ? " · " + details(c) : "");
    input.removeAttribute("aria-invalid");
    close();
  };
  const render = () => {
    list.replaceChildren();
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "picker-empty";
      li.textContent = root.dataset.empty || "";
      list.append(li);
    }
    items.forEach((c, i) => {
      const li = document.createElement("li");
      li.id = "tk-client-opt-" + c.id;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.index = String(i);
      const name = document.createElement("strong");
      name.textContent = c.name;
      const more = document.createElement("span");
      more.className = "muted";
      more.textContent = details(c);
      li.append(name, " ", more);
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (items.length) setActive(0);
  };
  const search = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (q.length < 2) {
      items = [];
      close();
      return;
    }
    try {
      const res = await fetch("/api/v1/clients?limit=8&q=" + encodeURIComponent(q),
        { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (mine !== seq) return; // a newer search is under way
      if (!res.ok) { items = []; close(); return; }
      items = (await res.json()).clients || [];
    } catch {
      if (mine === seq) close();
      return;
    }
    if (document.activeElement === input) render();
  };

  input.addEventListener("input", () => {
    // The text no longer names the chosen client: the server searches it
    // unless a suggestion is chosen again.
    hidden.value = "";
    chosen.textContent = "";
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener("keydown", (e) => {
    const open = !list.hidden && items.length > 0;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (open) setActive(active + 1); else search();
    } else if (e.key === "ArrowUp" && open) {
      e.preventDefault();
      setActive(active - 1);
    } else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault(); // choose, do not send the form yet
      swallowEnter = true;
      choose(active);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  // Browsers skip the keypress of a keydown whose default was prevented, but
  // keystrokes sent as separate key events (DevTools, some assistive tools)
  // still bring one, which would send the form: swallow the Enter that chose.
  input.addEventListener("keypress", (e) => {
    if (e.key === "Enter" && swallowEnter) e.preventDefault();
  });
  input.addEventListener("keyup", (e) => {
    if (e.key === "Enter") swallowEnter = false;
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  // mousedown, not click: it comes before the input loses focus.
  list.addEventListener("mousedown", (e) => {
    const li = e.target.closest("[role=option]");
    if (!li) return;
    e.preventDefault();
    choose(Number(li.dataset.index));
  });
})();
