// Searchable pickers: every <select data-picker> becomes a Tom Select (type to search, several
// choices without Ctrl-click). Without JavaScript the native select stays and posts the same.
// Content swapped in by HTMX is enhanced on `htmx:load`; other scripts adding rows call
// `window.recoltePickers(root)`.
(function () {
  var script = document.currentScript;
  var texts = {
    empty: script.dataset.noResults || "No match",
    remove: script.dataset.remove || "Remove",
  };

  function enhance(root) {
    if (typeof TomSelect === "undefined" || !root.querySelectorAll) return;
    var selects = root.matches && root.matches("select[data-picker]") ? [root] : [];
    root.querySelectorAll("select[data-picker]").forEach(function (s) { selects.push(s); });
    selects.forEach(function (select) {
      if (select.tomselect || select.closest("template")) return;
      var many = select.multiple;
      new TomSelect(select, {
        plugins: many ? { remove_button: { title: texts.remove } } : [],
        maxOptions: null, // long lists are the point: never cut the options off
        allowEmptyOption: !many,
        hidePlaceholder: true,
        closeAfterSelect: !many,
        // After a choice the search starts afresh for the next one (several choices in a row).
        onItemAdd: many ? function () {
          this.setTextboxValue("");
          this.refreshOptions(false);
        } : null,
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = texts.empty;
            return div;
          },
        },
      });
      // Tom Select points the <label> at its own input: the hidden select keeps the label's
      // name through aria-labelledby (screen readers and axe still reach it).
      var label = select.id && document.querySelector("label[for='" + select.id + "-ts-control']");
      if (label && label.id) select.setAttribute("aria-labelledby", label.id);
    });
  }

  // A person picker fills its form's organisation (the option's `data-organisation`).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-fills]")) return;
    var option = select.options[select.selectedIndex];
    var target = select.form && select.form.elements[select.dataset.fills];
    var value = option && option.dataset.organisation;
    if (!target || !value) return;
    if (target.tomselect) target.tomselect.setValue(value);
    else target.value = value;
  });

  window.recoltePickers = enhance;
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();
