// Pressroom search: a plain form over the Pagefind index of this site. No third-party requests:
// the index and pagefind.js are served from the site itself (/pagefind/<year>/).
const form = document.getElementById("search-form");
const fallback = document.getElementById("search-fallback");
const fallbackText = document.getElementById("search-fallback-text");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const query = document.getElementById("search-q");
const selects = Array.from(form.querySelectorAll("select[data-filter]"));
const SHOWN = 50;

let pagefind = null;

async function start() {
  try {
    // The index comes in parts, one per year, newest first: load the newest, merge the rest.
    const response = await fetch(form.dataset.bundle + "parts.json");
    if (!response.ok) throw new Error("no search index");
    const [newest, ...older] = await response.json();
    pagefind = await import(form.dataset.bundle + newest + "/pagefind.js");
    await pagefind.options({ basePath: form.dataset.bundle + newest + "/", baseUrl: form.dataset.base,
      excerptLength: 30 });
    for (const part of older) await pagefind.mergeIndex(form.dataset.bundle + part + "/", { baseUrl: form.dataset.base });
    await pagefind.init();
    await fillFilters(await pagefind.filters());
  } catch (error) {
    fallbackText.textContent = fallbackText.dataset.unavailable;
    return;
  }
  fallback.hidden = true;
  form.hidden = false;
  const params = new URLSearchParams(window.location.search);
  query.value = params.get("q") || "";
  for (const select of selects) {
    const wanted = params.get(select.name);
    if (wanted && Array.from(select.options).some((o) => o.value === wanted)) select.value = wanted;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(true);
  });
  for (const select of selects) select.addEventListener("change", () => run(true));
  if (query.value || selects.some((s) => s.value)) run(false);
}

async function fillFilters(filters) {
  for (const select of selects) {
    const values = Object.keys(filters[select.dataset.filter] || {});
    values.sort((a, b) => (select.dataset.filter === "year" ? b.localeCompare(a) : a.localeCompare(b, "de")));
    for (const value of values) select.add(new Option(value, value));
  }
}

function chosenFilters() {
  const chosen = {};
  for (const select of selects) if (select.value) chosen[select.dataset.filter] = select.value;
  return chosen;
}

async function run(remember) {
  const text = query.value.trim();
  const filters = chosenFilters();
  if (remember) {
    const params = new URLSearchParams();
    if (text) params.set("q", text);
    for (const [name, value] of Object.entries(filters)) params.set(name, value);
    const search = params.toString();
    history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }
  results.replaceChildren();
  if (!text && Object.keys(filters).length === 0) {
    status.textContent = "";
    return;
  }
  status.textContent = form.dataset.searching;
  const found = await pagefind.search(text || null, { filters });
  if (found === null) return; // a newer search replaced this one
  const data = await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
  for (const page of data) results.append(item(page));
  const count = found.results.length;
  status.textContent = count === 0 ? form.dataset.foundNone
    : count === 1 ? form.dataset.foundOne : form.dataset.foundMany.replace("{count}", String(count));
}

function item(page) {
  const li = document.createElement("li");
  li.className = "item";
  const heading = document.createElement("h2");
  heading.className = "item-title";
  const link = document.createElement("a");
  link.href = page.url;
  link.textContent = page.meta.title || page.url;
  heading.append(link);
  li.append(heading);
  if (page.meta.date) {
    const meta = document.createElement("p");
    meta.className = "item-meta";
    meta.textContent = page.meta.date;
    li.append(meta);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "item-teaser";
  excerpt.append(...highlighted(page.excerpt));
  li.append(excerpt);
  return li;
}

// Pagefind marks the hits with <mark>; everything else is text, so build nodes instead of using innerHTML.
function highlighted(excerpt) {
  const parsed = new DOMParser().parseFromString(excerpt, "text/html").body;
  const nodes = [];
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

start();
