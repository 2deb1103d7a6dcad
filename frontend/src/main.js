// The explorer's page: a CesiumJS globe of one assessment's geometry, its verdict table, and what-if sliders.
// Everything it shows comes from the local server's /api (see src/shieldcheck/explorer/server.py); nothing is
// fetched from anywhere else: no Cesium ion token, no tile server, the imagery is Cesium's bundled Natural Earth II.
"use strict";

// Verdict colours (RGBA), order (best first) and words: the server's one table (shieldcheck/verdicts.py), sent
// with /api/results and filled in by setVerdicts() before anything is drawn.
const VERDICT_RGBA = {};
const VERDICT_ORDER = [];
const VERDICT_WORDS = {};

function setVerdicts(table) {
  for (const v of table) { // best first
    VERDICT_RGBA[v.name] = v.rgba;
    VERDICT_ORDER.push(v.name);
    VERDICT_WORDS[v.name] = v.words;
  }
}
// Table columns: key, heading, how a row shows it, and whether it stays visible on a narrow screen.
const COLUMNS = [
  { key: "missile", head: "Missile", narrow: true, show: (r) => r.missile },
  { key: "launch", head: "From", narrow: false, show: (r) => r.launch },
  { key: "aim", head: "To", narrow: true, show: (r) => r.aim },
  { key: "site", head: "Site", narrow: true, show: (r) => r.site },
  { key: "verdict", head: "Verdict", narrow: true, show: (r) => VERDICT_WORDS[r.verdict] || r.verdict },
  { key: "margin_s", head: "Margin (s)", narrow: true, show: (r) => number(r.margin_s, 0) },
  { key: "window_earliest_s", head: "Window (s)", narrow: false,
    show: (r) => (r.window_earliest_s == null ? "–" : `${number(r.window_earliest_s, 0)}–${number(r.window_latest_s, 0)}`) },
  { key: "intercept_altitude_km", head: "Intercept alt. (km)", narrow: false, show: (r) => number(r.intercept_altitude_km, 0) },
  { key: "flight_id", head: "Flight", narrow: false, show: (r) => String(r.flight_id) },
];
// The bounds of the what-if's numbers (low, high, unit, why): the server's one table (shieldcheck/limits.py), sent
// with /api/results as `limits` (by request field) and filled in by setLimits(); the sliders span them.
const LIMITS = {};

function setLimits(table) {
  Object.assign(LIMITS, table);
  for (const s of SLIDERS) {
    const bound = LIMITS[s.field];
    const input = $(s.id);
    if (!bound) continue;
    input.min = String(bound.low);
    input.max = String(bound.high);
    input.title = `${bound.low} to ${bound.high} ${bound.unit}: ${bound.why}`;
  }
}

const SLIDERS = [ // state key, input id, unit shown, request field
  { key: "speed", id: "speed", unit: "km/s", digits: 2, field: "burnout_speed_km_s" },
  { key: "delay", id: "delay", unit: "s", digits: 0, field: "launch_delay_s" },
  { key: "altitude", id: "altitude", unit: "km", digits: 0, field: "min_intercept_altitude_km" },
];
const POLL_MS = 250;
const PLAY_SECONDS = 20; // a selected flight plays in about this many seconds of wall time

const $ = (id) => document.getElementById(id);
const state = { result: "", phase: "", basis: "", site: "", flight: null, at: "", speed: null, delay: null, altitude: null };
const view = { results: [], rows: [], baseRows: [], assumptions: [], sort: { key: "margin_s", descending: true },
               viewer: null, source: null, czml: null, home: null, loadToken: 0, whatifToken: 0, applied: null };

function number(value, digits) {
  return value == null || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}

function cssColour(verdict, alpha) {
  const [r, g, b] = VERDICT_RGBA[verdict] || [128, 128, 128];
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

// ---- one line of trouble, never a stack trace ----
function say(text) {
  const line = $("status");
  line.textContent = text;
  line.hidden = !text;
}
window.addEventListener("error", (event) => say(`Something went wrong on this page: ${event.message}`));
window.addEventListener("unhandledrejection", (event) => say(String(event.reason && event.reason.message || event.reason)));

async function api(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new Error(`the shieldcheck server does not answer (${path}); is \`shieldcheck serve\` still running?`);
  }
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (typeof (body && body.detail) === "string") detail = body.detail;
      else if (Array.isArray(body && body.detail)) { // a request the server's schema refused: field and reason
        detail = body.detail.map((d) => `${(d.loc || []).slice(-1)[0]}: ${d.msg}`).join("; ");
      }
    } catch (ignored) { /* not JSON: keep the status line */ }
    throw new Error(detail);
  }
  return response;
}

