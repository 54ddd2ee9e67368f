// Live console enhancements; every control also works without this script (full page posts).
//
// With it: the console posts in the background and redraws itself in place (no page load);
// in a roll call, Y / N / A / R set the focused member's vote and move to the next member,
// Shift+Y marks every member present yes, and Enter records the roll call.
(function () {
  "use strict";

  var KEYS = { y: "yes", n: "no", a: "abstain", r: "recused" };
  var busy = false;

  function allYes(form) {
    // A presiding officer who votes only on a tie (or never) is marked "not voting" instead.
    form.querySelectorAll("fieldset.console-ballot").forEach(function (ballot) {
      var value = ballot.getAttribute("data-all-yes-value") || "yes";
      var radio = ballot.querySelector('input[type="radio"][value="' + value + '"]');
      if (radio) {
        radio.checked = true;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    var status = document.getElementById(form.id.replace("rollcall-form-", "all-yes-status-"));
    if (status) {
      status.textContent = "Every member present is marked yes. Change any vote, then record the roll call.";
    }
  }

  // The radio a keyboard user lands on in a member's row: the chosen value, else the first.
  function entry(row) {
    return row.querySelector('input[type="radio"]:checked') || row.querySelector('input[type="radio"]');
  }

  function onGridKey(event) {
    var radio = event.target;
    if (!(radio instanceof HTMLInputElement) || radio.type !== "radio") { return; }
    var row = radio.closest(".console-ballot");
    var form = radio.form;
    if (!row || !form || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (event.key === "Y" && event.shiftKey) {
      event.preventDefault();
      allYes(form);
      return;
    }
    var value = KEYS[event.key.toLowerCase()];
    if (!value || event.shiftKey) { return; }
    event.preventDefault();
    var choice = row.querySelector('input[type="radio"][value="' + value + '"]');
    if (!choice) { return; }
    choice.checked = true;
    choice.dispatchEvent(new Event("change", { bubbles: true }));
    if (value === "recused") {
      var reason = row.querySelector('input[type="text"]');
      if (reason) { reason.focus(); return; }
    }
    var rows = Array.prototype.slice.call(form.querySelectorAll(".console-ballot"));
    var next = rows[rows.indexOf(row) + 1];
    (next ? entry(next) : form.querySelector('button[type="submit"]')).focus();
  }

  function setUp(root) {
    root.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });

    // "Record all yes" checks yes for every member present without reloading the page.
    root.querySelectorAll("[data-all-yes]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        var form = document.getElementById(button.getAttribute("data-all-yes"));
        if (!form) { return; }
        event.preventDefault();
        allYes(form);
        var first = form.querySelector(".console-ballot");
        if (first) { entry(first).focus(); }
      });
    });

    // A recusal's conflict field shows only when "Recused" is chosen (or already filled in).
    root.querySelectorAll("[data-recusal]").forEach(function (box) {
      var base = box.getAttribute("data-recusal");
      var recused = document.getElementById(base + "-recused");
      var reason = document.getElementById(base + "-reason");
      if (!recused || !reason) { return; }
      var update = function () { box.hidden = !recused.checked && reason.value === ""; };
      box.closest("fieldset").addEventListener("change", update);
      update();
    });

    root.querySelectorAll("form[id^='rollcall-form-']").forEach(function (form) {
      form.addEventListener("keydown", onGridKey);
    });

    // Posts go in the background; a second submit while one is on its way sends nothing.
    root.querySelectorAll('.console form[method="post"]').forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (busy) { return; }
        post(form, event.submitter);
      });
    });

    // Moving between items redraws in place too.
    root.querySelectorAll("a[data-console-nav], form.console-item-picker").forEach(function (el) {
      el.addEventListener(el.tagName === "A" ? "click" : "submit", function (event) {
        event.preventDefault();
        var url = el.tagName === "A" ? el.href
          : el.action.split("#")[0] + "?" + new URLSearchParams(new FormData(el)).toString() + "#item";
        load(url, 200);
      });
    });

    // After a refusal, move focus to the summary of what went wrong.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  // While a post or a redraw is on its way the console says so (and tests wait for it).
  function working() {
    var here = document.querySelector(".console");
    if (here) { here.setAttribute("aria-busy", "true"); }
  }

  function post(form, submitter) {
    busy = true;
    working();
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Agenda-Fetch": "1" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("application/json") === 0) {
        return response.json().then(function (answer) { return load(answer.to, 200); });
      }
      // A refusal: the page as the server drew it, with the messages beside the fields.
      return response.text().then(function (html) { draw(html, form.action, response.status); });
    }).catch(function () {
      busy = false;
      HTMLFormElement.prototype.submit.call(form);  // the network failed: fall back to a full page post
    });
  }

  function load(url, status) {
    busy = true;
    working();
    return fetch(url, { credentials: "same-origin", headers: { "X-Agenda-Fetch": "1" } })
      .then(function (response) { return response.text().then(function (html) {
        draw(html, url, status === 200 ? response.status : status);
      }); })
      .catch(function () { window.location.assign(url); });
  }

  function draw(html, url, status) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var fresh = next.querySelector(".console");
    var here = document.querySelector(".console");
    if (!fresh || !here) { window.location.assign(url); return; }
    here.replaceWith(fresh);
    // The messages go into the page's own status region, so screen readers announce them.
    var flashes = document.getElementById("flashes");
    var said = next.getElementById("flashes");
    if (flashes) { flashes.innerHTML = said ? said.innerHTML : ""; }
    document.title = next.title;
    var hash = url.indexOf("#") >= 0 ? url.slice(url.indexOf("#")) : "";
    if (status < 400) { history.replaceState(null, "", url); }
    busy = false;
    setUp(fresh);
    var target = status < 400 && hash ? document.getElementById(hash.slice(1)) : null;
    if (target) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    } else if (!document.getElementById("error-summary")) {
      fresh.querySelector("h1").focus();
    }
    document.dispatchEvent(new CustomEvent("console:drawn", { detail: { status: status } }));
  }

  window.addEventListener("pageshow", function () { busy = false; });
  setUp(document);
}());
