/* newsgraph: offline world maps.
 *
 * Every <figure class="ng-map" data-points='[{"lat": 50.1, "lon": 8.6, "label": "...",
 * "href": "/events?place=..."}]'> gets an SVG map: Natural Earth countries (world-atlas,
 * vendored) drawn with d3-geo in the Natural Earth projection, each point a link around a
 * circle with a <title>, reachable by keyboard. The figure's own list of the same links (the
 * page without JavaScript) is kept, folded into a <details> below the map.
 *
 * The data is untrusted: it only ever reaches the page as attribute values and text nodes,
 * and only http(s) or same-site links become hrefs. Scripts the map needs (d3-array, d3-geo,
 * topojson-client) are loaded from the app's own /static/vendor/ on pages that have a map.
 */
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  // A map fits the points when they lie within this many degrees (longitude, latitude); else the world.
  const SMALL_AREA = [60, 35];
  // The least margin around the points on a fitted map, in degrees.
  const MARGIN = 6;

  function staticBase() {
    const base = (document.body && document.body.dataset.static) || "/static/";
    return base.endsWith("/") ? base : base + "/";
  }

  // Scripts are loaded once per page, whichever of map.js and chart.js asks first.
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

  let atlas = null;
  function loadAtlas(base) {
    if (!atlas) {
      atlas = fetch(base + "vendor/world-atlas/countries-110m.json").then(function (response) {
        if (!response.ok) throw new Error("world atlas: HTTP " + response.status);
        return response.json();
      });
    }
    return atlas;
  }

  async function loadLibraries(base) {
    if (!(window.d3 && window.d3.geoPath)) {
      if (!(window.d3 && window.d3.range)) await loadScript(base + "vendor/d3-array/d3-array.min.js");
      await loadScript(base + "vendor/d3-geo/d3-geo.min.js");
    }
    if (!(window.topojson && window.topojson.feature)) {
      await loadScript(base + "vendor/topojson-client/topojson-client.min.js");
    }
  }

  /** An href we are willing to link to: same-site paths and http(s) URLs only. */
  function safeHref(value) {
    if (typeof value !== "string" || value === "") return null;
    try {
      const url = new URL(value, window.location.href);
      if (url.protocol !== "http:" && url.protocol !== "https:") return null;
      return url.origin === window.location.origin ? url.pathname + url.search + url.hash : url.href;
    } catch (error) {
      return null;
    }
  }

  /** The points of a figure that can be drawn; bad entries are left out, not fatal. */
  function readPoints(figure) {
    let raw;
    try {
      raw = JSON.parse(figure.dataset.points || "[]");
    } catch (error) {
      return [];
    }
    if (!Array.isArray(raw)) return [];
    const points = [];
    for (const item of raw) {
      if (!item || typeof item !== "object") continue;
      const lat = Number(item.lat);
      const lon = Number(item.lon);
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) continue;
      points.push({
        lat: lat,
        lon: lon,
        label: typeof item.label === "string" ? item.label : String(item.label == null ? "" : item.label),
        href: safeHref(item.href),
      });
    }
    return points;
  }

  /** What the projection is fitted to: the points with a margin when they are close together, else the sphere. */
  function fitTarget(points) {
    if (points.length === 0) return { type: "Sphere" };
    const lons = points.map(function (p) { return p.lon; });
    const lats = points.map(function (p) { return p.lat; });
    const west = Math.min.apply(null, lons);
    const east = Math.max.apply(null, lons);
    const south = Math.min.apply(null, lats);
    const north = Math.max.apply(null, lats);
    if (east - west > SMALL_AREA[0] || north - south > SMALL_AREA[1]) return { type: "Sphere" };
    const padLon = Math.max(MARGIN * 1.5, (east - west) * 0.3);
    const padLat = Math.max(MARGIN, (north - south) * 0.3);
    const w = Math.max(-180, west - padLon);
    const e = Math.min(180, east + padLon);
    const s = Math.max(-85, south - padLat);
    const n = Math.min(85, north + padLat);
    return { type: "MultiPoint", coordinates: [[w, s], [e, s], [w, n], [e, n], [(w + e) / 2, s], [(w + e) / 2, n]] };
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const key of Object.keys(attributes || {})) element.setAttribute(key, String(attributes[key]));
    return element;
  }

  /** Move the figure's no-JS list (or table) into a closed <details> below the drawing. */
  function foldFallback(figure, selector, summaryText) {
    const fallback = figure.querySelector(selector);
    if (!fallback || fallback.closest("details")) return;
    const details = document.createElement("details");
    details.className = "ng-fallback";
    const summary = document.createElement("summary");
    summary.textContent = summaryText;
    details.appendChild(summary);
    fallback.parentNode.insertBefore(details, fallback);
    details.appendChild(fallback);
  }

  function draw(figure, world, points) {
    const d3 = window.d3;
    const topojson = window.topojson;
    const width = Math.max(240, Math.round(figure.clientWidth || 640));
    const height = Math.round(width * 0.52);
    const projection = d3.geoNaturalEarth1();
    const pad = Math.round(width * 0.02);
    projection.fitExtent([[pad, pad], [width - pad, height - pad]], fitTarget(points));
    const path = d3.geoPath(projection);

    const svg = svgElement("svg", {
      class: "ng-map-svg",
      viewBox: "0 0 " + width + " " + height,
      width: "100%",
      "aria-label": figure.dataset.label || "Map of " + points.length + (points.length === 1 ? " place" : " places"),
    });
    svg.appendChild(svgElement("path", { class: "ng-sphere", d: path({ type: "Sphere" }), fill: "#eef4f8", stroke: "#9ab" }));
    const countries = topojson.feature(world, world.objects.countries);
    svg.appendChild(svgElement("path", { class: "ng-land", d: path(countries), fill: "#dde3d5" }));
    const borders = topojson.mesh(world, world.objects.countries, function (a, b) { return a !== b; });
    svg.appendChild(svgElement("path", { class: "ng-borders", d: path(borders), fill: "none", stroke: "#fff", "stroke-width": 0.6 }));

    const layer = svgElement("g", { class: "ng-points" });
    const radius = Math.max(4, Math.min(7, width / 120));
    for (const point of points) {
      const xy = projection([point.lon, point.lat]);
      if (!xy || !Number.isFinite(xy[0]) || !Number.isFinite(xy[1])) continue;
      const circle = svgElement("circle", {
        class: "ng-point",
        cx: xy[0].toFixed(1),
        cy: xy[1].toFixed(1),
        r: radius.toFixed(1),
        fill: "#c0392b",
        "fill-opacity": 0.8,
        stroke: "#fff",
        "stroke-width": 1,
      });
      const title = svgElement("title");
      title.textContent = point.label;
      circle.appendChild(title);
      if (point.href) {
        const link = svgElement("a", { href: point.href, class: "ng-point-link", "aria-label": point.label });
        link.appendChild(circle);
        layer.appendChild(link);
      } else {
        layer.appendChild(circle);
      }
    }
    svg.appendChild(layer);
    // The drawing takes the place of the list, which is folded below it.
    const fallback = figure.querySelector("ul, ol");
    if (fallback) fallback.parentNode.insertBefore(svg, fallback);
    else figure.insertBefore(svg, figure.querySelector(":scope > figcaption"));
    figure.classList.add("ng-map-drawn");
    foldFallback(figure, "ul, ol", "Places as a list");
  }

  async function main() {
    const figures = Array.prototype.slice.call(document.querySelectorAll("figure.ng-map[data-points]"));
    if (figures.length === 0) return;
    const base = staticBase();
    try {
      const loaded = await Promise.all([loadLibraries(base), loadAtlas(base)]);
      const world = loaded[1];
      for (const figure of figures) {
        if (figure.classList.contains("ng-map-drawn")) continue;
        draw(figure, world, readPoints(figure));
      }
    } catch (error) {
      // The list of links in each figure still works: say why the map is missing, quietly.
      console.warn("newsgraph map:", error);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
