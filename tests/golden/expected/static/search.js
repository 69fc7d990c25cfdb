// Pressroom search: the index of this site (made by generator/build/search.py, in parts by year
// under /pagefind/) searched in the browser. No third-party requests, no eval, no WebAssembly.
//
// A query word matches a release when, after normalizing and stemming (the twins of
// generator/build/search_german.py, below):
// - a word of the release has the same stem ("Einbrüche" → "einbruch"), or
// - a word of the release begins with it ("Einsatz" → "Einsatzkräfte"; also while typing), or
// - a compound of the release ends in it ("Einbruch" → "Wohnungseinbruch"), but only when what
//   comes before that part is a word in the same year's releases ("Wohnung"; decided at build
//   time), or when the query word also occurs as a word (or the beginning of one) by itself
//   somewhere in the index, so that fragments ("ferenz") never match.
// Stop words are dropped from the query; all remaining words must match. Ranking: exact
// stems before beginnings before compound parts, the title before the text, then the newest.

const form = document.getElementById("search-form");
const fallback = document.getElementById("search-fallback");
const fallbackText = document.getElementById("search-fallback-text");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const query = document.getElementById("search-q");
const filterBox = document.getElementById("search-filters");
const activeFilters = document.getElementById("search-filters-active");
const more = document.getElementById("search-more");
const selects = Array.from(form.querySelectorAll("select[data-filter]"));
const SHOWN = 50;
const DEBOUNCE_MS = 200;
const EXCERPT_WORDS = 30;

// ---------------------------------------------------------------- German words (twins of search_german.py)

const MAX_WORD = 40;
const MIN_HEAD = 4;
const MIN_MODIFIER = 3;
const VOWELS = new Set("aeiouy");
const S_ENDING = new Set("bdfghklmnrt");
const ST_ENDING = new Set("bdfghklmnt");
const ASCII_WORD = /^[a-z]+$/;
const TOKEN = /[\p{L}\p{N}]+/gu;
let STOP = new Set();

export function normalize(text) {
  return text.toLowerCase().replaceAll("ß", "ss").normalize("NFD").replace(/[\u0300-\u036f]+/g, "");
}

export function words(text) {
  return (normalize(text).match(TOKEN) || []).filter((w) => Array.from(w).length <= MAX_WORD);
}

function regions(s) {
  const end = s.length;
  if (end < 3) return [end, end];
  const after = (start) => {
    let i = start;
    while (i < end && !VOWELS.has(s[i])) i++;
    while (i < end && VOWELS.has(s[i])) i++;
    return i < end ? i + 1 : end;
  };
  const r1 = after(0);
  const r2 = r1 < end ? after(r1) : end;
  return [Math.max(r1, 3), r2];
}

const stems = new Map();

export function stem(word) {
  if (!ASCII_WORD.test(word)) return word;
  const known = stems.get(word);
  if (known !== undefined) return known;
  const chars = word.split("");
  for (let i = 1; i < chars.length - 1; i++) {
    if ((chars[i] === "u" || chars[i] === "y") && VOWELS.has(chars[i - 1]) && VOWELS.has(chars[i + 1])) {
      chars[i] = chars[i].toUpperCase();
    }
  }
  let s = chars.join("");
  const [p1, p2] = regions(s);
  const ends = (suffixes) => suffixes.find((suffix) => s.endsWith(suffix));
  // Step 1
  let found = ends(["ern", "em", "er", "en", "es", "e", "s"]);
  if (found !== undefined && s.length - found.length >= p1) {
    if (found === "em" || found === "ern" || found === "er") {
      s = s.slice(0, -found.length);
    } else if (found === "e" || found === "en" || found === "es") {
      s = s.slice(0, -found.length);
      if (s.endsWith("niss")) s = s.slice(0, -1);
    } else if (s.length >= 2 && S_ENDING.has(s[s.length - 2])) {
      s = s.slice(0, -1);
    }
  }
  // Step 2
  found = ends(["est", "en", "er", "st"]);
  if (found !== undefined && s.length - found.length >= p1) {
    if (found !== "st") {
      s = s.slice(0, -found.length);
    } else if (s.length >= 3 && ST_ENDING.has(s[s.length - 3]) && s.length - 3 >= 3) {
      s = s.slice(0, -2);
    }
  }
  // Step 3 (d-suffixes)
  found = ends(["isch", "lich", "heit", "keit", "end", "ung", "ig", "ik"]);
  if (found !== undefined && s.length - found.length >= p2) {
    const start = s.length - found.length;
    if (found === "end" || found === "ung") {
      s = s.slice(0, start);
      if (s.endsWith("ig") && !s.endsWith("eig") && s.length - 2 >= p2) s = s.slice(0, -2);
    } else if (found === "ig" || found === "ik" || found === "isch") {
      if (!s.slice(0, start).endsWith("e")) s = s.slice(0, start);
    } else if (found === "lich" || found === "heit") {
      s = s.slice(0, start);
      if ((s.endsWith("er") || s.endsWith("en")) && s.length - 2 >= p1) s = s.slice(0, -2);
    } else {
      s = s.slice(0, start);
      if (s.endsWith("lich") && s.length - 4 >= p2) s = s.slice(0, -4);
      else if (s.endsWith("ig") && s.length - 2 >= p2) s = s.slice(0, -2);
    }
  }
  s = s.toLowerCase();
  stems.set(word, s);
  return s;
}

