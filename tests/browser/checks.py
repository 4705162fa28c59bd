"""What the browser tests measure in a loaded page: axe-core, SVG label sizes, clipping, sideways scrolling, Tab order."""

from __future__ import annotations

from tools import browser

# Every axe-core rule of every impact, WCAG-tagged or best practice: "zero violations" means all of them.
AXE_RUN = """async (rules) => {
  const options = {resultTypes: ["violations"]};
  if (rules) options.runOnly = {type: "rule", values: rules};
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => {
      const el = document.querySelector(n.target[0]);
      return {target: n.target.join(" "), html: n.html.slice(0, 160),
              summary: (n.failureSummary || "").split("\\n").slice(0, 3).join(" "),
              // inside the author's own HTML: a post's text or a listing's summary of it
              in_content: !!(el && el.closest(".entry-content, .e-content, .summary__text"))};
    })
  }));
}"""


# The dark scheme changes colours only (main.css's prefers-color-scheme block sets custom properties):
# in it, only the rules that read colours can find anything the light run did not.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # the colour rules axe runs by default


def axe_violations(page, rules: list[str] | None = None) -> list[dict]:
    """axe-core's violations in `page` as loaded; every rule, or only `rules`."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(browser.AXE_JS))
    if rules:
        known = set(page.evaluate("axe.getRules().map(r => r.ruleId)"))
        rules = [r for r in rules if r in known]
    return page.evaluate(AXE_RUN, rules or None)


def axe_both_schemes(page) -> dict[str, list[dict]]:
    """{scheme: violations}: every rule in light, the colour rules again in dark."""
    page.emulate_media(color_scheme="light")
    found = {"light": axe_violations(page)}
    page.emulate_media(color_scheme="dark")
    found["dark"] = axe_violations(page, COLOUR_RULES)
    return found


def describe(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['summary']}  [{n['html']}]" for n in v["nodes"][:5]]
    return "\n".join(lines)


# Rendered size of every visible SVG text label, in CSS px: the computed font size (user units)
# times the scale of the text's screen transformation (viewBox scaling, transforms).
SVG_LABEL_SIZES = """() => {
  const out = [];
  for (const t of document.querySelectorAll("svg text")) {
    if (!t.textContent.trim()) continue;
    const box = t.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const style = getComputedStyle(t);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const m = t.getScreenCTM();
    const scale = m ? Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) : 1;
    out.push({size: parseFloat(style.fontSize) * scale, text: t.textContent.trim().slice(0, 40),
              figure: (t.closest("figure") || {}).className || ""});
  }
  return out;
}"""

# Every SVG and figure lies within the viewport, and nothing inside a figure scrolls sideways.
CLIPPED = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll("main svg, main figure")) {
    if (el.closest("svg") && el.tagName.toLowerCase() === "svg" && el.parentElement.closest("svg")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    const name = el.tagName.toLowerCase() + "." + (el.getAttribute("class") || "").split(" ").join(".");
    if (r.left < -0.5 || r.right > vw + 0.5) out.push(`${name} spans ${Math.round(r.left)}..${Math.round(r.right)} px of ${vw}`);
    if (el.tagName.toLowerCase() === "figure") {
      for (const box of [el, ...el.querySelectorAll("*")]) {
        if (box.closest("svg") && box.tagName.toLowerCase() !== "svg") continue;
        if (box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible")
          out.push(`${name}: ${box.tagName.toLowerCase()}.${box.className.baseVal ?? box.className} scrolls sideways (${box.scrollWidth} > ${box.clientWidth})`);
      }
    }
  }
  return out;
}"""

SIDEWAYS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"

# One Tab stop: what has focus, where it sits, its accessible text, and a number given to the
# element the first time it gets focus (so a second visit shows as the same number).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  window.__tabCount = window.__tabCount || 0;
  const first = el.getAttribute("data-tab-stop") === null;
  if (first) el.setAttribute("data-tab-stop", String(window.__tabCount++));
  const raw = el.getAttribute("href") || el.getAttribute("xlink:href") || "";
  const region = el.closest("figure, section, nav, header, footer, details");
  return {n: Number(el.getAttribute("data-tab-stop")), first, tag: el.tagName.toLowerCase(),
          href: raw ? new URL(raw, location.href).href : "",
          cls: el.getAttribute("class") || "", in_svg: !!el.closest("svg"), in_figure: !!el.closest("figure"),
          name: (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60),
          region: region ? region.tagName.toLowerCase() + "." + (region.getAttribute("class") || "").split(" ")[0] : ""};
}"""


def tab_stops(page, limit: int = 500) -> list[dict]:
    """Press Tab from the top of the page until focus leaves the page or comes round to a stop seen before."""
    page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or not stop["first"]:
            break
        stops.append(stop)
    return stops
