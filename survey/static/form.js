// Shows and hides questions live as their relevance rules say. The rules come from the server
// as JSON trees (data-rule) and are evaluated here exactly as the server does; without this
// script every question is shown and the server discards answers to questions that do not apply.
(function () {
  "use strict";
  var form = document.querySelector("form[data-known]");
  if (!form) { return; }
  var known = JSON.parse(form.getAttribute("data-known") || "{}");
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-item]"));

  function pageAnswers() {
    var answers = {};
    Object.keys(known).forEach(function (k) { answers[k] = known[k]; });
    items.forEach(function (box) {
      var id = box.getAttribute("data-item");
      if (box.hidden) { delete answers[id]; return; }
      var inputs = box.querySelectorAll("[name='" + id + "']");
      if (!inputs.length) { return; }
      var type = inputs[0].type;
      if (type === "checkbox") {
        var codes = [];
        inputs.forEach(function (i) { if (i.checked) { codes.push(i.value); } });
        answers[id] = codes.length ? codes : null;
      } else if (type === "radio") {
        var chosen = null;
        inputs.forEach(function (i) { if (i.checked) { chosen = i.value; } });
        answers[id] = chosen;
      } else {
        var text = inputs[0].value.trim();
        answers[id] = text === "" ? null : (isNaN(Number(text)) ? text : Number(text));
      }
    });
    return answers;
  }

  function blank(v) { return v === null || v === undefined || v === ""; }
  function truth(v) { return Array.isArray(v) ? v.length > 0 : !blank(v) && v !== false; }
  function compare(l, op, r) {
    if (blank(l) || blank(r)) { return op === "!=" && !(blank(l) && blank(r)); }
    if (typeof l === "number" || typeof r === "number") {
      var ln = Number(l), rn = Number(r);
      if (isNaN(ln) || isNaN(rn)) { return op === "!="; }
      l = ln; r = rn;
    } else if (typeof l !== "string" || typeof r !== "string") { return op === "!="; }
    switch (op) {
      case "==": return l === r; case "!=": return l !== r;
      case "<": return l < r; case "<=": return l <= r;
      case ">": return l > r; case ">=": return l >= r;
    }
    return false;
  }
  function text(v) { return blank(v) ? "" : (Array.isArray(v) ? v.slice().sort().join(" ") : String(v)); }
  // The ODK functions of questionnaires/expressions.py, with the same meaning.
  function call(f, a) {
    switch (f) {
      case "count_selected": return Array.isArray(a[0]) ? a[0].length : (blank(a[0]) ? 0 : 1);
      case "string_length": return text(a[0]).length;
      case "regex": try { return new RegExp(a[1]).test(text(a[0])); } catch (e) { return false; }
      case "if": return truth(a[0]) ? a[1] : a[2];
      case "coalesce": return blank(a[0]) ? a[1] : a[0];
    }
    return false;
  }
  function value(node, answers) {
    switch (node.t) {
      case "lit": return node.v;
      case "name": return answers[node.id] === undefined ? null : answers[node.id];
      case "sel": var v = answers[node.id]; return Array.isArray(v) ? v.indexOf(node.code) >= 0 : v === node.code;
      case "call": return call(node.f, node.a.map(function (n) { return value(n, answers); }));
      case "not": return !truth(value(node.a, answers));
      case "and": return node.a.every(function (n) { return truth(value(n, answers)); });
      case "or": return node.a.some(function (n) { return truth(value(n, answers)); });
      case "cmp": return compare(value(node.l, answers), node.op, value(node.r, answers));
    }
    return false;
  }

  function update() {
    // In page order, so that a hidden question no longer counts for the ones after it.
    items.forEach(function (box) {
      var rule = box.getAttribute("data-rule");
      if (rule) { box.hidden = !truth(value(JSON.parse(rule), pageAnswers())); }
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
