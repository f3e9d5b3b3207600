/* newsgraph: charts over time.
 *
 * Every <figure class="ng-chart" data-series='{"x": ["2024-01-01", ...], "series": [{"label":
 * "mentions", "values": [3, ...]}]}'> gets a uPlot chart (vendored) sized to the figure: bars
 * for a short run of days, lines for a long one, or what data-kind ("bar" | "line") asks for.
 * The figure's own <table> (the page without JavaScript) is kept, folded into a <details>.
 *
 * Labels are untrusted: uPlot writes them as text nodes. Days are read and shown in UTC, so a
 * day's bar stays on its day whatever the reader's time zone.
 */
(function () {
  "use strict";

  const COLOURS = ["#2c6fbb", "#c0392b", "#27865f", "#8e5bb5", "#b8860b", "#555"];
  // More days than this and the chart draws lines instead of bars.
  const MAX_BARS = 90;
  const HALF_DAY = 43200;
  const DAY_STEPS = [1, 2, 7, 14, 28, 91, 182, 364, 728, 1820].map(function (d) { return d * 86400; });
  const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 1e5, 1e6];

  function staticBase() {
    const base = (document.body && document.body.dataset.static) || "/static/";
    return base.endsWith("/") ? base : base + "/";
  }

  function loadScript(src) {
    const loading = (window.newsgraphScripts = window.newsgraphScripts || {});
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () {
          reject(new Error("could not load " + src));
        };
        document.head.appendChild(script);
      });
    }
    return loading[src];
  }

  function loadStyle(href) {
    if (document.querySelector('link[rel="stylesheet"][data-ng-vendor="uplot"]')) return;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.dataset.ngVendor = "uplot";
    document.head.appendChild(link);
  }

  /** "2024-01-31" (or a longer ISO timestamp) as Unix seconds at UTC midnight; null when unreadable. */
  function day(text) {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(text));
    if (!match) return null;
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    return Number.isFinite(ms) ? ms / 1000 : null;
  }

  /** The chart's data in uPlot's column layout, or null when there is nothing to draw. */
  function readSeries(figure) {
    let raw;
    try {
      raw = JSON.parse(figure.dataset.series || "null");
    } catch (error) {
      return null;
    }
    if (!raw || !Array.isArray(raw.x) || !Array.isArray(raw.series)) return null;
    const keep = [];
    const xs = [];
    raw.x.forEach(function (value, i) {
      const t = day(value);
      if (t !== null) {
        keep.push(i);
        xs.push(t);
      }
    });
    if (xs.length === 0) return null;
    // uPlot wants x ascending
    const order = keep.map(function (_, j) { return j; }).sort(function (a, b) { return xs[a] - xs[b]; });
    const series = [];
    for (const s of raw.series) {
      if (!s || !Array.isArray(s.values)) continue;
      series.push({
        label: typeof s.label === "string" ? s.label : String(s.label == null ? "" : s.label),
        values: order.map(function (j) {
          const v = s.values[keep[j]];
          return typeof v === "number" && Number.isFinite(v) ? v : null;
        }),
      });
    }
    if (series.length === 0) return null;
    return { x: order.map(function (j) { return xs[j]; }), series: series, kind: raw.kind };
  }

  function foldFallback(table) {
    if (!table || table.closest("details")) return;
    const details = document.createElement("details");
    details.className = "ng-fallback";
    const summary = document.createElement("summary");
    summary.textContent = "Data as a table";
    details.appendChild(summary);
    table.parentNode.insertBefore(details, table);
    details.appendChild(table);
  }

  function chartHeight(width) {
    return Math.round(Math.max(160, Math.min(260, width * 0.4)));
  }

  function draw(figure, data) {
    const uPlot = window.uPlot;
    const bars = data.kind === "bar" || (data.kind !== "line" && data.x.length <= MAX_BARS);
    const width = Math.max(200, Math.floor(figure.clientWidth || 600));
    const series = [{ label: "Day", value: "{YYYY}-{MM}-{DD}" }];
    data.series.forEach(function (s, i) {
      const colour = COLOURS[i % COLOURS.length];
      series.push({
        label: s.label,
        stroke: colour,
        fill: bars ? colour + "cc" : colour + "22",
        width: bars ? 0 : 1.5,
        paths: bars ? uPlot.paths.bars({ size: [0.8, 40], align: 0 }) : undefined,
        points: { show: !bars && data.x.length < 40 },
      });
    });
    const options = {
      width: width,
      height: chartHeight(width),
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      series: series,
      legend: { show: data.series.length > 1 || Boolean(data.series[0].label) },
      cursor: { drag: { x: false, y: false } },
      // ticks on whole days and whole counts: the data has nothing finer
      axes: [{ incrs: DAY_STEPS }, { size: 40, incrs: COUNT_STEPS }],
    };
    if (bars) {
      // half a day either side, so the first and last bars are whole
      const first = data.x[0];
      const last = data.x[data.x.length - 1];
      options.scales.x.range = function () { return [first - HALF_DAY, last + HALF_DAY]; };
    }
    const holder = document.createElement("div");
    holder.className = "ng-chart-plot";
    // the page's own table, found before uPlot adds its legend (a table too)
    const table = figure.querySelector("table");
    if (table) table.parentNode.insertBefore(holder, table);
    else figure.insertBefore(holder, figure.querySelector(":scope > figcaption"));
    const columns = [data.x].concat(data.series.map(function (s) { return s.values; }));
    const plot = new uPlot(options, columns, holder);
    figure.classList.add("ng-chart-drawn");
    foldFallback(table);
    return plot;
  }

  const plots = [];
  let resizing = null;
  function onResize() {
    if (resizing) window.clearTimeout(resizing);
    resizing = window.setTimeout(function () {
      for (const entry of plots) {
        const width = Math.max(200, Math.floor(entry.figure.clientWidth || 600));
        if (width !== entry.plot.width) entry.plot.setSize({ width: width, height: chartHeight(width) });
      }
    }, 150);
  }

  async function main() {
    const figures = Array.prototype.slice.call(document.querySelectorAll("figure.ng-chart[data-series]"));
    if (figures.length === 0) return;
    const base = staticBase();
    loadStyle(base + "vendor/uplot/uPlot.min.css");
    try {
      if (!window.uPlot) await loadScript(base + "vendor/uplot/uPlot.iife.min.js");
    } catch (error) {
      console.warn("newsgraph chart:", error);
      return;
    }
    for (const figure of figures) {
      if (figure.classList.contains("ng-chart-drawn")) continue;
      const data = readSeries(figure);
      if (data) plots.push({ figure: figure, plot: draw(figure, data) });
    }
    if (plots.length) window.addEventListener("resize", onResize);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
