// The script switch (简体 / 繁體). The links work without JS; this only remembers the
// reader's choice and, on the home page alone, opens the edition they chose last time.
// Never a trap: the choice is stored when the reader clicks a switch, so the page they
// switch to never sends them back; location.replace keeps the redirecting page out of
// the history, so Back does not bounce; ?script=stay (or no localStorage) stays put.
(function () {
  var KEY = "duben-script";
  var me = document.currentScript;
  var lang = document.documentElement.lang;
  function read() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  function store(v) { try { localStorage.setItem(KEY, v); } catch (e) { /* private mode */ } }
  var links = document.querySelectorAll(".script-switch a[data-script]");
  Array.prototype.forEach.call(links, function (a) {
    a.addEventListener("click", function () { store(a.getAttribute("data-script")); });
  });
  if (!me || me.getAttribute("data-home") !== "true") return;
  if (/[?&]script=stay\b/.test(location.search)) { store(lang); return; }
  var want = read();
  if (!want || want === lang) return;
  var target = document.querySelector('.script-switch a[data-script="' + want + '"]');
  if (target) location.replace(target.href);
})();
