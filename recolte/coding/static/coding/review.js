// Review queue keys: 1/2/3 (or a) accept, p picks another code, r rejects, n or → skips.
(function () {
  "use strict";
  const dialog = document.getElementById("pick-dialog");
  const filter = document.getElementById("pick-filter");
  const items = dialog ? Array.from(dialog.querySelectorAll("#pick-list li")) : [];

  function click(selector) {
    const target = document.querySelector(selector);
    if (target) target.click();
  }

  function openPicker() {
    if (!dialog) return;
    dialog.showModal();
    filter.value = "";
    applyFilter();
    filter.focus();
  }

  function applyFilter() {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const li of items) {
      li.hidden = !words.every((w) => li.dataset.text.includes(w));
    }
  }

  function firstVisibleButton() {
    const li = items.find((item) => !item.hidden && item.querySelector("button"));
    return li ? li.querySelector("button") : null;
  }

  if (dialog) {
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const button = firstVisibleButton();
      if (button) button.click();
    });
    document.getElementById("pick-close").addEventListener("click", () => dialog.close());
  }
  const openButton = document.getElementById("pick-open");
  if (openButton) openButton.addEventListener("click", openPicker);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (dialog && dialog.open) return;
    if (event.target.closest("input, textarea, select, [contenteditable=true]")) return;
    const key = event.key.toLowerCase();
    if (["1", "2", "3"].includes(key)) click(`[data-accept="${key}"]`);
    else if (key === "a") click('[data-accept="1"]');
    else if (key === "p") openPicker();
    else if (key === "r") click("#reject-button");
    else if (key === "n" || event.key === "ArrowRight") click("#skip-link");
    else return;
    event.preventDefault();
  });
})();
