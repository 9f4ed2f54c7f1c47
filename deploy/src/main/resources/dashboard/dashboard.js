// Catena operator dashboard: polls /api/cluster (the manager's sampler renders it once a second)
// and redraws nodes, chains, join progress, traffic charts (uPlot, vendored) and the recent
// reconfigurations in place, without reloading the page. State is in classes and data-*
// attributes (tr.node.down, data-live, data-epoch, data-members) so tests can assert it.
(function () {
  "use strict";

  const API = "api/cluster";
  const STALE_AFTER_INTERVALS = 5;
  // Node colours for the charts; red is kept for "down".
  const COLOURS = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#0891b2", "#db2777", "#65a30d",
                   "#4b5563"];

  const state = { polls: 0, failures: 0, last: null, charts: {}, chartKey: "" };
  window.catenaDashboard = state; // for tests and the curious

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k.startsWith("data-")) e.setAttribute(k, String(v));
      else if (v === false) continue;
      else if (k === "class") e.className = v;
      else if (k === "style") e.setAttribute("style", v);
      else e[k] = v;
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === "string" || typeof c === "number"
        ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  function clock(millis) {
    return new Date(millis).toLocaleTimeString([], { hour12: false });
  }

  function rate(v) {
    return v === null || v === undefined ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(1);
  }

  function ms(v) {
    return v === null || v === undefined ? "–" : (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + " ms";
  }

  function size(bytes) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let v = bytes, i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + " " + units[i];
  }

  function replaceRows(tbody, rows, emptyText, columns) {
    tbody.replaceChildren(...(rows.length ? rows
      : [el("tr", {}, el("td", { class: "empty", colSpan: columns }, emptyText))]));
  }

  function renderNodes(doc) {
    const rows = doc.nodes.map(n => {
      const r = n.rates;
      const down = !n.live;
      let since = null;
      if (down) {
        const parts = [];
        if (n.downSinceMillis !== null) parts.push("since " + clock(n.downSinceMillis));
        if (n.departed) parts.push("in no chain");
        since = parts.length ? el("span", { class: "since" }, parts.join(" · ")) : null;
      }
      return el("tr", { class: "node " + (down ? "down" : "up"), "data-node": n.id,
                        "data-live": n.live, "data-departed": n.departed },
        el("td", {}, el("strong", {}, n.id)),
        el("td", {}, el("span", { class: "badge" }, down ? "DOWN" : "UP"), since),
        el("td", {}, n.address || "–"),
        el("td", { class: "num", "data-heads": n.heads, "data-tails": n.tails },
          n.heads + " / " + n.tails),
        el("td", { class: "num", "data-metric": "writes" }, rate(r && r.writesPerSec)),
        el("td", { class: "num", "data-metric": "reads" }, rate(r && r.readsPerSec)),
        el("td", { class: "num" }, ms(r && r.writeP99Ms)),
        el("td", { class: "num" }, ms(r && r.readP99Ms)));
    });
    replaceRows(document.querySelector("#nodes tbody"), rows, "no nodes registered", 8);
  }

  function member(id, role, live, syncing) {
    return el("span", { class: "member " + (syncing ? "syncing" : live ? "live" : "down"),
                        "data-node": id, "data-role": role },
      id, role ? el("small", {}, role) : null);
  }

  function syncRow(p) {
    const known = p.percent !== null;
    const detail = known
      ? p.percent.toFixed(1) + "% · " + size(p.bytes) + " of " + size(p.plannedBytes)
      : "?% · " + size(p.bytes) + " so far";
    const phase = p.caughtUp ? " · caught up" : p.installed ? " · lag " + p.lagSeqs + " seqs" : "";
    return el("div", { class: "sync", "data-node": p.node, "data-percent": known ? p.percent : "" },
      member(p.node, null, true, true),
      el("div", { class: "bar" + (known ? "" : " unknown") },
        el("div", { class: "fill", style: "width:" + (known ? p.percent : 0) + "%" })),
      el("span", { class: "detail" }, detail + phase + (p.diff ? " · diff" : "")));
  }

  function renderChains(doc) {
    const live = new Set(doc.nodes.filter(n => n.live).map(n => n.id));
    const rows = doc.chains.map(c => {
      const members = [];
      c.members.forEach((m, i) => {
        const role = c.members.length === 1 ? "sole" : i === 0 ? "head"
          : i === c.members.length - 1 ? "tail" : null;
        if (i > 0) members.push(el("span", { class: "arrow" }, "→"));
        members.push(member(m, role, live.has(m), false));
      });
      c.syncing.forEach(m => {
        members.push(el("span", { class: "arrow" }, "→"));
        members.push(member(m, "syncing", live.has(m), true));
      });
      const reported = new Set(c.sync.map(p => p.node));
      const syncs = c.sync.map(syncRow).concat(c.syncing.filter(m => !reported.has(m))
        .map(m => el("div", { class: "sync", "data-node": m }, member(m, null, true, true),
          el("span", { class: "detail" }, "waiting for the first report"))));
      const degraded = c.members.some(m => !live.has(m));
      return el("tr", { class: "chain" + (c.syncing.length ? " repairing" : "")
                          + (degraded ? " degraded" : ""),
                        "data-chain": c.chain, "data-epoch": c.epoch,
                        "data-members": c.members.join(","), "data-syncing": c.syncing.join(",") },
        el("td", {}, el("strong", {}, String(c.chain))),
        el("td", { class: "num" }, c.epoch),
        el("td", {}, members),
        el("td", {}, syncs.length ? syncs : "–"));
    });
    replaceRows(document.querySelector("#chains tbody"), rows, "no chains yet", 4);
  }

  function renderReconfigurations(doc) {
    const items = doc.reconfigurations.map(r => {
      const after = r.after.join(" → ")
        + r.afterSyncing.map(m => " → [" + m + "]").join("");
      return el("li", { class: "reconfig", "data-chain": r.chain, "data-to-epoch": r.toEpoch },
        el("time", {}, clock(r.atMillis)),
        "chain " + r.chain + " · ",
        el("span", { class: "epoch" }, "epoch " + r.fromEpoch + " → " + r.toEpoch),
        " · ", el("span", { class: "what" }, r.changes.join(", ")),
        " · ", el("span", { class: "after" }, after || "(no members)"));
    });
    const list = document.getElementById("reconfigurations");
    list.replaceChildren(...(items.length ? items
      : [el("li", { class: "empty" }, "none observed since the manager started")]));
  }

  const CHARTS = [
    { id: "chart-writes", title: "writes/s", field: "writesPerSec" },
    { id: "chart-reads", title: "reads/s", field: "readsPerSec" },
    { id: "chart-write-p99", title: "p99 write latency (ms)", field: "writeP99Ms" },
    { id: "chart-read-p99", title: "p99 read latency (ms)", field: "readP99Ms" },
  ];

  function chartData(history, nodes, field) {
    return [history.t].concat(nodes.map(n => history.nodes[n][field]));
  }

  function renderCharts(doc) {
    if (typeof uPlot === "undefined") return; // the vendored script failed to load
    const history = doc.history;
    const nodes = Object.keys(history.nodes).sort();
    const key = nodes.join(",");
    for (const c of CHARTS) {
      const box = document.getElementById(c.id);
      const data = chartData(history, nodes, c.field);
      const existing = state.charts[c.id];
      if (existing && state.chartKey === key) {
        existing.setData(data);
        continue;
      }
      if (existing) existing.destroy();
      box.replaceChildren();
      state.charts[c.id] = new uPlot({
        title: c.title,
        width: Math.max(300, box.clientWidth),
        height: 180,
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        series: [{}].concat(nodes.map((n, i) => ({
          label: n, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: false,
          value: (u, v) => v === null || v === undefined ? "–" : v.toFixed(1),
        }))),
        axes: [{}, { size: 50 }],
        legend: { live: false },
      }, data, box);
    }
    state.chartKey = key;
  }

  function renderFreshness(doc) {
    const age = Date.now() - doc.generatedAtMillis;
    const stale = age > STALE_AFTER_INTERVALS * doc.sampleIntervalMillis;
    document.body.dataset.state = stale ? "stale" : "live";
    document.getElementById("updated").textContent = stale
      ? "stale: last read of the cluster " + Math.round(age / 1000) + " s ago"
      : "live · updated " + clock(doc.generatedAtMillis);
  }

  function render(doc) {
    document.getElementById("cluster").textContent = doc.cluster;
    document.getElementById("shardmap").textContent = "shard map v" + doc.shardMapVersion;
    renderNodes(doc);
    renderChains(doc);
    renderCharts(doc);
    renderReconfigurations(doc);
    renderFreshness(doc);
  }

  async function poll() {
    let interval = 1000;
    try {
      const response = await fetch(API, { cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const doc = await response.json();
      interval = doc.sampleIntervalMillis || interval;
      state.last = doc;
      state.polls++;
      render(doc);
    } catch (e) {
      state.failures++;
      document.body.dataset.state = "error";
      document.getElementById("updated").textContent = "manager unreachable (" + e.message + ")";
    }
    setTimeout(poll, interval);
  }

  window.addEventListener("resize", () => {
    for (const c of CHARTS) {
      const chart = state.charts[c.id];
      const box = document.getElementById(c.id);
      if (chart && box) chart.setSize({ width: Math.max(300, box.clientWidth), height: 180 });
    }
  });

  poll();
})();