const hasVowel = (text) => Array.from(text).some((c) => VOWELS.has(c));

export function heads(word) {
  if (!ASCII_WORD.test(word) || word.length < MIN_MODIFIER + MIN_HEAD) return [];
  const own = stem(word);
  const found = [];
  for (let i = MIN_MODIFIER; i <= word.length - MIN_HEAD; i++) {
    const modifier = word.slice(0, i);
    const head = word.slice(i);
    if (!hasVowel(modifier) || !hasVowel(head)) continue;
    const part = stem(head);
    if (part !== own && part.length >= MIN_HEAD - 1 && !found.includes(part)) found.push(part);
  }
  return found;
}

// A part names its term files by the first `depth` characters of a term (0: one file, "all").
export function shardOf(term, depth = 2) {
  if (depth === 0) return "all";
  return Array.from(term).slice(0, depth).map((c) => (/^[a-z0-9]$/.test(c) ? c : "_")).join("");
}

// ---------------------------------------------------------------- the index

const bundle = form.dataset.bundle;
let parts = []; // [{name, key, meta, shards: Map, filters: Promise|null, docs: Map}]

function fetchJson(url) {
  return fetch(url).then((response) => {
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  });
}

function partFile(part, path) {
  return fetchJson(`${bundle}${part.name}/${path}?v=${part.key}`);
}

function shard(part, term) {
  const name = shardOf(term, part.meta.depth);
  if (!part.meta.shards.includes(name)) return Promise.resolve({ w: {}, h: {} });
  if (!part.shards.has(name)) part.shards.set(name, partFile(part, `terms/${name}.json`));
  return part.shards.get(name);
}

function filtersOf(part) {
  if (!part.filters) part.filters = partFile(part, "filters.json");
  return part.filters;
}

function docOf(part, doc) {
  const chunk = Math.floor(doc / part.meta.docs);
  if (!part.docs.has(chunk)) part.docs.set(chunk, partFile(part, `docs/${chunk}.json`));
  return part.docs.get(chunk).then((docs) => docs[doc - chunk * part.meta.docs]);
}

async function load() {
  const listing = await (await fetch(bundle + "parts.json", { cache: "no-cache" })).json();
  if (listing.format !== 2) throw new Error("unknown index format");
  STOP = new Set(listing.stop);
  parts = await Promise.all(listing.parts.map(async (p) => {
    const part = { name: p.name, key: p.key, shards: new Map(), filters: null, docs: new Map() };
    part.meta = await partFile(part, "part.json");
    return part;
  }));
}

// The query's words: stems, without stop words.
export function queryTerms(text) {
  const terms = [];
  for (const word of words(text)) {
    if (STOP.has(word)) continue;
    const term = stem(word);
    if (!terms.includes(term)) terms.push(term);
  }
  return terms;
}

const EXACT = 4;
const BEGINNING = 2;
const PART = 1;
const CONFIRMED = 32;

function flagScore(kind, flags) {
  const field = flags & 8 ? 5 : (flags & 7) ? 2 : 1;
  return kind * field * 10 + (flags & 7);
}