// ---- the URL hash carries the state, so a reload or a shared link reopens the same view ----
function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const key of ["result", "phase", "basis", "site", "at"]) state[key] = params.get(key) || "";
  const flight = Number.parseInt(params.get("flight"), 10);
  state.flight = Number.isFinite(flight) ? flight : null;
  for (const s of SLIDERS) {
    const value = Number.parseFloat(params.get(s.key));
    state[s.key] = Number.isFinite(value) ? value : null;
  }
}

function writeHash() {
  const params = new URLSearchParams();
  for (const key of ["result", "phase", "basis", "site", "at"]) if (state[key]) params.set(key, state[key]);
  if (state.flight != null) params.set("flight", String(state.flight));
  for (const s of SLIDERS) if (state[s.key] != null) params.set(s.key, String(state[s.key]));
  history.replaceState(null, "", `#${params.toString()}`);
}

function query(extra) {
  const params = new URLSearchParams({ phase: state.phase, basis: state.basis, ...(extra || {}) });
  return params.toString();
}

// ---- the globe ----
function makeViewer() {
  Cesium.Ion.defaultAccessToken = "";
  try {
    const viewer = new Cesium.Viewer("globe", {
      baseLayer: Cesium.ImageryLayer.fromProviderAsync(
        Cesium.TileMapServiceImageryProvider.fromUrl(Cesium.buildModuleUrl("Assets/Textures/NaturalEarthII"))),
      terrainProvider: new Cesium.EllipsoidTerrainProvider(),
      baseLayerPicker: false,
      geocoder: false,
      sceneModePicker: false,
      navigationHelpButton: false,
      fullscreenButton: false,
      homeButton: true,
      skyBox: false, // no stars, Sun or Moon: nothing to fetch that the geometry does not need
      requestRenderMode: true, // draw when something changes (camera, data, a playing clock), not 60 times a second
      animation: true,
      timeline: true,
      shouldAnimate: false,
    });
    viewer.scene.backgroundColor = Cesium.Color.fromCssColorString("#0b1320");
    // The map's own colours, unshaded: no ground atmosphere, fog or lighting to tint what the imagery shows
    // (and less to draw per pixel on a machine without a GPU).
    viewer.scene.globe.showGroundAtmosphere = false;
    viewer.scene.globe.enableLighting = false;
    viewer.scene.fog.enabled = false;
    // Rendering on request, the globe's tiles load only in frames: keep drawing while some are still queued.
    let queued = 0;
    viewer.scene.globe.tileLoadProgressEvent.addEventListener((count) => { queued = count; });
    viewer.scene.postRender.addEventListener(() => {
      if (queued > 0) requestAnimationFrame(() => viewer.scene.requestRender());
    });
    viewer.homeButton.viewModel.command.beforeExecute.addEventListener((event) => {
      event.cancel = true;
      overview();
    });
    return viewer;
  } catch (error) {
    say(`This browser cannot draw the globe (${error.message}); the table and what-ifs still work.`);
    return null;
  }
}

// Positions (Cartesian3) drawn by a CZML document's packets, optionally only those whose id passes `keep`.
// With `endsOnly`, a track gives only its first and last point (launch and impact).
function czmlPositions(packets, keep, endsOnly) {
  const out = [];
  for (const packet of packets) {
    if (keep && !keep(packet.id)) continue;
    const degrees = packet.position && packet.position.cartographicDegrees;
    if (!Array.isArray(degrees)) continue;
    const stride = packet.position.epoch || degrees.length % 3 !== 0 || degrees.length === 4 ? 4 : 3;
    const offset = stride === 4 ? 1 : 0;
    const last = degrees.length - stride;
    for (let k = 0; k + stride <= degrees.length; k += stride) {
      if (endsOnly && k !== 0 && k !== last) continue;
      out.push(Cesium.Cartesian3.fromDegrees(degrees[k + offset], degrees[k + offset + 1], degrees[k + offset + 2]));
    }
  }
  return out;
}

