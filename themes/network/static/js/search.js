// search.html: runs Pagefind's JS API on the form's words and filters, shows the results, and keeps
// the address (?q=&concept=&year=) in step, so a search can be bookmarked, shared and reloaded.
// Loaded only by search.html (a module: deferred, strict). Results are built with DOM calls, never
// from HTML strings, except Pagefind's excerpt, from which only text and <mark> are kept.

const PAGE_SIZE = 20;
const DEBOUNCE_MS = 250;

const root = document.querySelector("[data-search]");
const form = root.querySelector("form.search-form");
const input = form.elements.q;
const selects = { concept: form.elements.concept, year: form.elements.year };
const status = root.querySelector("[data-search-status]");
const list = root.querySelector("[data-search-results]");
const more = root.querySelector("[data-search-more]");
const bundle = new URL(root.dataset.pagefindBundle, document.baseURI);
const baseTitle = document.title;
const dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
  { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

let pagefind = null;
let shown = [];   // the results of the current search, not yet loaded past `rendered`
let rendered = 0;
let generation = 0;  // a newer search makes the results of an older one stale

root.querySelector("[data-search-nojs]").hidden = true;

async function load() {
  if (!pagefind) {
    pagefind = await import(new URL("pagefind.js", bundle).href);
    // Result URLs are site-relative: root them where the site lives (the bundle's parent folder).
    await pagefind.options({ baseUrl: new URL("..", bundle).pathname, excerptLength: 30 });
    await pagefind.init();
  }
  return pagefind;
}

function state() {
  const filters = {};
  for (const [name, select] of Object.entries(selects)) if (select.value) filters[name] = select.value;
  return { q: input.value.trim(), filters };
}

function syncAddress({ q, filters }) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  for (const [name, value] of Object.entries(filters)) params.set(name, value);
  const query = params.toString();
  history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
}

function fromAddress() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const [name, select] of Object.entries(selects)) {
    const value = params.get(name) || "";
    select.value = [...select.options].some((o) => o.value === value) ? value : "";
  }
}

// Pagefind's excerpt is HTML: keep its text and its <mark>s, drop anything else.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = [];
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) out.push(document.createTextNode(node.textContent));
    else if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.push(mark);
    } else out.push(document.createTextNode(node.textContent));
  }
  return out;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function resultItem(data) {
  const li = el("li", "search-result");
  const title = el("h2", "search-result__title");
  const link = el("a", "", (data.meta && data.meta.title) || data.url);
  link.href = data.url;
  title.append(link);
  li.append(title);
  const iso = data.meta && data.meta.date;
  if (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const meta = el("p", "search-result__date");
    const time = el("time", "", dateFormat.format(new Date(iso + "T00:00:00Z")));
    time.dateTime = iso;
    meta.append(time);
    li.append(meta);
  }
  const excerpt = el("p", "search-result__excerpt");
  excerpt.append(...excerptNodes(data.excerpt || ""));
  li.append(excerpt);
  const concepts = (data.filters && data.filters.concept) || [];
  if (concepts.length) {
    li.append(el("p", "search-result__concepts", "Concepts: " + [...concepts].sort().join(", ")));
  }
  return li;
}

async function renderMore(mine) {
  const batch = shown.slice(rendered, rendered + PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (mine !== generation) return;
  list.append(...data.map(resultItem));
  rendered += batch.length;
  more.hidden = rendered >= shown.length;
}

function describe({ q, filters }, count) {
  const parts = [`${count} result${count === 1 ? "" : "s"}`];
  if (q) parts.push(`for “${q}”`);
  if (filters.concept) parts.push(`on ${filters.concept}`);
  if (filters.year) parts.push(`from ${filters.year}`);
  return parts.join(" ") + ".";
}

async function run({ debounce = false } = {}) {
  const mine = ++generation;
  const current = state();
  syncAddress(current);
  document.title = current.q ? `${current.q} — ${baseTitle}` : baseTitle;
  if (!current.q && !Object.keys(current.filters).length) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    return;
  }
  let api;
  try {
    api = await load();
  } catch (error) {
    status.textContent = "The search index could not be loaded. Use the A–Z index or the archives instead.";
    root.querySelector("[data-search-nojs]").hidden = false;
    return;
  }
  const options = { filters: current.filters };
  const search = debounce ? await api.debouncedSearch(current.q || null, options, DEBOUNCE_MS)
    : await api.search(current.q || null, options);
  if (search === null || mine !== generation) return;  // superseded by a newer search
  shown = search.results;
  rendered = 0;
  list.replaceChildren();
  await renderMore(mine);
  if (mine === generation) status.textContent = describe(current, shown.length);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
input.addEventListener("input", () => run({ debounce: true }));
for (const select of Object.values(selects)) select.addEventListener("change", () => run());
more.querySelector("button").addEventListener("click", () => renderMore(generation));
addEventListener("popstate", () => { fromAddress(); run(); });

fromAddress();
run();
