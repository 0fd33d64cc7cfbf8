/* mtaudit reviewer report. Inlined into the page; the CSP pins it by hash.
 *
 * Every element is built with createElement/textContent from the JSON run embedded in the page:
 * article text is untrusted input and is never parsed as markup. Sentences are rendered in
 * chunks as the reviewer scrolls, so a run of thousands of sentences loads and filters quickly.
 */
(function () {
  "use strict";

  var SEVERITIES = ["critical", "major", "minor", "none"];
  var RTL = { ar: 1, arc: 1, ckb: 1, dv: 1, fa: 1, he: 1, iw: 1, ks: 1, ku: 0, ps: 1, sd: 1, ug: 1, ur: 1, yi: 1 };
  var CHUNK = 50;
  var CORRECTIONS_SCHEMA = "mtaudit.corrections/1";
  var PROGRESS_SCHEMA = "mtaudit.progress/1";
  var SVGNS = "http://www.w3.org/2000/svg";
  // Controls that would reorder or hide text: shown as visible tokens, never applied.
  var CTL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
  var CTL_NAMES = {
    "200E": "LEFT-TO-RIGHT MARK", "200F": "RIGHT-TO-LEFT MARK",
    "202A": "LEFT-TO-RIGHT EMBEDDING", "202B": "RIGHT-TO-LEFT EMBEDDING",
    "202C": "POP DIRECTIONAL FORMATTING", "202D": "LEFT-TO-RIGHT OVERRIDE",
    "202E": "RIGHT-TO-LEFT OVERRIDE", "2066": "LEFT-TO-RIGHT ISOLATE",
    "2067": "RIGHT-TO-LEFT ISOLATE", "2068": "FIRST STRONG ISOLATE",
    "2069": "POP DIRECTIONAL ISOLATE"
  };
  var TEXT_LABELS = {
    back_translation: ["Back-translation", "source"],
    round_trip: ["Round trip", "target"],
    forward_translation: ["Independent translation", "target"],
    suggestion: ["Suggested correction", "target"]
  };
  var TEXT_ORDER = ["back_translation", "round_trip", "forward_translation", "suggestion"];

  var payload = JSON.parse(document.getElementById("mtaudit-data").textContent);
  var RUN = payload.run || {};
  var META = payload.report || {};
  var DOCS = Array.isArray(RUN.documents) ? RUN.documents : [];
  var SIG = RUN.signature && typeof RUN.signature === "object" ? RUN.signature : {};
  /** Whether the round-trip comparison ran in this run (the only fidelity check without a source). */
  var ROUND_TRIP_RAN = (Array.isArray(SIG.signals) ? SIG.signals : []).some(function (s) {
    return s && s.ran === true && /round_trip$/.test(String(s.name));
  });

  /* ---------- small helpers ---------- */

  function str(v) { return v === null || v === undefined ? "" : String(v); }

  function hex(ch) {
    var h = ch.charCodeAt(0).toString(16).toUpperCase();
    while (h.length < 4) { h = "0" + h; }
    return h;
  }

  /** A 0-based position from the JSON shown 1-based, as people count ("?" when absent). */
  function humanNumber(v) { return typeof v === "number" && isFinite(v) ? String(v + 1) : "?"; }

  /** The string with bidi and other control characters replaced by visible ⟨U+XXXX⟩ tokens. */
  function visible(s) {
    return str(s).replace(CTL, function (ch) { return "\u27E8U+" + hex(ch) + "\u27E9"; });
  }

  /** Append text to parent as text nodes, controls as visible, isolated tokens. */
  function appendText(parent, s) {
    s = str(s);
    CTL.lastIndex = 0;
    var last = 0, m;
    while ((m = CTL.exec(s)) !== null) {
      if (m.index > last) { parent.appendChild(document.createTextNode(s.slice(last, m.index))); }
      var code = hex(m[0]);
      var tok = el("span", { "class": "ctl", title: "U+" + code + " " + (CTL_NAMES[code] || "control character") + " (shown, not applied)" });
      tok.textContent = "\u27E8U+" + code + "\u27E9";
      parent.appendChild(tok);
      last = m.index + m[0].length;
    }
    if (last < s.length) { parent.appendChild(document.createTextNode(s.slice(last))); }
    return parent;
  }

  /** Create an element; attrs are set with setAttribute (text only), children appended. */
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === null || attrs[k] === undefined) { continue; }
        if (k === "text") { appendText(e, attrs[k]); }
        else if (k === "on") { for (var ev in attrs.on) { e.addEventListener(ev, attrs.on[ev]); } }
        else { e.setAttribute(k, attrs[k]); }
      }
    }
    if (children) {
      for (var i = 0; i < children.length; i++) {
        var c = children[i];
        if (c === null || c === undefined || c === false) { continue; }
        e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
      }
    }
    return e;
  }

  function svg(tag, attrs, children) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs || {}) { e.setAttribute(k, attrs[k]); }
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }

  function svgText(x, y, s, attrs) {
    var t = svg("text", Object.assign({ x: x, y: y }, attrs || {}));
    t.textContent = visible(s);
    return t;
  }

  function isRtl(lang) {
    return !!RTL[str(lang).split(/[-_]/)[0].toLowerCase()];
  }

  /** A text block in a language: lang and dir set, bidi isolated by CSS. */
  function langText(s, lang, spans) {
    var d = el("div", { "class": "txt", lang: lang || null, dir: lang ? (isRtl(lang) ? "rtl" : "ltr") : "auto" });
    if (spans && spans.length) { appendMarked(d, str(s), spans); } else { appendText(d, s); }
    return d;
  }

  /** Map Unicode code-point offsets (the run's offsets) to UTF-16 indices of s. */
  function offsetMapper(s) {
    if (!/[\uD800-\uDFFF]/.test(s)) {
      return function (n) { return Math.max(0, Math.min(n, s.length)); };
    }
    var map = [0];
    for (var i = 0; i < s.length;) {
      var c = s.charCodeAt(i);
      var pair = c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xFC00) === 0xDC00;
      i += pair ? 2 : 1;
      map.push(i);
    }
    return function (n) { return map[Math.max(0, Math.min(n, map.length - 1))]; };
  }

  function appendMarked(parent, s, spans) {
    var toUnit = offsetMapper(s);
    var ranges = [];
    spans.forEach(function (sp) {
      if (!Array.isArray(sp) || sp.length < 2) { return; }
      var a = toUnit(+sp[0] || 0), b = toUnit(+sp[1] || 0);
      if (b > a) { ranges.push([a, b]); }
    });
    ranges.sort(function (x, y) { return x[0] - y[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var top = merged[merged.length - 1];
      if (top && r[0] <= top[1]) { top[1] = Math.max(top[1], r[1]); } else { merged.push(r.slice()); }
    });
    var pos = 0;
    merged.forEach(function (r) {
      if (r[0] > pos) { appendText(parent, s.slice(pos, r[0])); }
      parent.appendChild(appendText(el("mark"), s.slice(r[0], r[1])));
      pos = r[1];
    });
    if (pos < s.length) { appendText(parent, s.slice(pos)); }
  }

  function fmtRisk(r) { return typeof r === "number" && isFinite(r) ? r.toFixed(2) : "\u2014"; }
  function fmtInt(n) { return Number(n || 0).toLocaleString("en-US"); }
  function truncate(s, n) { s = visible(s); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }

  /* ---------- the data, flattened ---------- */

  var items = [];
  var checkCounts = {};
  var sevCounts = { critical: 0, major: 0, minor: 0, none: 0 };
  var itemByKey = {};
  DOCS.forEach(function (doc, d) {
    (Array.isArray(doc.sentences) ? doc.sentences : []).forEach(function (s) {
      var sev = SEVERITIES.indexOf(s.severity) >= 0 ? s.severity : (s.flagged ? "minor" : "none");
      var ids = [];
      (Array.isArray(s.checks) ? s.checks : []).forEach(function (c) {
        var id = str(c && c.id);
        if (id && ids.indexOf(id) < 0) { ids.push(id); }
      });
      ids.forEach(function (id) { checkCounts[id] = (checkCounts[id] || 0) + 1; });
      sevCounts[sev]++;
      var it = { n: items.length, d: d, doc: doc, s: s, sev: sev, flagged: !!s.flagged, checks: ids,
        key: str(doc.id) + "\u0000" + str(s.index), hay: null };
      items.push(it);
      itemByKey[it.key] = it;
    });
  });
  var flaggedTotal = items.filter(function (it) { return it.flagged; }).length;

  /* ---------- progress (decisions), kept in localStorage ---------- */

  var decisions = {};
  var storageOk = true;

  function loadProgress() {
    try {
      var raw = window.localStorage.getItem(META.storage_key);
      if (!raw) { return; }
      var obj = JSON.parse(raw);
      if (!obj || obj.schema !== PROGRESS_SCHEMA || !Array.isArray(obj.entries)) { return; }
      obj.entries.forEach(function (e) {
        var it = itemByKey[str(e.document) + "\u0000" + str(e.sentence)];
        if (it && e && e.original === it.s.text && (e.decision === "fine" ||
            (e.decision === "corrected" && typeof e.corrected === "string"))) { decisions[it.key] = e; }
      });
    } catch (err) {
      storageOk = false;
    }
  }

  function saveProgress() {
    var entries = [];
    for (var k in decisions) { entries.push(decisions[k]); }
    try {
      window.localStorage.setItem(META.storage_key, JSON.stringify({ schema: PROGRESS_SCHEMA, entries: entries }));
      storageOk = true;
    } catch (err) {
      storageOk = false;
    }
    updateProgress();
  }

  function verdictOf(it) {
    var s = it.s;
    return {
      risk: typeof s.risk === "number" ? s.risk : null,
      severity: it.sev,
      flagged: it.flagged,
      checks: it.checks.slice(),
      reasons: Array.isArray(s.reasons) ? s.reasons.map(str) : [],
      signals: s.signals && typeof s.signals === "object" ? s.signals : {}
    };
  }

  function decide(it, decision, corrected) {
    decisions[it.key] = {
      document: str(it.doc.id),
      sentence: it.s.index,
      start: it.s.start,
      end: it.s.end,
      original: it.s.text,
      corrected: decision === "corrected" ? corrected : null,
      decision: decision,
      source: typeof it.s.source === "string" ? it.s.source : null,
      verdict: verdictOf(it),
      decided_at: new Date().toISOString()
    };
    saveProgress();
    refreshCard(it);
  }

  function undecide(it) {
    delete decisions[it.key];
    saveProgress();
    refreshCard(it);
  }

  /* ---------- export / import ---------- */

  function exportObject() {
    var list = [];
    items.forEach(function (it) { if (decisions[it.key]) { list.push(decisions[it.key]); } });
    return {
      schema: CORRECTIONS_SCHEMA,
      run: {
        schema: str(RUN.schema),
        signature: str(SIG.text),
        version: str(SIG.version),
        config_digest: str(SIG.config_digest),
        documents_digest: str(META.documents_digest)
      },
      generator: str(META.generator),
      exported_at: new Date().toISOString(),
      corrections: list
    };
  }

  function exportCorrections() {
    var obj = exportObject();
    var blob = new Blob([JSON.stringify(obj, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: "mtaudit-corrections-" + str(META.documents_digest).slice(0, 8) + ".json" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
    toast("Exported " + obj.corrections.length + " decision" + (obj.corrections.length === 1 ? "" : "s") + ". Apply them with: mtaudit apply FILE --run RUN.json", false);
  }

  function importCorrections(text) {
    var obj;
    try { obj = JSON.parse(text); } catch (err) { toast("Import failed: not a JSON file.", true); return; }
    if (!obj || obj.schema !== CORRECTIONS_SCHEMA || !Array.isArray(obj.corrections)) {
      toast("Import failed: not a " + CORRECTIONS_SCHEMA + " file.", true);
      return;
    }
    var ok = 0, unknown = 0, changed = 0, bad = 0;
    obj.corrections.forEach(function (e) {
      if (!e || (e.decision !== "fine" && e.decision !== "corrected") ||
          (e.decision === "corrected" && typeof e.corrected !== "string")) { bad++; return; }
      var it = itemByKey[str(e.document) + "\u0000" + str(e.sentence)];
      if (!it) { unknown++; return; }
      if (e.original !== it.s.text) { changed++; return; }
      decisions[it.key] = e;
      ok++;
    });
    saveProgress();
    applyFilters();
    var msg = "Imported " + ok + " decision" + (ok === 1 ? "" : "s") + ".";
    var skipped = [];
    if (unknown) { skipped.push(unknown + " for sentences not in this report"); }
    if (changed) { skipped.push(changed + " whose sentence text differs"); }
    if (bad) { skipped.push(bad + " malformed"); }
    if (skipped.length) { msg += " Skipped " + skipped.join(", ") + "."; }
    if (obj.run && obj.run.documents_digest && obj.run.documents_digest !== META.documents_digest) {
      msg += " (The file was exported from a report of other articles.)";
    }
    toast(msg, skipped.length > 0 && ok === 0);
  }

  /* ---------- layout ---------- */

  var app = document.getElementById("app");
  var ui = {};

  function header() {
    var title = DOCS.length === 1 ? "Review: " + visible(DOCS[0].id) : "Review: " + fmtInt(DOCS.length) + " articles";
    var h = el("header", { "class": "top" }, [
      el("h1", { text: title }),
      el("div", { "class": "sig", text: str(SIG.text) || "no settings signature" })
    ]);
    var notRun = (Array.isArray(SIG.signals) ? SIG.signals : []).filter(function (s) { return s && s.ran === false; });
    if (notRun.length) {
      var ul = el("ul", { "class": "warn" });
      notRun.forEach(function (s) {
        var li = el("li", null, [el("bdi", { text: str(s.name) }), " did not run: ", el("bdi", { text: str(s.reason) })]);
        if (s.fix) { li.appendChild(document.createTextNode(" \u2014 fix: ")); li.appendChild(el("code", { text: str(s.fix) })); }
        ul.appendChild(li);
      });
      h.appendChild(ul);
    }
    return h;
  }

  function statsPanel() {
    var sum = RUN.summary && typeof RUN.summary === "object" ? RUN.summary : {};
    var errors = DOCS.filter(function (d) { return d.error; });
    function stat(n, label, cls) {
      return el("div", { "class": "stat " + (cls || "") }, [el("div", { "class": "n", text: fmtInt(n) }), el("div", { "class": "l", text: label })]);
    }
    var panel = el("section", { "class": "panel", id: "summary-stats" }, [
      el("h2", { text: "Summary" }),
      el("div", { "class": "stats" }, [
        stat(DOCS.length, "articles"),
        stat(items.length, "sentences"),
        stat(flaggedTotal, "flagged"),
        stat(sevCounts.critical, "critical", "sev-critical"),
        stat(sevCounts.major, "major", "sev-major"),
        stat(sevCounts.minor, "minor", "sev-minor")
      ])
    ]);
    var errCount = typeof sum.errors === "number" ? sum.errors : errors.length;
    if (errCount) {
      var ul = el("ul", { "class": "note" });
      errors.forEach(function (d) { ul.appendChild(el("li", null, [el("bdi", { text: str(d.id) }), ": ", el("bdi", { text: str(d.error) })])); });
      panel.appendChild(el("div", { "class": "note", text: errCount + " article" + (errCount === 1 ? "" : "s") + " could not be audited:" }));
      panel.appendChild(ul);
    }
    return panel;
  }

  function legend() {
    return el("div", { "class": "legend" }, SEVERITIES.map(function (s) { return el("span", null, [el("i", { "class": "k-" + s }), s]); }));
  }

  function riskPerArticle() {
    var rows = DOCS.map(function (doc, d) {
      var max = 0, sum = 0, n = 0, worst = "none", flagged = 0;
      (doc.sentences || []).forEach(function (s) {
        var r = typeof s.risk === "number" && isFinite(s.risk) ? s.risk : 0;
        max = Math.max(max, r); sum += r; n++;
        if (s.flagged) { flagged++; }
        var sev = SEVERITIES.indexOf(s.severity) >= 0 ? s.severity : "none";
        if (SEVERITIES.indexOf(sev) < SEVERITIES.indexOf(worst)) { worst = sev; }
      });
      return { d: d, id: doc.id, max: max, mean: n ? sum / n : 0, n: n, flagged: flagged, worst: worst };
    });
    var LIMIT = 24;
    var shown = rows;
    if (rows.length > LIMIT) {
      shown = rows.slice().sort(function (a, b) { return b.max - a.max || b.flagged - a.flagged; }).slice(0, LIMIT);
    }
    var W = 460, label = 150, right = 84, rowH = 22, top = 6;
    var H = top + shown.length * rowH + 22;
    var chart = svg("svg", { "class": "chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Highest and mean risk per article" });
    var bw = W - label - right;
    shown.forEach(function (r, i) {
      var y = top + i * rowH;
      var g = svg("g", { "class": "row", "data-doc": String(r.d) });
      var title = svg("title");
      title.textContent = visible(r.id) + ": highest risk " + fmtRisk(r.max) + ", mean " + fmtRisk(r.mean) + ", " + r.flagged + " of " + r.n + " flagged";
      g.appendChild(title);
      g.appendChild(svgText(label - 8, y + 14, truncate(r.id, 22), { "text-anchor": "end", "class": "lbl" }));
      g.appendChild(svg("rect", { "class": "track", x: label, y: y + 4, width: bw, height: 13, rx: 3 }));
      g.appendChild(svg("rect", { "class": "fill-" + r.worst, x: label, y: y + 4, width: Math.max(1, bw * Math.min(1, r.max)), height: 13, rx: 3 }));
      var mx = label + bw * Math.min(1, r.mean);
      g.appendChild(svg("line", { "class": "mean", x1: mx, x2: mx, y1: y + 2, y2: y + 19 }));
      g.appendChild(svgText(label + bw + 6, y + 14, r.flagged + "/" + r.n + " flagged"));
      g.addEventListener("click", function () { ui.docSel.value = String(r.d); readFilters(); });
      chart.appendChild(g);
    });
    var ay = top + shown.length * rowH + 4;
    [0, 0.5, 1].forEach(function (t) {
      chart.appendChild(svg("line", { "class": "axis", x1: label + bw * t, x2: label + bw * t, y1: ay, y2: ay + 4 }));
      chart.appendChild(svgText(label + bw * t, ay + 15, t.toFixed(1), { "text-anchor": "middle" }));
    });
    var panel = el("section", { "class": "panel", id: "chart-articles" }, [el("h2", { text: "Risk per article" }), chart, legend(),
      el("div", { "class": "note", text: "Bar: highest sentence risk, coloured by the worst severity; tick: mean risk. Click a row to show that article." })]);
    if (shown.length < rows.length) {
      panel.appendChild(el("div", { "class": "note", text: "Showing the " + shown.length + " riskiest of " + rows.length + " articles." }));
    }
    return panel;
  }

  function riskDistribution() {
    var BINS = 20;
    var bins = [];
    for (var b = 0; b < BINS; b++) { bins.push({ critical: 0, major: 0, minor: 0, none: 0, total: 0 }); }
    items.forEach(function (it) {
      var r = typeof it.s.risk === "number" && isFinite(it.s.risk) ? it.s.risk : 0;
      var k = Math.max(0, Math.min(BINS - 1, Math.floor(r * BINS)));
      bins[k][it.sev]++; bins[k].total++;
    });
    var maxN = Math.max.apply(null, bins.map(function (x) { return x.total; }).concat([1]));
    var W = 460, H = 170, left = 34, bottom = 22, top = 8, right = 6;
    var pw = W - left - right, ph = H - top - bottom, bw = pw / BINS;
    var chart = svg("svg", { "class": "chart", viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Distribution of sentence risk" });
    chart.appendChild(svg("line", { "class": "axis", x1: left, x2: W - right, y1: top + ph, y2: top + ph }));
    chart.appendChild(svgText(left - 5, top + 9, fmtInt(maxN), { "text-anchor": "end" }));
    chart.appendChild(svgText(left - 5, top + ph, "0", { "text-anchor": "end" }));
    bins.forEach(function (bin, i) {
      var y = top + ph;
      var g = svg("g");
      var title = svg("title");
      title.textContent = "risk " + (i / BINS).toFixed(2) + "\u2013" + ((i + 1) / BINS).toFixed(2) + ": " + bin.total + " sentences";
      g.appendChild(title);
      ["none", "minor", "major", "critical"].forEach(function (sev) {
        if (!bin[sev]) { return; }
        var h = Math.max(1, ph * bin[sev] / maxN);
        y -= h;
        g.appendChild(svg("rect", { "class": "fill-" + sev, x: left + i * bw + 1, y: y, width: Math.max(1, bw - 2), height: h }));
      });
      chart.appendChild(g);
    });
    [0, 0.25, 0.5, 0.75, 1].forEach(function (t) {
      chart.appendChild(svgText(left + pw * t, H - 6, t.toFixed(2), { "text-anchor": "middle" }));
    });
    return el("section", { "class": "panel", id: "chart-distribution" }, [el("h2", { text: "Distribution of risk" }), chart, legend(),
      el("div", { "class": "note", text: "Sentences by risk, in bins of 0.05, stacked by severity." })]);
  }

  function toolbar() {
    ui.sevChips = {};
    var sevGroup = el("div", { "class": "group", role: "group", "aria-label": "Severity filter" }, [el("span", { "class": "gl", text: "Severity" })]);
    SEVERITIES.forEach(function (s, i) {
      var chip = el("button", { type: "button", "class": "chip sev-" + s, "aria-pressed": "true", "data-severity": s,
        title: "Show or hide " + s + " sentences (key " + (i + 1) + ")", text: s + " " + fmtInt(sevCounts[s]) });
      chip.addEventListener("click", function () { toggleSeverity(s); });
      ui.sevChips[s] = chip;
      sevGroup.appendChild(chip);
    });

    ui.checkSel = el("select", { id: "filter-check", "aria-label": "Check filter" }, [el("option", { value: "", text: "all checks" })]);
    Object.keys(checkCounts).sort().forEach(function (id) {
      ui.checkSel.appendChild(el("option", { value: id, text: id + " (" + checkCounts[id] + ")" }));
    });
    ui.statusSel = el("select", { id: "filter-status", "aria-label": "Review status filter" }, [
      el("option", { value: "all", text: "any status" }),
      el("option", { value: "todo", text: "not reviewed" }),
      el("option", { value: "done", text: "reviewed" }),
      el("option", { value: "fine", text: "marked fine" }),
      el("option", { value: "corrected", text: "corrected" })
    ]);
    ui.docSel = el("select", { id: "filter-doc", "aria-label": "Article filter" }, [el("option", { value: "", text: "all articles" })]);
    DOCS.forEach(function (doc, d) {
      var n = (doc.sentences || []).length;
      var f = (doc.sentences || []).filter(function (s) { return s.flagged; }).length;
      ui.docSel.appendChild(el("option", { value: String(d), text: truncate(doc.id, 40) + " (" + f + "/" + n + ")" }));
    });
    ui.search = el("input", { type: "search", id: "filter-text", placeholder: "search text  ( / )", "aria-label": "Search sentences" });
    var timer = null;
    ui.search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(readFilters, 150); });
    [ui.checkSel, ui.statusSel, ui.docSel].forEach(function (s) { s.addEventListener("change", readFilters); });

    ui.count = el("span", { "class": "count", id: "count" });
    ui.progress = el("progress", { max: String(Math.max(1, flaggedTotal)), value: "0" });
    ui.progressText = el("span", { id: "progress-text" });
    var exportBtn = el("button", { type: "button", "class": "btn primary", id: "export", text: "Export corrections" });
    exportBtn.addEventListener("click", exportCorrections);
    var file = el("input", { type: "file", accept: ".json,application/json", id: "import-file", "aria-label": "Import corrections" });
    file.addEventListener("change", function () {
      var f = file.files && file.files[0];
      if (!f) { return; }
      var reader = new FileReader();
      reader.onload = function () { importCorrections(String(reader.result)); file.value = ""; };
      reader.onerror = function () { toast("Import failed: the file could not be read.", true); };
      reader.readAsText(f);
    });
    var importBtn = el("label", { "class": "btn file", title: "Load a corrections file exported earlier" }, ["Import\u2026", file]);
    var helpBtn = el("button", { type: "button", "class": "btn", text: "Keys ?", title: "Keyboard shortcuts (?)" });
    helpBtn.addEventListener("click", toggleHelp);
    ui.toast = el("div", { "class": "toast", id: "toast", role: "status" });

    return el("div", { "class": "toolbar", id: "toolbar" }, [
      sevGroup,
      el("div", { "class": "group" }, [el("span", { "class": "gl", text: "Check" }), ui.checkSel]),
      el("div", { "class": "group" }, [el("span", { "class": "gl", text: "Status" }), ui.statusSel]),
      DOCS.length > 1 ? el("div", { "class": "group" }, [el("span", { "class": "gl", text: "Article" }), ui.docSel]) : null,
      ui.search,
      ui.count,
      el("div", { "class": "progress" }, [ui.progress, ui.progressText]),
      el("div", { "class": "group" }, [exportBtn, importBtn, helpBtn]),
      ui.toast
    ]);
  }

  function helpPanel() {
    var keys = [
      ["j  n", "next flagged sentence"], ["k  p", "previous flagged sentence"],
      ["f", "mark the current sentence fine, go to the next"], ["e  c", "type a correction"],
      ["Ctrl+Enter", "save the correction"], ["Esc", "leave the editor"], ["u", "clear the decision"],
      ["1\u20134", "toggle critical / major / minor / none"], ["/", "search"], ["?", "show or hide this help"]
    ];
    var table = el("table");
    keys.forEach(function (k) {
      var td = el("td");
      k[0].split("  ").forEach(function (x, i) { if (i) { td.appendChild(document.createTextNode(" ")); } td.appendChild(el("kbd", { text: x })); });
      table.appendChild(el("tr", null, [td, el("td", { text: k[1] })]));
    });
    ui.help = el("aside", { "class": "help", id: "help", hidden: "" }, [el("h2", { text: "Keyboard" }), table,
      el("div", { "class": "note", text: "Progress is saved in this browser. Export to keep it or share it." })]);
    return ui.help;
  }

  function toggleHelp() { ui.help.hidden = !ui.help.hidden; }

  var toastTimer = null;
  function toast(msg, bad) {
    ui.toast.textContent = msg;
    ui.toast.className = "toast" + (bad ? " bad" : "");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { ui.toast.textContent = ""; }, 9000);
  }

  function updateProgress() {
    var done = 0, fine = 0, corrected = 0;
    for (var k in decisions) {
      var e = decisions[k];
      if (e.decision === "fine") { fine++; } else { corrected++; }
      var it = itemByKey[k];
      if (it && it.flagged) { done++; }
    }
    ui.progress.value = done;
    ui.progressText.textContent = done + " of " + flaggedTotal + " flagged reviewed \u00B7 " + corrected + " corrected \u00B7 " + fine + " fine" +
      (storageOk ? "" : " \u00B7 progress cannot be saved in this browser: export it");
  }

  /* ---------- the sentence list ---------- */

  var F = { sev: { critical: true, major: true, minor: true, none: true }, check: "", status: "all", doc: "", q: "" };
  var visibleItems = [];
  var rendered = 0;
  var lastDoc = -1;
  var current = -1;
  var cards = [];
  var expanded = {};
  var filterVersion = 0;
  var observer = null;

  function haystack(it) {
    if (it.hay === null) {
      var t = it.s.texts || {};
      it.hay = [it.s.text, it.s.source, t.suggestion, t.back_translation, t.round_trip].map(str).join("\n").toLowerCase();
    }
    return it.hay;
  }

  function matches(it) {
    if (!F.sev[it.sev]) { return false; }
    if (F.doc !== "" && it.d !== +F.doc) { return false; }
    if (F.check && it.checks.indexOf(F.check) < 0) { return false; }
    if (F.status !== "all") {
      var dec = decisions[it.key];
      if (F.status === "todo" && dec) { return false; }
      if (F.status === "done" && !dec) { return false; }
      if ((F.status === "fine" || F.status === "corrected") && (!dec || dec.decision !== F.status)) { return false; }
    }
    if (F.q && haystack(it).indexOf(F.q) < 0) { return false; }
    return true;
  }

  function readFilters() {
    F.check = ui.checkSel.value;
    F.status = ui.statusSel.value;
    F.doc = ui.docSel.value;
    F.q = ui.search.value.trim().toLowerCase();
    applyFilters();
  }

  function toggleSeverity(s) {
    F.sev[s] = !F.sev[s];
    ui.sevChips[s].setAttribute("aria-pressed", F.sev[s] ? "true" : "false");
    applyFilters();
  }

  function applyFilters() {
    var keepItem = current >= 0 ? visibleItems[current] : -1;
    visibleItems = [];
    for (var i = 0; i < items.length; i++) { if (matches(items[i])) { visibleItems.push(i); } }
    rendered = 0; lastDoc = -1; current = -1; cards = [];
    ui.list.textContent = "";
    filterVersion++;
    ui.list.setAttribute("data-visible", String(visibleItems.length));
    ui.list.setAttribute("data-version", String(filterVersion));
    ui.count.textContent = "Showing " + fmtInt(visibleItems.length) + " of " + fmtInt(items.length) + " sentences";
    if (!visibleItems.length) {
      ui.list.appendChild(el("div", { "class": "emptylist", text: items.length ? "No sentence matches these filters." : "This run has no sentences." }));
    }
    renderMore(CHUNK);
    if (keepItem >= 0) {
      var pos = visibleItems.indexOf(keepItem);
      if (pos >= 0 && pos < rendered) { setCurrent(pos, false); }
    }
  }

  function renderMore(n) {
    var end = Math.min(visibleItems.length, rendered + n);
    var frag = document.createDocumentFragment();
    for (var p = rendered; p < end; p++) {
      var it = items[visibleItems[p]];
      if (it.d !== lastDoc) { frag.appendChild(docHeader(it.d)); lastDoc = it.d; }
      var c = card(it, p);
      cards[p] = c;
      frag.appendChild(c);
    }
    ui.list.appendChild(frag);
    rendered = end;
    ui.list.setAttribute("data-rendered", String(rendered));
    ui.more.hidden = rendered >= visibleItems.length;
    ui.more.textContent = "Showing " + fmtInt(rendered) + " of " + fmtInt(visibleItems.length) + " \u2014 scroll for more";
    if (observer && !ui.more.hidden) { observer.unobserve(ui.more); observer.observe(ui.more); }
  }

  function ensureRendered(pos) {
    if (pos >= rendered) { renderMore(pos - rendered + CHUNK); }
  }

  function docHeader(d) {
    var doc = DOCS[d];
    var sum = doc.summary || {};
    var n = (doc.sentences || []).length;
    var flagged = typeof sum.flagged === "number" ? sum.flagged : (doc.sentences || []).filter(function (s) { return s.flagged; }).length;
    var meta = [str(doc.source_lang) + " \u2192 " + str(doc.target_lang), n + " sentences", flagged + " flagged",
      doc.source === null || doc.source === undefined ? "no source text" + (ROUND_TRIP_RAN ? " (checked by round trip)" : " (round trip not run)") : "with source text"];
    var h = el("section", { "class": "doc", "data-doc": String(d) }, [
      el("h3", null, [el("bdi", { text: str(doc.id) })]),
      el("div", { "class": "meta" }, [doc.origin ? el("bdi", { text: str(doc.origin) }) : null, doc.origin ? " \u00B7 " : null, meta.join(" \u00B7 ")])
    ]);
    if (doc.error) { h.appendChild(el("div", { "class": "err", text: "Could not be audited: " + str(doc.error) })); }
    if (Array.isArray(doc.unaligned_source) && doc.unaligned_source.length) {
      var ul = el("ul");
      doc.unaligned_source.forEach(function (u) { ul.appendChild(el("li", null, [langText(u && u.text, doc.source_lang)])); });
      h.appendChild(el("details", { open: "" }, [el("summary", { text: doc.unaligned_source.length + " source sentence(s) that no translated sentence covers (possible omission)" }), ul]));
    }
    if (Array.isArray(doc.blocks) && doc.blocks.length) {
      var bl = el("ul");
      doc.blocks.forEach(function (b) {
        bl.appendChild(el("li", null, [el("span", { "class": "check", text: str(b && b.kind) }), " ", el("bdi", { text: str(b && b.reason) }), (b && (b.unit || b.element)) ? el("bdi", { "class": "loc", text: " (" + str(b.unit ? "unit " + b.unit : b.element) + ")" }) : "", ": ", langText(b && b.text, doc.target_lang)]));
      });
      h.appendChild(el("details", null, [el("summary", { text: doc.blocks.length + " block(s) of non-article text, not audited" }), bl]));
    }
    return h;
  }

  function column(label, text, lang, cls, spans) {
    var body = text === "" ? el("div", { "class": "empty", text: "no source sentence aligned to this one" }) : langText(text, lang, spans);
    return el("section", { "class": "col " + (cls || "") }, [el("h4", { text: label + (lang ? " (" + lang + ")" : "") }), body]);
  }

  function card(it, pos) {
    var s = it.s, doc = it.doc, dec = decisions[it.key];
    var full = it.flagged || dec || expanded[it.key];
    var cls = "sent sev-" + it.sev + (it.flagged ? " flagged" : "") + (full ? "" : " compact") + (dec ? " decided-" + dec.decision : "") + (pos === current ? " current" : "");
    var c = el("article", { "class": cls, id: "s-" + it.n, "data-pos": String(pos), "data-doc": str(doc.id), "data-index": str(s.index),
      "data-severity": it.sev, "data-flagged": it.flagged ? "true" : "false", tabindex: "-1" });
    c.addEventListener("click", function () {
      var p = +c.getAttribute("data-pos");
      if (p !== current) { setCurrent(p, false); }
    });

    var head = el("div", { "class": "head" }, [
      el("span", { "class": "badge sev-" + it.sev, text: it.sev }),
      el("span", { "class": "risk", text: "risk " + fmtRisk(s.risk) }),
      el("span", { "class": "loc" }, ["\u00B6" + humanNumber(s.paragraph) + " \u00B7 sentence " + humanNumber(s.index)])
    ]);
    var where = s.unit ? "unit " + str(s.unit) : str(s.element || "");
    if (where) { head.appendChild(el("bdi", { "class": "loc where", text: where })); }
    it.checks.forEach(function (id) {
      var msgs = (s.checks || []).filter(function (f) { return f && f.id === id; }).map(function (f) { return visible(f.message); });
      head.appendChild(el("span", { "class": "check", title: msgs.join("\n"), text: id }));
    });
    if (dec) {
      head.appendChild(el("span", { "class": "status " + dec.decision, text: dec.decision === "fine" ? "\u2713 marked fine" : "\u270E corrected" }));
    }
    c.appendChild(head);

    if (!full) {
      var more = el("button", { type: "button", "class": "link", text: "details" });
      more.addEventListener("click", function () { expanded[it.key] = true; refreshCard(it); });
      c.appendChild(el("div", { "class": "line" }, [langText(s.text, doc.target_lang, s.spans), more]));
      return c;
    }

    var cols = el("div", { "class": "cols" });
    if (s.source !== null && s.source !== undefined) { cols.appendChild(column("Source", str(s.source), doc.source_lang, "source")); }
    cols.appendChild(column("Translation", str(s.text), doc.target_lang, "target", Array.isArray(s.spans) ? s.spans : []));
    var texts = s.texts && typeof s.texts === "object" ? s.texts : {};
    var keys = TEXT_ORDER.filter(function (k) { return typeof texts[k] === "string"; });
    Object.keys(texts).sort().forEach(function (k) { if (keys.indexOf(k) < 0 && typeof texts[k] === "string") { keys.push(k); } });
    keys.forEach(function (k) {
      var lab = TEXT_LABELS[k] || [k.replace(/_/g, " "), null];
      var lang = lab[1] === "source" ? doc.source_lang : (lab[1] === "target" ? doc.target_lang : null);
      cols.appendChild(column(lab[0], texts[k], lang, k === "suggestion" ? "suggestion" : ""));
    });
    c.appendChild(cols);

    if (Array.isArray(s.reasons) && s.reasons.length) {
      c.appendChild(el("ul", { "class": "reasons" }, s.reasons.map(function (r) { return el("li", { text: str(r) }); })));
    }
    var findings = (s.checks || []).filter(function (f) { return f && f.message; });
    if (findings.length) {
      c.appendChild(el("div", { "class": "findings" }, findings.map(function (f) {
        return el("span", { "class": "f" }, [el("span", { "class": "check", text: str(f.id) }), " " + str(f.severity) + ": ", el("bdi", { text: str(f.message) })]);
      })));
    }

    if (dec && dec.decision === "corrected") {
      c.appendChild(el("div", { "class": "correction" }, [el("h4", { text: "Your correction" }), langText(dec.corrected, doc.target_lang)]));
    }

    var fineBtn = el("button", { type: "button", "class": "btn fine", "data-action": "fine" }, ["\u2713 Fine ", el("span", { "class": "kbd", text: "f" })]);
    fineBtn.addEventListener("click", function () { decide(it, "fine", null); });
    var editBtn = el("button", { type: "button", "class": "btn correct", "data-action": "edit" }, ["\u270E Correct ", el("span", { "class": "kbd", text: "e" })]);
    editBtn.addEventListener("click", function () { openEditor(it); });
    var actions = el("div", { "class": "actions" }, [fineBtn, editBtn]);
    if (dec) {
      var clear = el("button", { type: "button", "class": "btn", "data-action": "clear" }, ["Clear ", el("span", { "class": "kbd", text: "u" })]);
      clear.addEventListener("click", function () { undecide(it); });
      actions.appendChild(clear);
    }
    c.appendChild(actions);
    return c;
  }

  function refreshCard(it) {
    var pos = -1;
    for (var p = 0; p < rendered; p++) { if (visibleItems[p] === it.n) { pos = p; break; } }
    if (pos < 0 || !cards[pos]) { return; }
    var fresh = card(it, pos);
    cards[pos].replaceWith(fresh);
    cards[pos] = fresh;
  }

  function openEditor(it) {
    var pos = visibleItems.indexOf(it.n);
    if (pos < 0) { return; }
    ensureRendered(pos);
    if (!cards[pos].querySelector(".actions")) { expanded[it.key] = true; refreshCard(it); }
    setCurrent(pos, true);
    var c = cards[pos];
    var existing = c.querySelector(".editor");
    if (existing) { existing.querySelector("textarea").focus(); return; }
    var dec = decisions[it.key];
    var ta = el("textarea", { lang: it.doc.target_lang || null, dir: isRtl(it.doc.target_lang) ? "rtl" : "ltr", "aria-label": "Corrected sentence", spellcheck: "true" });
    ta.value = dec && dec.decision === "corrected" ? dec.corrected : it.s.text;
    var save = el("button", { type: "button", "class": "btn primary", "data-action": "save", text: "Save correction" });
    var cancel = el("button", { type: "button", "class": "btn", "data-action": "cancel", text: "Cancel" });
    var row = el("div", { "class": "row" }, [save, cancel]);
    var sugg = it.s.texts && typeof it.s.texts.suggestion === "string" ? it.s.texts.suggestion : null;
    if (sugg !== null) {
      var use = el("button", { type: "button", "class": "btn", "data-action": "use-suggestion", text: "Start from the suggestion" });
      use.addEventListener("click", function () { ta.value = sugg; ta.focus(); });
      row.appendChild(use);
    }
    row.appendChild(el("span", { "class": "note" }, [el("kbd", { text: "Ctrl+Enter" }), " save \u00B7 ", el("kbd", { text: "Esc" }), " cancel \u00B7 text equal to the original counts as fine"]));
    var box = el("div", { "class": "editor" }, [ta, row]);
    function commit() {
      var v = ta.value;
      if (v === it.s.text) { decide(it, "fine", null); } else { decide(it, "corrected", v); }
      focusCurrent();
    }
    save.addEventListener("click", commit);
    cancel.addEventListener("click", function () { box.remove(); focusCurrent(); });
    ta.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); commit(); }
      else if (ev.key === "Escape") { ev.preventDefault(); box.remove(); focusCurrent(); }
    });
    c.appendChild(box);
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
  }

  function focusCurrent() {
    if (current >= 0 && cards[current]) { cards[current].focus({ preventScroll: true }); }
  }

  function setCurrent(pos, scroll) {
    if (current >= 0 && cards[current]) { cards[current].classList.remove("current"); }
    current = pos;
    if (pos < 0) { return; }
    ensureRendered(pos);
    var c = cards[pos];
    c.classList.add("current");
    document.documentElement.setAttribute("data-current", c.id);
    if (scroll) {
      c.scrollIntoView({ block: "center" });
      c.focus({ preventScroll: true });
    }
  }

  function step(dir) {
    for (var p = current + dir; p >= 0 && p < visibleItems.length; p += dir) {
      if (items[visibleItems[p]].flagged) { setCurrent(p, true); return true; }
    }
    if (current < 0 && visibleItems.length && dir > 0) { setCurrent(0, true); return true; }
    toast(dir > 0 ? "No flagged sentence below this one." : "No flagged sentence above this one.", false);
    return false;
  }

  function onKey(ev) {
    if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var t = ev.target;
    var tag = t && t.tagName ? t.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) {
      if (ev.key === "Escape" && tag === "input") { t.blur(); }
      return;
    }
    var it = current >= 0 ? items[visibleItems[current]] : null;
    switch (ev.key) {
      case "j": case "n": step(1); break;
      case "k": case "p": step(-1); break;
      case "f":
        if (it) { decide(it, "fine", null); step(1); }
        break;
      case "e": case "c":
        if (it) { openEditor(it); }
        break;
      case "u":
        if (it) { undecide(it); }
        break;
      case "1": case "2": case "3": case "4":
        toggleSeverity(SEVERITIES[+ev.key - 1]);
        break;
      case "/": ui.search.focus(); break;
      case "?": toggleHelp(); break;
      case "Escape": if (!ui.help.hidden) { toggleHelp(); } break;
      default: return;
    }
    ev.preventDefault();
  }

  /* ---------- start ---------- */

  loadProgress();
  app.appendChild(header());
  var main = el("main");
  main.appendChild(el("div", { "class": "summary" }, [statsPanel(), riskPerArticle(), riskDistribution()]));
  main.appendChild(toolbar());
  ui.list = el("div", { "class": "list", id: "list" });
  ui.more = el("div", { "class": "more", id: "more" });
  main.appendChild(ui.list);
  main.appendChild(ui.more);
  main.appendChild(el("footer", { "class": "foot", text: str(META.generator) + " \u00B7 j/k next/previous flagged \u00B7 f fine \u00B7 e correct \u00B7 ? keys" }));
  app.appendChild(main);
  app.appendChild(helpPanel());
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; }) && rendered < visibleItems.length) { renderMore(CHUNK); }
    }, { rootMargin: "1200px 0px" });
  } else {
    ui.more.addEventListener("click", function () { renderMore(CHUNK); });
  }
  updateProgress();
  applyFilters();
  document.addEventListener("keydown", onKey);
  document.documentElement.setAttribute("data-ready", "1");
  window.__mtauditReadyAt = performance.now();
})();