// For each term: in every part, doc → best score; `real` says whether the term is a word by itself.
async function matchTerm(term) {
  const tables = await Promise.all(parts.map((part) => shard(part, term)));
  const prefix = Array.from(term).length >= 2;
  let real = false;
  const perPart = tables.map((table) => {
    const scores = new Map();
    const add = (postings, kind) => {
      for (let i = 0; i < postings.length; i += 2) {
        const score = flagScore(kind, postings[i + 1]);
        if (!(scores.get(postings[i]) >= score)) scores.set(postings[i], score);
      }
    };
    for (const [word, postings] of Object.entries(table.w)) {
      if (word === term) { add(postings, EXACT); real = true; }
      else if (prefix && word.startsWith(term)) { add(postings, BEGINNING); real = true; }
    }
    return { scores, heads: table.h };
  });
  // Compound parts: those confirmed at build time (what comes before them is a word there too),
  // and any part when the query word is a word by itself somewhere.
  let confirmed = false;
  if (term.length >= MIN_HEAD) {
    for (const { scores, heads: table } of perPart) {
      for (const [head, postings] of Object.entries(table)) {
        if (!head.startsWith(term)) continue;
        for (let i = 0; i < postings.length; i += 2) {
          if (!real && !(postings[i + 1] & CONFIRMED)) continue;
          confirmed = true;
          const score = flagScore(PART, postings[i + 1]);
          if (!(scores.get(postings[i]) >= score)) scores.set(postings[i], score);
        }
      }
    }
  }
  return { term, real, parts: real || confirmed, scores: perPart.map((p) => p.scores) };
}

function chosenFilters() {
  const chosen = {};
  for (const select of selects) if (select.value) chosen[select.dataset.filter] = select.value;
  return chosen;
}

// The matching releases: {count, shown: the first SHOWN with their data}, best first, then newest.
export async function search(text, filters) {
  const terms = queryTerms(text || "");
  // Only stop words, or no word at all ("!!!"): nothing, rather than every release.
  if ((text || "").trim() && terms.length === 0) return { count: 0, shown: [] };
  const matched = await Promise.all(terms.map(matchTerm));
  const chosen = Object.entries(filters || {});
  const found = [];
  for (const [index, part] of parts.entries()) {
    let allowed = null;
    if (chosen.length) {
      const table = await filtersOf(part);
      for (const [name, value] of chosen) {
        const docs = new Set((table[name] || {})[value] || []);
        allowed = allowed === null ? docs : new Set([...allowed].filter((d) => docs.has(d)));
      }
    }
    const candidates = terms.length
      ? [...matched[0].scores[index].keys()]
      : Array.from({ length: part.meta.count }, (_, doc) => doc);
    for (const doc of candidates) {
      if (allowed !== null && !allowed.has(doc)) continue;
      let score = 0;
      let all = true;
      for (const m of matched) {
        const s = m.scores[index].get(doc);
        if (s === undefined) { all = false; break; }
        score += s;
      }
      if (all) found.push({ part: index, doc, score });
    }
  }
  found.sort((a, b) => b.score - a.score || a.part - b.part || a.doc - b.doc);
  const shown = await withData(found.slice(0, SHOWN), matched);
  return { count: found.length, shown, rest: found.slice(SHOWN), terms: matched };
}

function withData(hits, matched) {
  return Promise.all(hits.map(async (hit) => {
    const [url, title, date, body] = await docOf(parts[hit.part], hit.doc);
    return { ...hit, url, title, date, body, terms: matched };
  }));
}

// ---------------------------------------------------------------- excerpts

function wordMatches(word, matched) {
  const s = stem(word);
  for (const m of matched) {
    if (s === m.term || (Array.from(m.term).length >= 2 && s.startsWith(m.term))) return true;
    if (m.parts && m.term.length >= MIN_HEAD && heads(word).some((h) => h.startsWith(m.term))) return true;
  }
  return false;
}

// The words around the first hit in the text (its beginning if the hit is only in the title
// or in a name), with the hits marked; built as nodes, never as HTML.
export function excerpt(text, matched) {
  const tokens = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  const hits = tokens.map((t) => {
    const w = words(t[0]);
    return w.length > 0 && !STOP.has(w[0]) && matched.length > 0 && wordMatches(w[0], matched);
  });
  const first = Math.max(0, hits.indexOf(true));
  const from = Math.max(0, Math.min(first - 8, tokens.length - EXCERPT_WORDS));
  const to = Math.min(tokens.length, from + EXCERPT_WORDS);
  if (tokens.length === 0) return [];
  const nodes = [];
  if (from > 0) nodes.push(document.createTextNode("… "));
  let at = tokens[from].index;
  for (let i = from; i < to; i++) {
    const token = tokens[i];
    if (token.index > at) nodes.push(document.createTextNode(text.slice(at, token.index)));
    if (hits[i]) {
      const mark = document.createElement("mark");
      mark.textContent = token[0];
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(token[0]));
    }
    at = token.index + token[0].length;
  }
  if (to < tokens.length) nodes.push(document.createTextNode(" …"));
  else nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