// Look straight down on a geometry: from above the centre of the smallest cap of directions that holds its
// `ground` points (launch and impact points, sites: Badoiu and Clarkson's iteration from their mean
// direction), and from just far enough that the share `keep` of its `points` (the tracks, heights included)
// is inside the view. (A bounding sphere would do for a small region, but the threat geometry spans a
// hemisphere and its sphere's centre lies deep in the Earth.)
function viewFromAbove(ground, allPoints, keep, durationS) {
  if (!view.viewer || ground.length === 0) return;
  const C = Cesium.Cartesian3;
  const units = ground.map((p) => C.normalize(p, new C()));
  const centre = units.reduce((sum, u) => C.add(sum, u, sum), new C());
  if (C.magnitude(centre) < 1e-6) return; // points all round the globe: keep the view
  C.normalize(centre, centre);
  const step = new C();
  for (let k = 1; k <= 100; k++) {
    let far = units[0];
    let farRad = -1;
    for (const u of units) {
      const angle = C.angleBetween(centre, u);
      if (angle > farRad) [far, farRad] = [u, angle];
    }
    C.multiplyByScalar(C.subtract(far, centre, step), 1 / (k + 1), step);
    C.normalize(C.add(centre, step, centre), centre);
  }
  // the narrower half field of view of the camera (Cesium's fov spans the longer side of the canvas), less 10 %
  const frustum = view.viewer.camera.frustum;
  const tanHalf = Math.tan(frustum.fov / 2);
  const tanHalfView = 0.9 * Math.min(tanHalf, frustum.aspectRatio < 1 ? tanHalf * frustum.aspectRatio : tanHalf / frustum.aspectRatio);
  const radiusM = Cesium.Ellipsoid.WGS84.maximumRadius;
  const stride = Math.ceil(allPoints.length / 20000);
  const needed = [];
  for (let k = 0; k < allPoints.length; k += stride) {
    const along = C.dot(allPoints[k], centre);
    const across = C.magnitude(C.subtract(allPoints[k], C.multiplyByScalar(centre, along, step), step));
    needed.push(along + across / tanHalfView);
  }
  needed.sort((x, y) => x - y);
  const distanceM = Math.max(1.05 * radiusM, needed.length ? needed[Math.floor(keep * (needed.length - 1))] : 0);
  const below = Cesium.Cartographic.fromCartesian(C.multiplyByScalar(centre, radiusM, new C()));
  view.viewer.camera.flyTo({
    destination: C.fromRadians(below.longitude, below.latitude, distanceM - radiusM),
    orientation: { heading: 0, pitch: -Math.PI / 2, roll: 0 },
    duration: durationS,
  });
}

// Back to the whole geometry: no flight chosen, every track drawn whole, the camera over all of it.
function overview() {
  state.flight = null;
  state.at = "";
  $("selected").hidden = true;
  writeHash();
  drawTable();
  colourGlobe();
  const clock = view.viewer.clock;
  if (view.source) {
    clock.startTime = view.source.clock.startTime.clone();
    clock.stopTime = view.source.clock.stopTime.clone();
    clock.currentTime = clock.stopTime.clone();
    clock.shouldAnimate = false;
    view.viewer.timeline.zoomTo(clock.startTime, clock.stopTime);
  }
  view.viewer.selectedEntity = undefined;
  flyHome(1.5);
}

function flyHome(durationS) {
  if (!view.czml) return;
  const drawn = (id) => /^(flight|site)-/.test(id);
  viewFromAbove(czmlPositions(view.czml, drawn, true), czmlPositions(view.czml, drawn), 1, durationS);
}


