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
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-citation no-print";
  button.textContent = "复制引文";
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(cite.textContent.trim()).then(function () {
      button.textContent = "已复制";
      setTimeout(function () { button.textContent = "复制引文"; }, 2000);
    });
  });
  cite.insertAdjacentElement("afterend", button);
})();
