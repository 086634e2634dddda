// The PEL dashboard: polls v1/dashboard every second and keeps five minutes of samples in this page.
(function () {
  "use strict";
  var HISTORY_MS = 5 * 60 * 1000;
  var TILE_MS = 5 * 1000; // the throughput tile: the rate over the last five seconds of samples, not one noisy pair
  var token = new URLSearchParams(window.location.search).get("token");
  var feed = "v1/dashboard";
  var samples = []; // {t, done, latencySum, latencyCount}, oldest first

  function $(id) { return document.getElementById(id); }
  function text(id, value) { $(id).textContent = value; }

  function completed(stats) { return stats.succeeded + stats.failed; }

  function typeTotals(types) {
    var sum = 0, count = 0;
    Object.keys(types).forEach(function (k) { sum += types[k].latencySecondsSum; count += types[k].tasks; });
    return { sum: sum, count: count };
  }

  function render(d) {
    text("node", d.node);
    var s = d.stats;
    var totals = typeTotals(d.types);
    samples.push({ t: d.time, done: completed(s), latencySum: totals.sum, latencyCount: totals.count });
    while (samples.length > 2 && samples[0].t < d.time - HISTORY_MS) samples.shift();

    // Rates between consecutive samples.
    var rates = [];
    for (var i = 1; i < samples.length; i++) {
      var dt = (samples[i].t - samples[i - 1].t) / 1000;
      if (dt > 0) rates.push({ t: samples[i].t, rate: Math.max(0, samples[i].done - samples[i - 1].done) / dt });
    }
    var last = recentRate();
    text("throughput", last.toFixed(last < 10 ? 1 : 0));
    if (samples.length > 1) {
      var a = samples[samples.length - 2], b = samples[samples.length - 1];
      var n = b.latencyCount - a.latencyCount;
      text("latency", n > 0 ? ((b.latencySum - a.latencySum) / n * 1000).toFixed(2) : "–");
    }
    text("inFlight", s.accepted);
    text("routees", s.routees);
    text("streams", d.activeStreams);
    // The cluster-size signal, once the nodes have shared a first minute's readings.
    var a = d.autoscale;
    text("utilisation", a && a.utilisation !== undefined ? (a.utilisation * 100).toFixed(0) : "–");
    text("recommended", a ? a.recommendedNodes : "–");
    text("workerNodes", a ? "of " + a.workerNodes + " now" : "");
    text("succeeded", s.succeeded);
    warn("failed", s.failed);
    warn("restarts", s.routeeRestarts);
    warn("rejected", s.rejected);
    warn("retries", s.retries);
    drawChart(rates, d.time);
    drawMembers(d.members);
    drawTypes(d.types);
  }

  // Tasks completed per second between the newest sample and the oldest one at most TILE_MS older.
  function recentRate() {
    if (samples.length < 2) return 0;
    var b = samples[samples.length - 1], i = samples.length - 2;
    while (i > 0 && samples[i - 1].t >= b.t - TILE_MS) i--;
    var a = samples[i], dt = (b.t - a.t) / 1000;
    return dt > 0 ? Math.max(0, b.done - a.done) / dt : 0;
  }

  function warn(id, value) {
    text(id, value);
    $(id).classList.toggle("nonzero", value > 0);
  }

  function drawChart(rates, now) {
    var max = 1;
    rates.forEach(function (r) { if (r.rate > max) max = r.rate; });
    // The x axis grows with the history, from 30 s up to its 5 minutes.
    var span = Math.min(HISTORY_MS, Math.max(30000, samples.length ? now - samples[0].t : 0));
    var points = rates.map(function (r) {
      var x = 600 - (now - r.t) / span * 600;
      var y = 155 - r.rate / max * 145;
      return x.toFixed(1) + "," + y.toFixed(1);
    });
    $("line").setAttribute("points", points.join(" "));
    text("peak", rates.length ? "(peak " + max.toFixed(max < 10 ? 1 : 0) + " tasks/s)" : "");
  }

  function cell(row, value, cls) {
    var td = document.createElement("td");
    td.textContent = value;
    if (cls) td.className = cls;
    row.appendChild(td);
  }

  function drawMembers(members) {
    var body = $("members");
    body.textContent = "";
    members.forEach(function (m) {
      var tr = document.createElement("tr");
      if (m.self) tr.className = "self";
      cell(tr, m.address, "mono");
      cell(tr, m.status + (m.reachable ? "" : " (unreachable)"), m.reachable ? m.status : "unreachable");
      cell(tr, m.roles.join(", "));
      body.appendChild(tr);
    });
  }

  function drawTypes(types) {
    var body = $("types");
    body.textContent = "";
    Object.keys(types).forEach(function (k) {
      var t = types[k], tr = document.createElement("tr");
      cell(tr, k, "mono");
      cell(tr, t.tasks);
      cell(tr, t.tasks ? (t.latencySecondsSum / t.tasks * 1000).toFixed(2) : "–");
      cell(tr, (t.latencySecondsMax * 1000).toFixed(2));
      cell(tr, t.linesOk);
      cell(tr, t.linesError);
      body.appendChild(tr);
    });
  }

  function status(ok, message) {
    var el = $("status");
    el.textContent = message;
    el.className = "status " + (ok ? "ok" : "bad");
  }

  function poll() {
    var headers = token ? { "Authorization": "Bearer " + token } : {};
    fetch(feed, { headers: headers, cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status + (r.status === 401 ? ": open this page as /?token=<token>" : ""));
        return r.json();
      })
      .then(function (d) { render(d); status(true, "live · up " + d.uptimeSeconds + " s"); })
      .catch(function (e) { status(false, String(e.message || e)); })
      .then(function () { setTimeout(poll, 1000); });
  }

  poll();
})();
