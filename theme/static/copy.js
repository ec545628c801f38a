// Optional: adds a "复制引文" button after the citation. Without JS the citation is
// plain selectable text, so nothing depends on this file.
(function () {
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
