// Optional: adds a "复制引文" button after the citation. Without JS the citation is
// plain selectable text, so nothing depends on this file.
(function () {
  // The 引用日期 is the day the reader consults the page: today, in local time.
  var now = new Date();
  var today = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
    String(now.getDate()).padStart(2, "0");
  document.querySelectorAll(".cited-on").forEach(function (el) { el.textContent = today; });
  var cite = document.getElementById("citation");
  if (!cite || !navigator.clipboard) return;
  // The button speaks the page's script (this file is shared by both editions).
  var hant = document.documentElement.lang === "zh-Hant";
  var label = hant ? "複製引文" : "复制引文", done = hant ? "已複製" : "已复制";
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-citation no-print";
  button.textContent = label;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(cite.textContent.trim()).then(function () {
      button.textContent = done;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
  cite.insertAdjacentElement("afterend", button);
})();
