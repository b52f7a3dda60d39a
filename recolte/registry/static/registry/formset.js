// Rows of a Django formset added and removed in the browser, without saving first.
// <table data-formset="PREFIX"> holds rows <tr data-formset-row>; <template data-formset-empty>
// holds the formset's empty form (names with __prefix__); a [data-formset-add] button adds one.
// A removed row leaves a gap in the numbering: Django ignores a missing (empty) form, and
// TOTAL_FORMS is never lowered so that no later row loses its number. A saved row is removed
// by ticking its DELETE box, which the server reads as before.
(function () {
  function removeRow(row) {
    var box = row.querySelector('input[type=checkbox][name$="-DELETE"]');
    if (box && row.dataset.saved !== undefined) {
      box.checked = true;
      row.hidden = true;
    } else {
      row.remove();
    }
  }

  function addRow(table) {
    var prefix = table.dataset.formset;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.querySelector('template[data-formset-empty="' + prefix + '"]');
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var body = table.tBodies[0];
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = body.lastElementChild;
    if (window.recoltePickers) window.recoltePickers(row);
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-formset-add]");
    if (add) {
      addRow(document.querySelector('table[data-formset="' + add.dataset.formsetAdd + '"]'));
      return;
    }
    var remove = event.target.closest("[data-formset-remove]");
    if (remove) removeRow(remove.closest("[data-formset-row]"));
  });

  // The buttons only work with this script: shown by it, absent for others.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset-add], [data-formset-remove]").forEach(function (b) {
      b.hidden = false;
    });
    document.querySelectorAll("[data-formset-nojs]").forEach(function (e) { e.hidden = true; });
  });
})();