async function loadScene(token) {
  if (!view.viewer) return;
  const response = await api(`/api/results/${encodeURIComponent(state.result)}/scene.czml?${query()}`);
  const packets = await response.json();
  if (token !== view.loadToken) return;
  // A track is drawn whole once its flight is over (the scene limits each flight to its own interval, which
  // would hide every shorter flight while the longest is still drawn): the path's own samples bound it.
  for (const packet of packets) if (/^flight-/.test(packet.id)) delete packet.availability;
  const source = await Cesium.CzmlDataSource.load(packets);
  if (token !== view.loadToken) return;
  if (view.source) view.viewer.dataSources.remove(view.source, true);
  view.source = source;
  view.czml = packets;
  await view.viewer.dataSources.add(source);
  colourGlobe();
  const clock = view.viewer.clock;
  clock.currentTime = clock.stopTime.clone(); // every track drawn whole until a flight is played
  clock.shouldAnimate = false;
  view.viewer.timeline.zoomTo(clock.startTime, clock.stopTime);
  if (state.flight == null) flyHome(0);
}

// Colour each flight's track by its best verdict over the rows shown (what-ifs included), widest when chosen;
// show an intercept point only while its row is feasible.
function colourGlobe() {
  if (!view.source) return;
  const best = new Map();
  for (const row of shownRows()) {
    const old = best.get(row.flight_id);
    if (!old || VERDICT_ORDER.indexOf(row.verdict) < VERDICT_ORDER.indexOf(old)) best.set(row.flight_id, row.verdict);
  }
  const feasible = new Set(view.rows.filter((r) => r.verdict === "feasible").map((r) => `${r.flight_id}-${r.site}`));
  const hidden = new Set([...document.querySelectorAll("#layers input:not(:checked)")].map((box) => box.dataset.kind));
  for (const entity of view.source.entities.values) {
    const kind = entity.properties && entity.properties.kind ? entity.properties.kind.getValue() : "";
    if (["radar", "site", "sector", "detection"].includes(kind)) {
      entity.show = !hidden.has(kind);
      if (entity.wall) entity.wall.outline = false; // a fan's outline is hundreds of lines: the wall alone reads better
      continue;
    }
    const match = /^flight-(\d+)$/.exec(entity.id);
    if (match) {
      const id = Number(match[1]);
      const verdict = best.get(id);
      entity.show = verdict !== undefined;
      if (!verdict) continue;
      // With a flight chosen, the others fade, so that it stands out while all fly together.
      const faded = state.flight != null && id !== state.flight;
      const colour = Cesium.Color.fromBytes(...VERDICT_RGBA[verdict]).withAlpha(faded ? 0.2 : 1);
      if (entity.path) {
        entity.path.material = new Cesium.ColorMaterialProperty(colour);
        entity.path.width = id === state.flight ? 5 : 2;
      }
      if (entity.point) entity.point.color = colour;
      continue;
    }
    const intercept = /^(?:intercept|window|reach)-(\d+)-(.+)$/.exec(entity.id);
    if (intercept) {
      const key = `${intercept[1]}-${intercept[2]}`;
      const wanted = !hidden.has("intercept") || Number(intercept[1]) === state.flight;
      entity.show = wanted && feasible.has(key) && (!state.site || intercept[2] === state.site);
    }
  }
  addWhatifIntercepts(feasible, hidden);
  if (view.viewer) view.viewer.scene.requestRender();
}

// Intercept points that a what-if made feasible, which the scene (drawn for the catalogued values) lacks.
function addWhatifIntercepts(feasible, hidden) {
  const entities = view.source.entities;
  for (const entity of entities.values.slice()) if (entity.id.startsWith("whatif-")) entities.remove(entity);
  if (!view.applied) return;
  for (const row of view.rows) {
    const key = `${row.flight_id}-${row.site}`;
    if (!feasible.has(key) || row.intercept_lat_deg == null || entities.getById(`intercept-${key}`)) continue;
    if ((state.site && row.site !== state.site) || (hidden.has("intercept") && row.flight_id !== state.flight)) continue;
    entities.add({
      id: `whatif-intercept-${key}`,
      name: `what-if intercept from ${row.site}`,
      description: row.message,
      position: Cesium.Cartesian3.fromDegrees(row.intercept_lon_deg, row.intercept_lat_deg, row.intercept_altitude_km * 1e3),
      point: { pixelSize: 7, color: Cesium.Color.fromBytes(255, 40, 40, 255), outlineColor: Cesium.Color.WHITE, outlineWidth: 1 },
    });
  }
}

// ---- the side panel ----
function currentResult() {
  return view.results.find((r) => r.id === state.result);
}

