// Live console enhancements; every control also works without this script.
(function () {
  "use strict";

  // "Record all yes" checks yes for every member present without reloading the page.
  document.querySelectorAll("[data-all-yes]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var form = document.getElementById(button.getAttribute("data-all-yes"));
      if (!form) { return; }
      event.preventDefault();
      form.querySelectorAll('input[type="radio"][value="yes"]').forEach(function (radio) {
        radio.checked = true;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      });
      var status = document.getElementById(form.id.replace("rollcall-form-", "all-yes-status-"));
      if (status) {
        status.textContent = "Every member present is marked yes. Change any vote, then record the roll call.";
      }
    });
  });

  // A recusal's conflict field shows only when "Recused" is chosen (or already filled in).
  document.querySelectorAll("[data-recusal]").forEach(function (box) {
    var base = box.getAttribute("data-recusal");
    var recused = document.getElementById(base + "-recused");
    var reason = document.getElementById(base + "-reason");
    if (!recused || !reason) { return; }
    var update = function () { box.hidden = !recused.checked && reason.value === ""; };
    box.closest("fieldset").addEventListener("change", update);
    update();
  });

  // A second click on a submit button while the first submit is on its way sends nothing
  // (the server refuses a second roll call anyway); coming back to the page re-arms the forms.
  document.querySelectorAll('.console form[method="post"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); }
      form.dataset.sent = "yes";
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll(".console form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
    });
  });

  // After a refusal, move focus to the summary of what went wrong.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());
