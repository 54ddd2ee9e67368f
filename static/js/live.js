// A meeting in session, kept up to date in place; without this script the page reloads
// itself every 30 seconds (a <noscript> refresh).
//
// Every 5 seconds the page asks its own address again with the last ETag: the server answers
// 304 while nothing changed. On a 200 it refreshes the live panel (only the slots that
// changed, so aria-live announces the new results and not the whole panel), the attendance
// and the agenda items whose content changed, keeping focus and the scroll position.
// Once the page is no longer in session it refreshes one last time and stops.
(function () {
  "use strict";

  var EVERY_MS = 5000;
  var panel = document.getElementById("live");
  if (!panel || !window.fetch || !window.DOMParser) { return; }
  var etag = null;
  var timer = null;
  var asking = false;
  var stopped = false;

  function same(a, b) {
    return a.innerHTML === b.innerHTML && a.hidden === b.hidden;
  }

  // The newest results: keep the rows already shown, add the new ones in their place.
  function mergeResults(shown, fresh) {
    var wanted = Array.prototype.slice.call(fresh.children);
    var keep = {};
    wanted.forEach(function (row) { keep[row.id] = true; });
    Array.prototype.slice.call(shown.children).forEach(function (row) {
      if (!keep[row.id]) { shown.removeChild(row); }
    });
    wanted.forEach(function (row, i) {
      var old = document.getElementById(row.id);
      var node = old && old.parentNode === shown ? old : document.importNode(row, true);
      if (node !== old) { node.classList.add("live-new"); }
      if (old && !same(old, row)) { old.innerHTML = row.innerHTML; old.className = row.className; }
      if (shown.children[i] !== node) { shown.insertBefore(node, shown.children[i] || null); }
    });
  }

  function refreshPanel(fresh) {
    Array.prototype.forEach.call(panel.querySelectorAll("[data-live-slot]"), function (slot) {
      var name = slot.getAttribute("data-live-slot");
      var next = fresh.querySelector('[data-live-slot="' + name + '"]');
      if (!next) { return; }
      if (name === "results") { mergeResults(slot, next); return; }
      if (!same(slot, next)) { slot.innerHTML = next.innerHTML; slot.hidden = next.hidden; }
    });
  }

  function endPanel() {
    var current = panel.querySelector('[data-live-slot="current"]');
    var note = panel.querySelector('[data-live-slot="note"]');
    if (current) { current.textContent = panel.getAttribute("data-ended"); }
    if (note) { note.hidden = true; }
    panel.classList.add("live-ended");
  }

  // Where focus is, as something that survives a replacement: an id, or the nth control
  // of its kind under the nearest element that has an id.
  function focusMark() {
    var el = document.activeElement;
    if (!el || el === document.body) { return null; }
    if (el.id) { return { id: el.id }; }
    var holder = el.parentElement && el.parentElement.closest("[id]");
    if (!holder) { return null; }
    var kin = holder.querySelectorAll(el.tagName);
    return { holder: holder.id, tag: el.tagName, index: Array.prototype.indexOf.call(kin, el) };
  }

  function restoreFocus(mark) {
    if (!mark || document.activeElement && document.activeElement !== document.body) { return; }
    var el = null;
    if (mark.id) {
      el = document.getElementById(mark.id);
    } else {
      var holder = document.getElementById(mark.holder);
      el = holder ? holder.querySelectorAll(mark.tag)[mark.index] : null;
    }
    if (el) { el.focus({ preventScroll: true }); }
  }

  // The first element with an id at or below the top of the window, and where it stands.
  function scrollMark() {
    var candidates = document.querySelectorAll("main [id]");
    for (var i = 0; i < candidates.length; i++) {
      var top = candidates[i].getBoundingClientRect().top;
      if (top >= 0) { return { id: candidates[i].id, top: top }; }
    }
    return null;
  }

  function restoreScroll(mark) {
    var el = mark && document.getElementById(mark.id);
    if (el) { window.scrollBy(0, el.getBoundingClientRect().top - mark.top); }
  }

  function replacePart(part, fresh) {
    if (part.getAttribute("data-live-part") !== "agenda") {
      if (!same(part, fresh)) { part.innerHTML = fresh.innerHTML; }
      return;
    }
    var items = part.querySelectorAll(".item[id]");
    var next = fresh.querySelectorAll(".item[id]");
    var ids = function (list) { return Array.prototype.map.call(list, function (n) { return n.id; }).join(); };
    if (ids(items) !== ids(next)) {
      part.innerHTML = fresh.innerHTML;
      return;
    }
    Array.prototype.forEach.call(next, function (item, i) {
      if (!same(items[i], item)) { items[i].innerHTML = item.innerHTML; }
    });
  }

  function apply(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var focus = focusMark();
    var scroll = scrollMark();
    Array.prototype.forEach.call(document.querySelectorAll("[data-live-part]"), function (part) {
      var next = fresh.querySelector('[data-live-part="' + part.getAttribute("data-live-part") + '"]');
      if (next) { replacePart(part, next); }
    });
    var freshPanel = fresh.getElementById("live");
    if (freshPanel) { refreshPanel(freshPanel); } else { endPanel(); stopped = true; }
    restoreScroll(scroll);
    restoreFocus(focus);
  }

  function poll() {
    timer = null;
    if (stopped || asking) { return; }
    if (document.hidden) { return; }  // asked again as soon as the page is seen
    asking = true;
    var headers = { "Accept": "text/html" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(window.location.pathname + window.location.search, {
      headers: headers, cache: "no-store", credentials: "same-origin", redirect: "error"
    }).then(function (response) {
      if (response.status === 200) {
        etag = response.headers.get("ETag") || etag;
        return response.text().then(apply);
      }
      if (response.status === 404) { stopped = true; }
      return null;
    }).catch(function () {
      // A network hiccup: try again at the next turn.
    }).then(function () {
      asking = false;
      schedule();
    });
  }

  function schedule() {
    if (!stopped && timer === null) { timer = window.setTimeout(poll, EVERY_MS); }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !stopped && !asking && timer === null) { poll(); }
  });
  schedule();
}());