function fillSelect(select, options, chosen, allLabel) {
  select.replaceChildren();
  if (allLabel) select.append(new Option(allLabel, ""));
  for (const [value, label] of options) select.append(new Option(label, value));
  select.value = chosen;
}

function phaseSites() {
  const result = currentResult();
  return result ? result.sites.filter((s) => s.phase === state.phase) : [];
}

// Make the state name things the result has (a stale or hand-edited link falls back to the defaults, saying so).
function settleChoices() {
  const notes = [];
  if (!currentResult()) {
    if (state.result) notes.push(`result ${JSON.stringify(state.result)} is not served here`);
    state.result = view.results[0].id;
  }
  const result = currentResult();
  if (!result.phases.includes(state.phase)) {
    if (state.phase) notes.push(`phase ${JSON.stringify(state.phase)} is not in ${result.id}`);
    state.phase = result.phases[result.phases.length - 1]; // the latest phase, as the scene files open on
  }
  if (!result.cue_bases.includes(state.basis)) {
    if (state.basis) notes.push(`cue basis ${JSON.stringify(state.basis)} is not in ${result.id}`);
    state.basis = result.cue_bases.includes("bounding") ? "bounding" : result.cue_bases[0];
  }
  if (state.site && !phaseSites().some((s) => s.site === state.site)) {
    notes.push(`site ${JSON.stringify(state.site)} is not in ${state.phase}`);
    state.site = "";
  }
  if (state.speed != null && !state.site) {
    notes.push("a burnout speed needs a site");
    state.speed = null;
  }
  fillSelect($("result"), view.results.map((r) => [r.id, r.title || r.id]), state.result);
  fillSelect($("phase"), result.phases.map((p) => [p, p]), state.phase);
  fillSelect($("basis"), result.cue_bases.map((b) => [b, `${b} cue`]), state.basis);
  fillSelect($("site"), phaseSites().map((s) => [s.site, `${s.site} (${s.interceptor})`]), state.site, "All sites");
  return notes;
}

// The site whose interceptor the speed slider changes: the site chosen in the panel (none: the slider is off,
// since one speed for every interceptor of a phase would mean nothing).
function sliderSite() {
  return phaseSites().find((s) => s.site === state.site) || null;
}

function setUpSliders() {
  const result = currentResult();
  const site = sliderSite();
  const interceptor = site && result.interceptors.find((i) => i.name === site.interceptor);
  const speed = $("speed");
  speed.disabled = !interceptor;
  speed.title = interceptor ? `${interceptor.name} at ${site.site}` : "choose a site to vary its interceptor's speed";
  if (interceptor) { // the catalogued band of its burnout speed, inside the served bound
    const bound = LIMITS.burnout_speed_km_s || { low: -Infinity, high: Infinity };
    speed.min = String(Math.max(interceptor.low, bound.low));
    speed.max = String(Math.min(interceptor.high, bound.high));
    speed.value = String(state.speed ?? interceptor.burnout_speed_km_s);
  }
  $("delay").value = String(state.delay ?? result.launch_delay_s);
  const altitudes = result.min_intercept_altitude_km || {};
  const catalogued = interceptor ? altitudes[interceptor.name] : Object.values(altitudes)[0];
  $("altitude").value = String(state.altitude ?? catalogued ?? 0);
  showSliderValues();
}

function showSliderValues() {
  for (const s of SLIDERS) {
    const input = $(s.id);
    const text = `${Number(input.value).toFixed(s.digits)} ${s.unit}`;
    $(`${s.id}-value`).textContent = input.disabled ? "(choose a site)" : state[s.key] == null ? `${text}, as catalogued` : text;
  }
}

function shownRows() {
  return state.site ? view.rows.filter((r) => r.site === state.site) : view.rows;
}

function sortRows(rows) {
  const { key, descending } = view.sort;
  const sign = descending ? -1 : 1;
  const value = (r) => (key === "verdict" ? VERDICT_ORDER.indexOf(r.verdict) : r[key]);
  return rows.slice().sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x == null && y == null) return a.flight_id - b.flight_id;
    if (x == null) return 1; // no number: last either way
    if (y == null) return -1;
    if (x === y) return a.flight_id - b.flight_id || String(a.site).localeCompare(String(b.site));
    return typeof x === "number" ? sign * (x - y) : sign * String(x).localeCompare(String(y));
  });
}

