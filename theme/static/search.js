// The search page: Pagefind's JS API over the index `build` wrote to pagefind/.
// A query typed in the other script is converted character by character with this
// edition's search/chars.json first, so 王树军 and 王樹軍 find the same article.
(function () {
  var box = document.getElementById("search");
  if (!box) return;
  var form = box.querySelector(".search-form");
  var input = form.querySelector("input[name=q]");
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".search-results");
  var filterBox = box.querySelector(".search-filters");
  var filterGroups = filterBox.querySelector(".search-filter-groups");
  var root = new URL(".", new URL(box.getAttribute("data-root"), location.href));
  // Every message comes from the page, written in the edition's script.
  function msg(name, values) {
    return box.getAttribute("data-" + name).replace(/\{(\w)\}/g, function (_, k) { return values[k]; });
  }
  var FILTER_NAMES = { column: msg("column", {}), series: msg("series", {}), page: msg("page", {}) };
  var chosen = {};
  var pagefind = null, chars = {}, words = [], latest = 0;

  input.value = new URLSearchParams(location.search).get("q") || "";

  function say(text) { status.textContent = text; }

  async function load() {
    if (location.protocol === "file:") {
      say(msg("file", {}));
      return false;
    }
    try {
      pagefind = await import(new URL("pagefind/pagefind.js", root).href);
      await pagefind.options({ baseUrl: root.pathname, excerptLength: 36 });
      var maps = await (await fetch(box.getAttribute("data-chars"))).json();
      chars = maps.chars;
      words = Object.keys(maps.words).sort(function (a, b) { return b.length - a.length; })
        .map(function (w) { return [w, maps.words[w]]; });
    } catch (e) {
      say(msg("noindex", {}));
      return false;
    }
    showFilters(await pagefind.filters());
    return true;
  }

  // Exception words first (longest first, each kept whole), then character by character.
  function toScript(query) {
    for (var i = 0; i < words.length; i++) {
      var parts = query.split(words[i][0]);
      if (parts.length > 1) {
        return parts.map(toScript).join(words[i][1]);
      }
    }
    return Array.from(query, function (c) { return chars[c] || c; }).join("");
  }

  function showFilters(all) {
    Object.keys(FILTER_NAMES).forEach(function (name) {
      var values = Object.keys(all[name] || {}).sort();
      if (!values.length) return;
      var group = document.createElement("div");
      group.className = "search-filter";
      var title = document.createElement("p");
      title.className = "search-filter-name";
      title.textContent = FILTER_NAMES[name];
      group.appendChild(title);
      values.forEach(function (value) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.addEventListener("change", function () {
          chosen[name] = Array.from(filterBox.querySelectorAll(
            'input[name="' + name + '"]:checked'), function (b) { return b.value; });
          run();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + "（" + all[name][value] + "）"));
        group.appendChild(label);
      });
      filterGroups.appendChild(group);
    });
    filterBox.hidden = !filterGroups.children.length;
    // Open on a wide screen; on a phone the list would push the results off screen.
    filterBox.open = window.matchMedia("(min-width: 40rem)").matches;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "search-result";
    if (data.meta.kicker) {
      var kicker = document.createElement("p");
      kicker.className = "item-kicker";
      kicker.textContent = data.meta.kicker;
      li.appendChild(kicker);
    }
    var line = document.createElement("p");
    line.className = "item-title-line";
    var a = document.createElement("a");
    a.className = "item-title";
    a.href = data.url;
    a.textContent = data.meta.title || data.url;
    line.appendChild(a);
    li.appendChild(line);
    if (data.meta.column) {
      var meta = document.createElement("p");
      meta.className = "item-meta";
      meta.textContent = FILTER_NAMES.column + "：" + data.meta.column;
      li.appendChild(meta);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.innerHTML = data.excerpt;  // Pagefind escapes the text and adds only <mark>
    li.appendChild(excerpt);
    return li;
  }

  async function run() {
    var raw = input.value.trim();
    var ticket = ++latest;
    // The old results stay until the new ones are ready: no blank flash while filtering.
    if (!raw) { list.replaceChildren(); say(""); return; }
    var query = toScript(raw);
    var filters = {};
    Object.keys(chosen).forEach(function (k) { if (chosen[k].length) filters[k] = { any: chosen[k] }; });
    var search = await pagefind.search(query, { filters: filters });
    // A character both scripts use (著, 乾) may be mapped the wrong way: when the
    // converted query finds nothing, the query as typed gets its chance.
    if (!search.results.length && query !== raw) {
      search = await pagefind.search(raw, { filters: filters });
      query = raw;
    }
    if (ticket !== latest) return;  // a newer query is running
    if (!search.results.length) {
      list.replaceChildren();
      say(msg("none", { q: raw }));
      return;
    }
    var shown = await Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    if (ticket !== latest) return;
    list.replaceChildren.apply(list, shown.map(item));
    say(msg("found", { n: search.results.length, q: raw })
        + (query !== raw ? msg("converted", { c: query }) : ""));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value.trim());
    history.replaceState(null, "", url);
    if (pagefind) run();
  });

  load().then(function (ok) { if (ok && input.value) run(); });
})();
