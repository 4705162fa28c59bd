// Link previews (docs/finding.md): a WAI-ARIA tooltip; text via textContent only.
(() => {
  const data = document.getElementById("link-previews");
  let map, tip, open, timer, pressed;
  try { map = JSON.parse(data.textContent); } catch (e) { return; }
  const root = new URL(data.dataset.root || "/", location.href).href;
  const key = (a) => {
    const h = new URL(a.getAttribute("href"), location.href).href.split(/[?#]/)[0];
    try { return h.startsWith(root) ? decodeURI(h.slice(root.length)) : null; } catch (e) { return null; }
  };
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    e.className = cls;
    e.textContent = text;
    return e;
  };
  const later = (f, ms) => { clearTimeout(timer); timer = setTimeout(f, ms); };
  const on = (t, ev, f) => t.addEventListener(ev, f, { passive: ev != "touchend" && ev != "contextmenu" });
  const hide = () => {
    clearTimeout(timer);
    if (open) open.removeAttribute("aria-describedby");
    open = null;
    if (tip) tip.hidden = true;
  };
  const show = (a) => {
    const p = map[a.dataset.preview];
    hide();
    if (!tip) {
      tip = el("div", "link-preview", "");
      tip.id = "link-preview";
      tip.setAttribute("role", "tooltip");
      on(tip, "mouseenter", () => clearTimeout(timer));
      on(tip, "mouseleave", () => later(hide, 300));
      (document.querySelector("main") || document.body).append(tip);
    }
    tip.replaceChildren(el("strong", "", p.t));
    const meta = [p.d, (p.c || []).join(", ")].filter(Boolean).join(" · ");
    if (meta) tip.append(el("span", "lp-meta", meta));
    if (p.s) tip.append(el("p", "", p.s));
    tip.hidden = false;
    open = a;
    a.setAttribute("aria-describedby", tip.id);
    // Below the link (above if no room), never over it, on screen.
    const r = a.getBoundingClientRect(), h = tip.offsetHeight;
    let top = r.bottom + 6;
    if (top + h > innerHeight && r.top > h + 6) top = r.top - h - 6;
    const right = document.documentElement.clientWidth - tip.offsetWidth - 8;
    tip.style.left = scrollX + Math.max(8, Math.min(r.left, right)) + "px";
    tip.style.top = scrollY + top + "px";
  };
  for (const a of document.querySelectorAll(".entry-content a[href]")) {
    const k = key(a);
    if (k === null || !map[k]) continue;
    a.dataset.preview = k;
    on(a, "mouseenter", () => later(() => show(a), 300));
    on(a, "mouseleave", () => later(hide, 300));
    on(a, "focus", () => show(a));
    on(a, "blur", hide);
    // Touch: a long press shows the preview instead of following the link.
    on(a, "touchstart", () => later(() => { show(a); pressed = a; }, 500));
    on(a, "touchmove", () => clearTimeout(timer));
    on(a, "touchend", (e) => { clearTimeout(timer); if (pressed === a) e.preventDefault(); pressed = null; });
    on(a, "contextmenu", (e) => { if (pressed === a) e.preventDefault(); });
  }
  on(document, "keydown", (e) => { if (e.key === "Escape" && open) hide(); });
  on(document, "touchstart", (e) => { if (open && !open.contains(e.target)) hide(); });
})();