function drawTable() {
  const head = $("verdicts").tHead.rows[0];
  head.replaceChildren();
  for (const column of COLUMNS) {
    const cell = document.createElement("th");
    cell.dataset.key = column.key;
    cell.className = column.narrow ? "key" : "extra";
    cell.setAttribute("aria-sort", view.sort.key !== column.key ? "none" : view.sort.descending ? "descending" : "ascending");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = column.head;
    button.addEventListener("click", () => {
      view.sort = { key: column.key, descending: view.sort.key === column.key ? !view.sort.descending : column.key === "margin_s" };
      drawTable();
    });
    cell.append(button);
    head.append(cell);
  }
  const body = $("verdicts").tBodies[0];
  body.replaceChildren();
  const rows = sortRows(shownRows());
  for (const row of rows) {
    const line = body.insertRow();
    line.dataset.flight = String(row.flight_id);
    line.dataset.site = row.site;
    line.dataset.verdict = row.verdict;
    line.style.setProperty("--verdict", cssColour(row.verdict, 1));
    line.style.setProperty("--verdict-wash", cssColour(row.verdict, 0.18));
    line.title = `${row.trajectory} trajectory (${row.purpose}): ${row.message}`;
    line.tabIndex = 0;
    if (row.flight_id === state.flight && (!state.at || row.site === state.at)) line.classList.add("chosen");
    for (const column of COLUMNS) {
      const cell = line.insertCell();
      cell.className = column.narrow ? "key" : "extra";
      cell.dataset.key = column.key;
      cell.textContent = column.show(row);
    }
    line.addEventListener("click", () => choose(row, true));
    line.addEventListener("keydown", (event) => { if (event.key === "Enter") choose(row, true); });
  }
  const feasible = rows.filter((r) => r.verdict === "feasible").length;
  const whatif = view.applied ? ` — what-if: ${describeApplied(view.applied)}` : "";
  $("counts").textContent = `${rows.length} engagements, ${feasible} engageable (${state.phase}, ${state.basis} cue)${whatif}`;
}

function describeApplied(applied) {
  const words = [];
  if (applied.burnout_speed_km_s != null) {
    words.push(`burnout speed ${applied.burnout_speed_km_s} km/s${applied.interceptors && applied.interceptors.length
      ? ` (${applied.interceptors.join(", ")})` : ""}`);
  }
  if (applied.launch_delay_s != null) words.push(`launch delay ${applied.launch_delay_s} s`);
  if (applied.min_intercept_altitude_km != null) words.push(`minimum intercept altitude ${applied.min_intercept_altitude_km} km`);
  return words.join(", ") || "as catalogued";
}

function drawLegend() {
  const legend = $("legend");
  legend.replaceChildren();
  for (const verdict of VERDICT_ORDER) {
    const item = document.createElement("li");
    item.style.setProperty("--verdict", cssColour(verdict, 1));
    item.textContent = VERDICT_WORDS[verdict];
    legend.append(item);
  }
}

