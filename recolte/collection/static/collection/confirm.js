/* Ask before a form marked data-confirm is sent (closing a campaign, withdrawing a link). */
document.addEventListener("submit", function (event) {
  "use strict";
  var message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
