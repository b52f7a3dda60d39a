/* Skip logic on the answering page: a question with data-show-if (the name of an earlier
   question's field) and data-show-values (the answers that show it, one per line) is hidden
   while that answer is not one of them; hidden questions also hide those hanging on them.
   Without JavaScript every question stays visible and the server ignores the unmet ones. */
(function () {
  "use strict";
  var form = document.querySelector("form#answers");
  if (!form) { return; }
  var dependents = form.querySelectorAll("[data-show-if]");
  if (!dependents.length) { return; }

  function answers(name) {
    var picked = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (field) {
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) { return; }
      if (field.type !== "hidden" && field.value) { picked.push(field.value); }
    });
    return picked;
  }
  function update() {
    var hidden = {};
    dependents.forEach(function (box) {  // in page order: conditions come first
      var on = box.dataset.showIf;
      var wanted = box.dataset.showValues.split("\n");
      var show = !hidden[on] && answers(on).some(function (v) { return wanted.indexOf(v) >= 0; });
      box.hidden = !show;
      box.querySelectorAll("[name]").forEach(function (field) {
        hidden[field.name] = !show;
        field.disabled = !show;  // not sent, not required while hidden
      });
    });
  }
  form.querySelectorAll(".condition").forEach(function (note) { note.hidden = true; });
  form.addEventListener("change", update);
  update();
})();