// ---------------------------------------------------------------- the page

let latest = 0;
let remaining = { rest: [], terms: [], ticket: 0 };

// The next results after the first SHOWN; the first of them gets the focus, so a keyboard
// user reads on where the list grew.
async function showMore() {
  const { rest, terms, ticket } = remaining;
  const next = await withData(rest.slice(0, SHOWN), terms);
  if (ticket !== latest) return;
  const items = next.map(item);
  results.append(...items);
  remaining = { rest: rest.slice(SHOWN), terms, ticket };
  more.hidden = remaining.rest.length === 0;
  if (items.length) items[0].querySelector("a").focus();
}

function item(hit) {
  const li = document.createElement("li");
  li.className = "item";
  const heading = document.createElement("h2");
  heading.className = "item-title";
  const link = document.createElement("a");
  link.href = hit.url;
  link.textContent = hit.title;
  heading.append(link);
  li.append(heading);
  if (hit.date) {
    const meta = document.createElement("p");
    meta.className = "item-meta";
    meta.textContent = hit.date;
    li.append(meta);
  }
  const teaser = document.createElement("p");
  teaser.className = "item-teaser";
  teaser.append(...excerpt(hit.body, hit.terms));
  li.append(teaser);
  return li;
}

function remember(text, filters) {
  const params = new URLSearchParams();
  if (text) params.set("q", text);
  for (const [name, value] of Object.entries(filters)) params.set(name, value);
  const search = params.toString();
  history.replaceState(null, "", search ? "?" + search : window.location.pathname);
}

// The summary of the folded filters names the chosen ones, so a phone shows them without unfolding.
function showActiveFilters() {
  const labels = selects.filter((s) => s.value).map((s) => `${s.labels[0].textContent}: ${s.value}`);
  activeFilters.textContent = labels.length ? `(${labels.join(", ")})` : "";
}

async function run() {
  const ticket = ++latest;
  const text = query.value.trim();
  const filters = chosenFilters();
  remember(text, filters);
  showActiveFilters();
  more.hidden = true;
  if (!text && Object.keys(filters).length === 0) {
    results.replaceChildren();
    status.textContent = "";
    return;
  }
  const slow = setTimeout(() => { if (ticket === latest) status.textContent = form.dataset.searching; }, 400);
  const { shown, count, rest, terms } = await search(text, filters);
  clearTimeout(slow);
  if (ticket !== latest) return; // a newer search replaced this one
  results.replaceChildren(...shown.map(item));
  remaining = { rest, terms, ticket };
  more.hidden = rest.length === 0;
  status.textContent = count === 0 ? form.dataset.foundNone
    : count === 1 ? form.dataset.foundOne : form.dataset.foundMany.replace("{count}", String(count));
}

function fillFilters() {
  for (const select of selects) {
    const values = new Set();
    for (const part of parts) for (const [value] of part.meta.filters[select.dataset.filter] || []) values.add(value);
    const sorted = [...values];
    sorted.sort((a, b) => (select.dataset.filter === "year" ? b.localeCompare(a) : a.localeCompare(b, "de")));
    for (const value of sorted) select.add(new Option(value, value));
  }
}

async function start() {
  try {
    await load();
    fillFilters();
  } catch (error) {
    fallbackText.textContent = fallbackText.dataset.unavailable;
    return;
  }
  fallback.hidden = true;
  form.hidden = false;
  // Unfolded where there is room; on a phone folded, so that the first result is in view.
  filterBox.open = window.matchMedia("(min-width: 40rem)").matches;
  const params = new URLSearchParams(window.location.search);
  query.value = params.get("q") || "";
  for (const select of selects) {
    const wanted = params.get(select.name);
    if (wanted && Array.from(select.options).some((o) => o.value === wanted)) select.value = wanted;
  }
  let timer = null;
  query.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  for (const select of selects) select.addEventListener("change", run);
  more.addEventListener("click", showMore);
  if (query.value || selects.some((s) => s.value)) run();
  else showActiveFilters();
  document.documentElement.dataset.searchReady = "true";
}

if (form) start();