function drawAssumptions() {
  const list = $("assumptions").querySelector("ul");
  list.replaceChildren(...view.assumptions.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
}

// ---- one engagement: fly to it, play it, explain it ----
async function choose(row, fly) {
  state.flight = row.flight_id;
  state.at = row.site;
  writeHash();
  drawTable();
  setUpSliders();
  colourGlobe();
  $("selected").hidden = false;
  $("selected-title").textContent = `${row.missile} ${row.launch} → ${row.aim} (${row.trajectory}), ${row.site} ${row.interceptor}`;
  $("selected-message").textContent = row.message;
  $("selected-message").style.setProperty("--verdict", cssColour(row.verdict, 1));
  if (fly) playFlight(row);
  const figure = $("battlespace");
  figure.hidden = true;
  figure.dataset.state = "loading"; // then "shown" or "none" (the browser tests wait on it)
  const url = `/api/results/${encodeURIComponent(state.result)}/battlespace.png?${query({ site: row.site, flight_id: row.flight_id })}`;
  let shown = false;
  try {
    const response = await fetch(url);
    if (response.ok && state.flight === row.flight_id && state.at === row.site) {
      const image = figure.querySelector("img");
      if (image.src.startsWith("blob:")) URL.revokeObjectURL(image.src);
      image.src = URL.createObjectURL(await response.blob());
      await image.decode();
      figure.querySelector("figcaption").textContent = `Battle space of ${row.interceptor} at ${row.site} against this flight`;
      figure.hidden = false;
      shown = true;
    }
  } catch (ignored) { /* no figure: the sentence says it all */ }
  if (state.flight === row.flight_id && state.at === row.site) figure.dataset.state = shown ? "shown" : "none";
}

function playFlight(row) {
  if (!view.viewer || !view.czml) return;
  const id = `flight-${row.flight_id}`;
  const packet = view.czml.find((p) => p.id === id);
  const entity = view.source && view.source.entities.getById(id);
  if (!packet || !entity) return;
  const mine = (pid) => pid === id || pid === `site-${row.site}`;
  viewFromAbove(czmlPositions(view.czml, mine, true), czmlPositions(view.czml, mine), 1, 2);
  const degrees = packet.position.cartographicDegrees;
  const epoch = Cesium.JulianDate.fromIso8601(packet.position.epoch);
  const start = Cesium.JulianDate.addSeconds(epoch, degrees[0], new Cesium.JulianDate());
  const stop = Cesium.JulianDate.addSeconds(epoch, degrees[degrees.length - 4], new Cesium.JulianDate());
  const clock = view.viewer.clock;
  clock.startTime = start;
  clock.stopTime = stop;
  clock.currentTime = start.clone();
  clock.clockRange = Cesium.ClockRange.LOOP_STOP;
  clock.multiplier = Math.max(1, Cesium.JulianDate.secondsDifference(stop, start) / PLAY_SECONDS);
  clock.shouldAnimate = true;
  view.viewer.timeline.zoomTo(start, stop);
  view.viewer.selectedEntity = entity;
}

// ---- what-if: POST, poll with a progress bar, then the table and the globe ----
async function runWhatif() {
  busy(+1);
  try {
    await runWhatifNow();
  } finally {
    busy(-1);
  }
}

async function runWhatifNow() {
  const token = ++view.whatifToken;
  const site = sliderSite();
  const body = { result: state.result, phase: state.phase, basis: state.basis, site: state.site || null, flight_id: null };
  for (const s of SLIDERS) body[s.field] = state[s.key];
  if (!site) body.burnout_speed_km_s = null;
  if (SLIDERS.every((s) => state[s.key] == null)) {
    view.rows = view.baseRows;
    view.applied = null;
    drawTable();
    colourGlobe();
    return;
  }
  const progress = $("progress");
  progress.hidden = false;
  progress.value = 0;
  progress.removeAttribute("value"); // indeterminate until the job says how far it is
  $("progress-text").textContent = "asking the engine…";
  try {
    const started = await (await api("/api/whatif", { method: "POST", headers: { "content-type": "application/json" },
                                                      body: JSON.stringify(body) })).json();
    for (;;) {
      const job = await (await api(`/api/jobs/${encodeURIComponent(started.job)}`)).json();
      if (token !== view.whatifToken) return; // a newer what-if replaced this one
      if (job.total) {
        progress.max = job.total;
        progress.value = job.done;
      }
      $("progress-text").textContent = `${job.what || "working"} ${job.total ? `${job.done}/${job.total}` : ""}`.trim();
      if (job.state === "failed") throw new Error(job.error || "the what-if failed");
      if (job.state === "done") {
        mergeRows(job.result.rows);
        view.applied = job.result.applied || {};
        $("progress-text").textContent = `answered in ${number(job.result.elapsed_s, 1)} s`;
        say("");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    if (token === view.whatifToken) {
      say(`What-if not answered: ${error.message}`);
      $("progress-text").textContent = "";
    }
  } finally {
    if (token === view.whatifToken) progress.hidden = true;
  }
  drawTable();
  colourGlobe();
}

// The what-if's rows replace the catalogued rows of the same (flight, site); the others stay as catalogued.
function mergeRows(rows) {
  const fresh = new Map(rows.map((r) => [`${r.flight_id}|${r.site}`, r]));
  view.rows = view.baseRows.map((r) => fresh.get(`${r.flight_id}|${r.site}`) || r);
}

// ---- loading a (result, phase, basis) ----
async function loadView() {
  busy(+1);
  try {
    await loadViewNow();
  } finally {
    busy(-1);
  }
}

// The page's count of unfinished loads and what-ifs, in <body data-busy>: the browser tests wait for "0".
function busy(change) {
  view.busy = (view.busy || 0) + change;
  document.body.dataset.busy = String(view.busy);
}

async function loadViewNow() {
  const token = ++view.loadToken;
  view.whatifToken++;
  say("");
  const notes = settleChoices();
  setUpSliders();
  drawLegend();
  writeHash();
  $("counts").textContent = "loading verdicts…";
  const scene = loadScene(token).catch((error) => say(`The globe could not load this scene: ${error.message}`));
  try {
    const response = await api(`/api/results/${encodeURIComponent(state.result)}/verdicts?${query()}`);
    const answer = await response.json();
    if (token !== view.loadToken) return;
    view.baseRows = answer.rows;
    view.rows = answer.rows;
    view.applied = null;
    view.assumptions = answer.assumptions || [];
  } catch (error) {
    if (token === view.loadToken) {
      say(`Verdicts not loaded: ${error.message}`);
      $("counts").textContent = "";
    }
    return;
  }
  drawAssumptions();
  drawTable();
  colourGlobe();
  if (notes.length) say(`This link names what is not here (${notes.join("; ")}); showing the defaults instead.`);
  await scene;
  if (token !== view.loadToken) return;
  const row = state.flight == null ? null
    : view.rows.find((r) => r.flight_id === state.flight && (!state.at || r.site === state.at));
  if (row) await choose(row, true);
  if (SLIDERS.some((s) => state[s.key] != null)) await runWhatif();
}

function bindControls() {
  const reload = (keep) => () => {
    for (const key of ["result", "phase", "basis"]) if (!keep.includes(key)) state[key] = $(key).value;
    state.flight = null;
    state.at = "";
    $("selected").hidden = true;
    loadView();
  };
  $("result").addEventListener("change", () => {
    state.result = $("result").value;
    state.phase = "";
    state.basis = "";
    state.site = "";
    for (const s of SLIDERS) state[s.key] = null;
    reload(["result", "phase", "basis"])();
  });
  $("phase").addEventListener("change", () => { // another phase has other sites: the speed goes with the site
    state.site = "";
    state.speed = null;
    reload([])();
  });
  $("basis").addEventListener("change", reload([]));
  $("site").addEventListener("change", () => {
    state.site = $("site").value;
    state.speed = null; // the speed belongs to one site's interceptor
    setUpSliders();
    writeHash();
    drawTable();
    colourGlobe();
    runWhatif();
  });
  for (const s of SLIDERS) {
    const input = $(s.id);
    input.addEventListener("input", () => {
      state[s.key] = Number(input.value);
      showSliderValues();
    });
    input.addEventListener("change", () => {
      state[s.key] = Number(input.value);
      showSliderValues();
      writeHash();
      runWhatif();
    });
  }
  for (const box of document.querySelectorAll("#layers input")) box.addEventListener("change", colourGlobe);
  $("reset").addEventListener("click", () => {
    for (const s of SLIDERS) state[s.key] = null;
    setUpSliders();
    writeHash();
    runWhatif();
  });
  window.addEventListener("hashchange", () => { // a link pasted or edited by hand (our own writes replace state)
    readHash();
    loadView();
  });
}

async function start() {
  readHash();
  bindControls();
  view.viewer = makeViewer();
  try {
    const answer = await (await api("/api/results")).json();
    setVerdicts(answer.verdicts || []);
    setLimits(answer.limits || {});
    drawLegend();
    view.results = answer.results || [];
  } catch (error) {
    say(`Results not loaded: ${error.message}`);
    return;
  }
  if (view.results.length === 0) {
    say("The server holds no results: start it with `shieldcheck serve RESULT_DIR` or with none to assess epaa.");
    return;
  }
  await loadView();
  document.body.dataset.ready = "true"; // the browser tests wait for this
}

window.explorer = view; // the page's state, for the browser tests and a curious reader's console
start();
