/* Ask before an irreversible or public action: a form, or the button that sends it, marked
   data-confirm (publish, unpublish, delete, close a campaign…). Forms sent by htmx use
   hx-confirm instead, since htmx sends them before this listener runs. */
document.addEventListener("submit", function (event) {
  "use strict";
  var button = event.submitter;
  var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
