// The ring map (web/templates/maps/show.html): draws a young person's network with
// vis-network (window.vis, from the vendored standalone build loaded just before this module).
//
// - The young person is in the middle; five rings around them, ring 5 (the closest) innermost.
//   Everyone sits on the ring of their closeness, spread evenly around it in a stable order
//   (by category, then name), a crowded ring staggering its people on up to three tracks.
// - Colour AND shape show the category; a dashed, hollow shape with a "?" badge marks someone
//   lost or being searched for; a red "!" badge marks a safeguarding warning (only for roles
//   that may see them: the API leaves `safeguarding` out otherwise).
// - Drag someone to another ring and the new closeness is saved (PATCH, with the version so
//   that a stale map is refused with 409); the change is announced in a live region.
// - Filters hide people by category, support and status; zoom buttons, wheel zoom, "fit".
// - window.netmapMap is a small read-only hook for the browser tests (node positions on the
//   screen, ring points); nothing in the page depends on it.
//
// No inline script or style anywhere: configuration comes from the data-config attribute.

const app = document.getElementById("network-map-app");

const FONT_FAMILY = "arial, sans-serif";
const MIN_SCREEN_FONT = 12; // px: labels are never drawn smaller than this (issue 19: on a phone too)...
const MAX_SCREEN_FONT = 20; //    ...nor larger than this, whatever the zoom.
const CENTRE = "__young_person__";
// Bigger networks start with the lines between people hidden and get a taller picture
// (TIES_UP_TO in web/views/maps.py: the print view leaves those lines out too).
const TIES_UP_TO = 60;
const WHITE = "#ffffff";
const BLACK = "#0b0c0c";
const RING_LINE = "#8a8f92";
const GONE_WORDS = { deceased: "died", declined: "declined", ended: "contact ended" };
const GONE_FILL = "#f3f2f1";
const GONE_LINE = "#505a5f";
const BAND = "#f3f2f1";
const FOCUS = "#ffdd00";
const BLUE = "#1d70b8";

async function start() {
  if (!window.vis || !window.vis.Network) {
    throw new Error("vis-network did not load");
  }
  const cfg = JSON.parse(app.dataset.config);
  const map = new RingMap(cfg);
  await map.load();
  document.getElementById("map-nojs").hidden = true;
  document.body.classList.add("app-map--ready-page");
}

// --- measuring text -------------------------------------------------------------------------

const measureCtx = document.createElement("canvas").getContext("2d");

function textWidth(text, size, bold = false) {
  measureCtx.font = `${bold ? "700 " : ""}${size}px ${FONT_FAMILY}`;
  return measureCtx.measureText(text).width;
}

function shortName(name) {
  const parts = (name || "").trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return "?";
  if (parts.length === 1) return parts[0];
  return `${parts[0]} ${parts[parts.length - 1][0]}.`;
}

function longDate(iso) {
  if (!iso) return "";
  const day = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return iso;
  return day.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function percentile(values, p) {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const RINGS = [5, 4, 3, 2, 1];

class RingMap {
  constructor(cfg) {
    this.cfg = cfg;
    this.container = document.getElementById("network-map");
    this.status = document.getElementById("map-status");
    this.details = document.getElementById("map-details");
    this.count = document.getElementById("map-count");
    this.filters = document.getElementById("map-filters");
    this.paths = Object.fromEntries(Object.entries(cfg.shapes).map(([k, d]) => [k, new Path2D(d)]));
    this.rows = new Map(); // connection id -> {connection, person, ring, label, ...}
    this.scale = 1;
    this.hiddenIds = new Set();
    this.visibleLabels = new Set();
    this.highlightRing = null;
    this.dragging = null;
    this.csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
    this.hook = { ready: false, nodes: 0, positioned: 0 };
    window.netmapMap = this.publicHook();
  }

  label(code) {
    return (code && this.cfg.labels[code]) || (code ? code.replaceAll("_", " ") : "");
  }

  ringTitle(ring) {
    return `Ring ${ring}: ${this.cfg.ringNames[ring]}`;
  }

  // --- data ---------------------------------------------------------------------------------

  async load() {
    const response = await fetch(this.cfg.networkUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(`network ${response.status}`);
    this.setData(await response.json());
    app.hidden = false;
    this.build();
    this.bindControls();
  }

  setData(data) {
    this.data = data;
    const people = new Map(data.people.map((p) => [p.id, p]));
    const order = Object.keys(this.cfg.categories);
    this.rows = new Map();
    for (const c of data.connections) {
      const person = people.get(c.person_id) || { name: "Unknown", category: null };
      const ring = Math.min(5, Math.max(1, Number(c.closeness) || 3));
      const flags = Array.isArray(c.safeguarding) ? c.safeguarding : [];
      const searching = c.status === "lost" || c.status === "searching";
      // Died, declined or contact ended: grey, long dashes, crossed, and the word in the label.
      const gone = GONE_WORDS[c.status] || null;
      let label = shortName(person.name);
      if (searching) label += " (?)";
      if (gone) label += ` (${gone})`;
      if (flags.length) label += " (!)";
      const style = this.cfg.categories[person.category] || { shape: "circle", colour: "#505a5f" };
      const categoryIndex = order.indexOf(person.category);
      this.rows.set(c.id, {
        id: c.id, connection: c, person, ring, flags, searching, gone, label, style,
        width100: textWidth(label, 100),
        sortKey: [categoryIndex < 0 ? 99 : categoryIndex, (person.name || "").toLowerCase(), c.id],
      });
    }
    this.personToNode = new Map([...this.rows.values()].map((r) => [r.person.id, r.id]));
  }

  // --- layout -------------------------------------------------------------------------------

  availableRadius() {
    const w = this.container.clientWidth || 800;
    const h = this.container.clientHeight || 600;
    return Math.max(150, Math.min(w, h) / 2 - 8);
  }

  layout() {
    const groups = Object.fromEntries(RINGS.map((k) => [k, []]));
    for (const row of this.rows.values()) groups[row.ring].push(row);
    const cmp = (a, b) => {
      for (let i = 0; i < a.sortKey.length; i += 1) {
        if (a.sortKey[i] < b.sortKey[i]) return -1;
        if (a.sortKey[i] > b.sortKey[i]) return 1;
      }
      return 0;
    };
    for (const k of RINGS) groups[k].sort(cmp);
    const avail = this.availableRadius();
    // The largest label font whose layout fits the box at scale 1; else the smallest, zoomed out.
    let layout;
    for (const font of [14, 13, 12, 11]) {
      layout = this.ringLayout(groups, font);
      if (layout.extent <= avail) break;
    }
    // Room to spare: spread the rings out (up to twice the usual gap) rather than zoom in,
    // so that neighbouring rings' labels keep clear of each other.
    const spare = avail - layout.extent;
    if (spare > 0) layout = this.ringLayout(groups, layout.font, Math.min(spare / 5, layout.gap));
    layout.fitScale = Math.min(1.6, avail / layout.extent);
    this.L = layout;
    return layout;
  }

  ringLayout(groups, font, extraGap = 0) {
    const node = font * 0.68;
    const widths = [...this.rows.values()].map((r) => textWidth(r.label, font));
    const spacing = Math.max(percentile(widths, 0.85) + font * 1.1, node * 4.5);
    const track = node * 2 + font * 1.8;
    const gap = font * 3.0 + extraGap;
    const centre = Math.max(font * 2.4, textWidth(this.cfg.centreLabel, font * 1.1, true) / 2 + font * 0.6);
    const rings = {};
    let inner = centre + font * 0.8;
    for (const k of RINGS) {
      const n = groups[k].length;
      // The ring's name sits at the top; keep the people beside it a label's width away.
      const labelW = textWidth(this.ringTitle(k), font, true) + font * 1.6 + spacing * 0.8;
      let best = null;
      for (const tracks of [1, 2, 3]) {
        if (tracks > 1 && n < 2 * tracks) continue;
        const half = ((tracks - 1) * track) / 2;
        const needed = n ? ((n * spacing) / tracks + labelW) / (2 * Math.PI) : 0;
        const r = Math.max(inner + gap + half, needed);
        if (!best || r + half < best.outer - 1e-6) best = { r, tracks, outer: r + half };
      }
      const gapAngle = Math.min(labelW / best.r, Math.PI / 2);
      const usable = 2 * Math.PI - gapAngle;
      const perTrack = Math.max(1, Math.ceil(n / best.tracks));
      rings[k] = { ...best, labelW, gapAngle, usable, arc: (usable * best.r) / perTrack, members: groups[k] };
      inner = best.outer;
    }
    // Places, evenly around each ring, starting just after the ring's name at the top.
    const positions = new Map();
    for (const k of RINGS) {
      const ring = rings[k];
      const n = ring.members.length;
      ring.members.forEach((row, i) => {
        const angle = -Math.PI / 2 + ring.gapAngle / 2 + (ring.usable * (i + 0.5)) / n;
        const offset = ((i % ring.tracks) - (ring.tracks - 1) / 2) * track;
        positions.set(row.id, { x: (ring.r + offset) * Math.cos(angle), y: (ring.r + offset) * Math.sin(angle) });
      });
    }
    const outer = rings[1];
    const extent = outer.outer + node + font * 1.8 + 6;
    return { font, node, spacing, track, gap, centre, rings, positions, extent };
  }

  ringForDistance(distance) {
    let best = 5;
    let bestGap = Infinity;
    for (const k of RINGS) {
      const gap = Math.abs(distance - this.L.rings[k].r);
      if (gap < bestGap) {
        best = k;
        bestGap = gap;
      }
    }
    return best;
  }

  // --- drawing ------------------------------------------------------------------------------

  build() {
    this.container.classList.toggle("app-map-canvas--large", this.rows.size > TIES_UP_TO);
    const L = this.layout();
    const { DataSet, Network } = window.vis;
    this.nodes = new DataSet(this.nodeItems(L));
    this.edges = new DataSet(this.edgeItems());
    const tiesBox = document.getElementById("filter-ties");
    tiesBox.checked = this.rows.size <= TIES_UP_TO;
    this.network = new Network(this.container, { nodes: this.nodes, edges: this.edges }, {
      autoResize: true,
      physics: false,
      layout: { improvedLayout: false, randomSeed: 1 },
      interaction: {
        dragNodes: Boolean(this.cfg.editable),
        dragView: true,
        zoomView: true,
        hover: true,
        multiselect: false,
        selectConnectedEdges: true,
        keyboard: false,
        navigationButtons: false,
        tooltipDelay: 400,
      },
      nodes: { shape: "custom", ctxRenderer: (args) => this.renderNode(args) },
      edges: {
        smooth: false,
        width: 1,
        selectionWidth: 1.5,
        hoverWidth: 0.5,
        color: { color: "#6f777b", highlight: BLACK, hover: "#505a5f", opacity: 0.55 },
      },
    });
    // The picture is not a keyboard stop (vis-network makes it one): the table below, with its
    // "Move closer" / "Move further" buttons, is the keyboard's way through the map.
    const frame = this.container.querySelector(".vis-network");
    if (frame) frame.tabIndex = -1;
    this.applyFilters();
    this.network.on("beforeDrawing", (ctx) => this.drawRings(ctx));
    this.network.on("selectNode", (p) => this.select(p.nodes[0]));
    this.network.on("deselectNode", () => this.select(null));
    this.network.on("dragStart", (p) => this.dragStart(p));
    this.network.on("dragging", (p) => this.whileDragging(p));
    this.network.on("dragEnd", (p) => this.dragEnd(p));
    this.network.on("zoom", () => this.clampZoom());
    // A new window size: "Show the whole map" fits the new size (people keep their places).
    this.network.on("resize", () => {
      this.L.fitScale = Math.min(1.6, this.availableRadius() / this.L.extent);
    });
    this.fit(false);
    this.markReady();
  }

  nodeItems(L) {
    const items = [{ id: CENTRE, x: 0, y: 0, fixed: true, title: this.cfg.youngPersonName || "" }];
    for (const row of this.rows.values()) {
      const at = L.positions.get(row.id);
      const title = [row.person.name, row.connection.relationship].filter(Boolean).join(", ");
      items.push({ id: row.id, x: at.x, y: at.y, title });
    }
    return items;
  }

  edgeItems() {
    const items = [];
    for (const tie of this.data.ties || []) {
      const from = this.personToNode.get(tie.person_a);
      const to = this.personToNode.get(tie.person_b);
      if (from && to) items.push({ id: tie.id, from, to });
    }
    return items;
  }

  // Which labels to draw at this zoom: greedily, closest rings and marked people first, a
  // label is kept unless it would badly overlap one already kept.
  chooseLabels() {
    const L = this.L;
    const px = 1 / this.scale;
    const size = Math.min(Math.max(L.font, MIN_SCREEN_FONT * px), MAX_SCREEN_FONT * px);
    const positions = this.network.getPositions();
    const rows = [...this.rows.values()].filter((r) => !this.hiddenIds.has(r.id));
    rows.sort((a, b) => (Number(Boolean(b.flags.length || b.searching)) - Number(Boolean(a.flags.length || a.searching)))
      || (b.ring - a.ring));
    // Everyone's shape is an obstacle too (a label may not cover someone else).
    const r = L.node * 0.9;
    const kept = rows.filter((row) => positions[row.id]).map((row) => {
      const at = positions[row.id];
      return { id: row.id, x1: at.x - r, x2: at.x + r, y1: at.y - r, y2: at.y + r };
    });
    const visible = new Set();
    const overlaps = (box) => kept.some((k) => k.id !== box.id
      && box.x1 < k.x2 && k.x1 < box.x2 && box.y1 < k.y2 && k.y1 < box.y2);
    for (const row of rows) {
      const at = positions[row.id];
      if (!at) continue;
      const w = (row.width100 * size) / 100;
      const top = at.y + L.node * 1.2 + size * 0.1;
      // The text's ink (no halo): a little narrower than its advance width, cap height to baseline.
      const box = { id: row.id, x1: at.x - w * 0.47, x2: at.x + w * 0.47, y1: top + size * 0.12, y2: top + size * 0.95 };
      if (overlaps(box)) continue;
      kept.push(box);
      visible.add(row.id);
    }
    this.visibleLabels = visible;
    this.hook.labels = visible.size;
  }

  drawRings(ctx) {
    const L = this.L;
    this.scale = this.network.getScale();
    this.chooseLabels();
    const px = 1 / this.scale;
    // Bands, outermost first, alternately shaded so that each ring reads as a ring.
    const radii = RINGS.map((k) => L.rings[k].r);
    for (let i = RINGS.length - 1; i >= 0; i -= 1) {
      const k = RINGS[i];
      const outer = i === RINGS.length - 1 ? L.extent : (radii[i] + radii[i + 1]) / 2;
      ctx.beginPath();
      ctx.arc(0, 0, outer, 0, 2 * Math.PI);
      ctx.fillStyle = this.highlightRing === k ? "#d2e2f1" : k % 2 ? BAND : WHITE;
      ctx.fill();
    }
    ctx.beginPath();
    ctx.arc(0, 0, L.extent, 0, 2 * Math.PI);
    ctx.lineWidth = px;
    ctx.strokeStyle = "#b1b4b6";
    ctx.stroke();
    for (const k of RINGS) {
      const ring = L.rings[k];
      ctx.beginPath();
      ctx.arc(0, 0, ring.r, 0, 2 * Math.PI);
      ctx.lineWidth = this.highlightRing === k ? 4 * px : 1.5 * px;
      ctx.strokeStyle = this.highlightRing === k ? BLUE : RING_LINE;
      ctx.stroke();
    }
    // Ring names at the top of each ring, where no one is placed.
    const size = Math.min(Math.max(L.font, MIN_SCREEN_FONT * px), MAX_SCREEN_FONT * px);
    ctx.font = `700 ${size}px ${FONT_FAMILY}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (const k of RINGS) {
      const ring = L.rings[k];
      const text = this.ringTitle(k);
      const w = ctx.measureText(text).width + size;
      const h = size * 1.5;
      ctx.beginPath();
      ctx.roundRect(-w / 2, -ring.r - h / 2, w, h, h / 2);
      ctx.fillStyle = this.highlightRing === k ? BLUE : WHITE;
      ctx.fill();
      ctx.lineWidth = px;
      ctx.strokeStyle = this.highlightRing === k ? BLUE : RING_LINE;
      ctx.stroke();
      ctx.fillStyle = this.highlightRing === k ? WHITE : BLACK;
      ctx.fillText(text, 0, -ring.r + size * 0.05);
    }
  }

  renderNode({ ctx, id, x, y, state }) {
    const L = this.L;
    if (id === CENTRE) {
      const r = L.centre;
      return {
        drawNode: () => {
          ctx.beginPath();
          ctx.arc(x, y, r, 0, 2 * Math.PI);
          ctx.fillStyle = BLACK;
          ctx.fill();
          // Never under MIN_SCREEN_FONT on the screen; the circle grows to hold the name.
          const size = Math.max(L.font * 1.1, MIN_SCREEN_FONT / this.network.getScale());
          ctx.font = `700 ${size}px ${FONT_FAMILY}`;
          const fits = ctx.measureText(this.cfg.centreLabel).width / 2 + size * 0.4;
          if (fits > r) {
            ctx.beginPath();
            ctx.arc(x, y, fits, 0, 2 * Math.PI);
            ctx.fill();
          }
          ctx.textAlign = "center";
          ctx.textBaseline = "middle";
          ctx.fillStyle = WHITE;
          ctx.fillText(this.cfg.centreLabel, x, y + size * 0.05);
          this.hook.centreFont = size * this.network.getScale();
        },
        nodeDimensions: { width: r * 2, height: r * 2 },
      };
    }
    const row = this.rows.get(id);
    const r = L.node;
    const path = this.paths[row.style.shape] || this.paths.circle;
    const active = state.selected || state.hover || (this.dragging && this.dragging.id === id);
    return {
      drawNode: () => {
        ctx.save();
        ctx.translate(x, y);
        ctx.scale(r, r);
        ctx.lineJoin = "round";
        if (state.selected) {
          ctx.lineWidth = 9 / r;
          ctx.strokeStyle = FOCUS;
          ctx.stroke(path);
          ctx.lineWidth = 4 / r;
          ctx.strokeStyle = BLACK;
          ctx.stroke(path);
        }
        ctx.fillStyle = row.gone ? GONE_FILL : row.searching ? WHITE : row.style.colour;
        ctx.fill(path);
        if (row.gone) {
          ctx.beginPath(); // a line across, then the outline in long dashes
          ctx.moveTo(-0.75, 0.75);
          ctx.lineTo(0.75, -0.75);
          ctx.lineWidth = 2.2 / r;
          ctx.strokeStyle = GONE_LINE;
          ctx.stroke();
          ctx.setLineDash([6 / r, 2.6 / r]);
          ctx.lineWidth = 2.4 / r;
        } else if (row.searching) {
          ctx.setLineDash([3.2 / r, 2.2 / r]);
          ctx.lineWidth = 2.4 / r;
          ctx.strokeStyle = row.style.colour;
        } else {
          ctx.lineWidth = (state.hover ? 2.2 : 1.1) / r;
          ctx.strokeStyle = BLACK;
        }
        ctx.stroke(path);
        ctx.restore();
        if (row.searching) this.badge(ctx, x + r * 1.05, y - r * 1.05, r * 0.62, this.cfg.searchColour, "?");
        if (row.flags.length) this.badge(ctx, x - r * 1.05, y - r * 1.05, r * 0.62, this.cfg.flagColour, "!");
      },
      drawExternalLabel: () => this.drawLabel(ctx, row, x, y, active),
      nodeDimensions: { width: r * 2.4, height: r * 2.4 },
    };
  }

  badge(ctx, x, y, r, colour, glyph) {
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.lineWidth = r * 0.18;
    ctx.strokeStyle = WHITE;
    ctx.stroke();
    ctx.font = `700 ${r * 1.45}px ${FONT_FAMILY}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillStyle = WHITE;
    ctx.fillText(glyph, x, y + r * 0.08);
  }

  drawLabel(ctx, row, x, y, active) {
    const L = this.L;
    const px = 1 / this.scale;
    let size = L.font;
    if (size < MIN_SCREEN_FONT * px) size = MIN_SCREEN_FONT * px;
    if (size > MAX_SCREEN_FONT * px) size = MAX_SCREEN_FONT * px;
    // Labels that would overlap badly are left out (zoom in to see them); the person
    // selected, hovered or dragged always shows theirs.
    if (!active && !this.visibleLabels.has(row.id)) return;
    ctx.font = `${active ? "700 " : ""}${size}px ${FONT_FAMILY}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const top = y + L.node * 1.2 + size * 0.1;
    if (active) {
      const w = ctx.measureText(row.label).width + size * 0.6;
      ctx.fillStyle = WHITE;
      ctx.fillRect(x - w / 2, top - size * 0.15, w, size * 1.3);
    }
    ctx.lineJoin = "round";
    ctx.lineWidth = size * 0.28;
    ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
    ctx.strokeText(row.label, x, top);
    ctx.fillStyle = BLACK;
    ctx.fillText(row.label, x, top);
  }

  // --- view -------------------------------------------------------------------------------

  fit(animate = true) {
    this.network.moveTo({
      position: { x: 0, y: 0 },
      scale: this.L.fitScale,
      animation: animate ? { duration: 250, easingFunction: "easeInOutQuad" } : false,
    });
  }

  zoom(factor) {
    const scale = Math.min(this.L.fitScale * 8, Math.max(this.L.fitScale * 0.5, this.network.getScale() * factor));
    this.network.moveTo({ scale, animation: { duration: 200, easingFunction: "easeInOutQuad" } });
  }

  clampZoom() {
    const scale = this.network.getScale();
    const min = this.L.fitScale * 0.5;
    const max = this.L.fitScale * 8;
    if (scale < min || scale > max) this.network.moveTo({ scale: Math.min(max, Math.max(min, scale)) });
  }

  // --- filters and controls -------------------------------------------------------------------

  bindControls() {
    this.filters.addEventListener("change", (event) => {
      if (event.target.id === "map-find") return;
      this.applyFilters();
    });
    this.filters.addEventListener("submit", (event) => event.preventDefault());
    document.getElementById("map-zoom-in").addEventListener("click", () => this.zoom(1.4));
    document.getElementById("map-zoom-out").addEventListener("click", () => this.zoom(1 / 1.4));
    document.getElementById("map-fit").addEventListener("click", () => this.fit());
    document.getElementById("map-reset-filters").addEventListener("click", () => {
      for (const box of this.filters.querySelectorAll('input[name="category"]')) box.checked = true;
      this.filters.querySelector("#filter-support").value = "";
      this.filters.querySelector("#filter-status").value = "";
      this.applyFilters();
      this.fit();
    });
    const names = document.getElementById("map-find-names");
    const people = [...this.rows.values()].sort((a, b) => (a.person.name || "").localeCompare(b.person.name || ""));
    names.replaceChildren(...people.map((row) => {
      const option = document.createElement("option");
      option.value = row.person.name || "";
      return option;
    }));
    const find = document.getElementById("map-find");
    const go = () => {
      const wanted = find.value.trim().toLowerCase();
      if (!wanted) return;
      const row = people.find((r) => (r.person.name || "").toLowerCase() === wanted)
        || people.find((r) => (r.person.name || "").toLowerCase().includes(wanted));
      if (!row) {
        this.say(`No one called “${find.value.trim()}” is on the map.`);
        return;
      }
      if (this.nodes.get(row.id).hidden) document.getElementById("map-reset-filters").click();
      this.network.selectNodes([row.id]);
      this.network.focus(row.id, { scale: Math.max(this.network.getScale(), this.L.fitScale * 1.8), animation: { duration: 300 } });
      this.select(row.id);
    };
    find.addEventListener("change", go);
    find.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        go();
      }
    });
  }

  applyFilters() {
    const categories = new Set([...this.filters.querySelectorAll('input[name="category"]:checked')].map((b) => b.value));
    const support = this.filters.querySelector("#filter-support").value;
    const status = this.filters.querySelector("#filter-status").value;
    const ties = this.filters.querySelector("#filter-ties").checked;
    const updates = [];
    let shown = 0;
    for (const row of this.rows.values()) {
      const c = row.connection;
      let visible = categories.has(row.person.category) || !(row.person.category in this.cfg.categories);
      if (support && !(c.support || []).includes(support)) visible = false;
      if (status === "@searching" && !row.searching) visible = false;
      else if (status === "@flagged" && !row.flags.length) visible = false;
      else if (status && !status.startsWith("@") && (c.status || "current") !== status) visible = false;
      if (visible) {
        shown += 1;
        this.hiddenIds.delete(row.id);
      } else {
        this.hiddenIds.add(row.id);
      }
      updates.push({ id: row.id, hidden: !visible });
    }
    this.nodes.update(updates);
    this.edges.update(this.edges.getIds().map((id) => ({ id, hidden: !ties })));
    const total = this.rows.size;
    this.count.textContent = shown === total
      ? `Showing everyone: ${total} ${total === 1 ? "person" : "people"}.`
      : `Showing ${shown} of ${total} people.`;
    this.hook.shown = shown;
  }

  // --- details panel ---------------------------------------------------------------------------

  select(id) {
    const panel = this.details;
    panel.replaceChildren();
    const heading = document.createElement("h2");
    heading.className = "govuk-heading-m";
    panel.append(heading);
    const row = id && this.rows.get(id);
    if (!row) {
      heading.className = "govuk-heading-s";
      heading.textContent = id === CENTRE ? this.cfg.youngPersonName : "Details";
      const p = document.createElement("p");
      p.className = "govuk-body-s";
      p.textContent = id === CENTRE
        ? "Everyone else is placed around them: the closer someone is, the nearer the middle."
        : "Select someone on the map to see their details here.";
      panel.append(p);
      return;
    }
    const { person, connection: c } = row;
    heading.textContent = person.name;
    const list = document.createElement("dl");
    list.className = "govuk-summary-list govuk-!-margin-bottom-4";
    const add = (key, value, build) => {
      if (!value && !build) return;
      const div = document.createElement("div");
      div.className = "govuk-summary-list__row";
      const dt = document.createElement("dt");
      dt.className = "govuk-summary-list__key";
      dt.textContent = key;
      const dd = document.createElement("dd");
      dd.className = "govuk-summary-list__value";
      if (build) build(dd);
      else dd.textContent = value;
      div.append(dt, dd);
      list.append(div);
    };
    if (person.preferred_name && person.preferred_name !== person.name) add("Known as", person.preferred_name);
    add("Relationship", c.relationship);
    add("Category", [this.label(person.category), person.role ? this.label(person.role) : null, person.organisation].filter(Boolean).join(", "));
    add("Ring", this.ringTitle(row.ring));
    let support = (c.support || []).map((s) => this.label(s)).join(", ") || "Nothing recorded";
    if (c.support_ends_at_release && (c.support || []).length) support += " (stops when they leave prison)";
    add("Helps with", support);
    const status = this.label(c.status || "current");
    add("Status", row.searching ? `${status} (?)` : status);
    if ("safeguarding" in c) {
      add("Safeguarding", null, (dd) => {
        if (!row.flags.length) {
          dd.textContent = "None";
          return;
        }
        for (const flag of row.flags) {
          const tag = document.createElement("strong");
          tag.className = "govuk-tag govuk-tag--red app-tag--mark";
          tag.textContent = `! ${this.label(flag)}`;
          dd.append(tag, " ");
        }
        if (c.safeguarding_note) {
          const note = document.createElement("p");
          note.className = "govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0";
          note.textContent = c.safeguarding_note;
          dd.append(note);
        }
      });
    }
    const contact = [c.contact_frequency ? this.label(c.contact_frequency) : null,
      c.last_contact ? `last on ${longDate(c.last_contact)}` : null].filter(Boolean).join(", ");
    add("Contact", contact);
    add("Phone", person.phone);
    add("Email", person.email);
    add("Where they live", person.address || person.area);
    add("Agreed to be contacted", c.consent_to_contact ? this.label(c.consent_to_contact) : null);
    add("Notes", c.notes);
    panel.append(list);
    const links = document.createElement("ul");
    links.className = "govuk-list govuk-body-s";
    if (this.cfg.editUrl) {
      links.append(this.linkItem(this.cfg.editUrl.replace("__ID__", encodeURIComponent(c.id)), "Change details", ` of ${person.name}`));
    }
    links.append(this.linkItem(`#person-${c.id}`, "Show in the table", ` (${person.name})`));
    panel.append(links);
  }

  linkItem(href, text, hidden) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.className = "govuk-link";
    a.href = href;
    a.textContent = text;
    const span = document.createElement("span");
    span.className = "govuk-visually-hidden";
    span.textContent = hidden;
    a.append(span);
    li.append(a);
    return li;
  }

  // --- dragging to another ring ------------------------------------------------------------

  dragStart(params) {
    const id = params.nodes && params.nodes[0];
    if (!id || id === CENTRE || !this.rows.has(id)) return;
    this.dragging = { id, from: this.network.getPosition(id) };
    this.network.selectNodes([id]);
    this.select(id);
    this.container.classList.add("app-map-canvas--dragging");
  }

  whileDragging(params) {
    if (!this.dragging) return;
    const at = params.pointer.canvas;
    const ring = this.ringForDistance(Math.hypot(at.x, at.y));
    if (ring !== this.highlightRing) {
      this.highlightRing = ring;
      this.network.redraw();
    }
  }

  async dragEnd() {
    const drag = this.dragging;
    this.dragging = null;
    this.highlightRing = null;
    this.container.classList.remove("app-map-canvas--dragging");
    if (!drag) return;
    const row = this.rows.get(drag.id);
    const at = this.network.getPosition(drag.id);
    const ring = this.ringForDistance(Math.hypot(at.x, at.y));
    if (ring === row.ring) {
      this.nodes.update({ id: drag.id, x: drag.from.x, y: drag.from.y });
      this.network.redraw();
      return;
    }
    const angle = Math.atan2(at.y, at.x);
    const r = this.L.rings[ring].r;
    this.nodes.update({ id: drag.id, x: r * Math.cos(angle), y: r * Math.sin(angle) });
    const previous = row.ring;
    row.ring = ring;
    this.say(`Saving: ${row.person.name} to ${this.ringTitle(ring).toLowerCase()}…`);
    try {
      const response = await fetch(this.cfg.connectionUrl.replace("__ID__", encodeURIComponent(drag.id)), {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": this.csrf },
        body: JSON.stringify({ closeness: ring, version: row.connection.version }),
      });
      if (response.status === 409) {
        // Both values, so the user can choose: theirs is now shown, theirs to keep or move.
        const body = await response.json().catch(() => ({}));
        const saved = body.current && body.current.closeness;
        await this.reload();
        this.say(saved && saved !== ring
          ? `Someone else put ${row.person.name} in ring ${saved} while you had the map open, so your move to ring ${ring} was not saved. The map shows ring ${saved} now: move them again if you still want ring ${ring}.`
          : `Someone else changed ${row.person.name}’s details while you had the map open, so nothing was saved. The map now shows the latest details: try again.`, true);
        return;
      }
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw new Error(body.message || `status ${response.status}`);
      }
      const saved = await response.json();
      row.connection = { ...row.connection, ...saved };
      this.say(`${row.person.name} moved to ring ${ring}: ${this.cfg.ringNames[ring]}.`);
      this.hook.lastSaved = { id: drag.id, closeness: ring };
      if (this.network.getSelectedNodes().includes(drag.id)) this.select(drag.id);
      this.refreshTable(drag.id);
    } catch (error) {
      row.ring = previous;
      this.nodes.update({ id: drag.id, x: drag.from.x, y: drag.from.y });
      this.say(`${row.person.name} could not be moved: ${error.message}. Nothing was changed.`, true);
    }
  }

  async reload() {
    const response = await fetch(this.cfg.networkUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    this.setData(await response.json());
    const L = this.layout();
    this.nodes.clear();
    this.edges.clear();
    this.nodes.add(this.nodeItems(L));
    this.edges.add(this.edgeItems());
    this.applyFilters();
    this.refreshTable();
    this.markReady();
  }

  // The table below is rendered by the server; fetch the page again and swap it in, so that
  // it (and its buttons' versions) match what was just saved.
  async refreshTable(movedId) {
    const url = new URL(window.location.href);
    url.hash = "";
    if (movedId) url.searchParams.set("moved", movedId);
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.getElementById("map-table-section");
    const current = document.getElementById("map-table-section");
    if (fresh && current) current.replaceChildren(...fresh.childNodes);
    this.hook.tableRefreshed = (this.hook.tableRefreshed || 0) + 1;
  }

  say(message, error = false) {
    this.status.textContent = message;
    this.status.classList.toggle("app-map-status--error", error);
    if (error) {
      // A refused move: focus goes to the message, so a keyboard or screen reader user meets it.
      this.status.tabIndex = -1;
      this.status.focus();
    }
  }

  // --- the test hook ------------------------------------------------------------------------

  markReady() {
    const positions = this.network.getPositions();
    const ids = Object.keys(positions);
    this.hook.nodes = ids.length;
    this.hook.positioned = ids.filter((id) => Number.isFinite(positions[id].x) && Number.isFinite(positions[id].y)).length;
    this.hook.ready = true;
    app.dataset.nodes = String(this.hook.nodes);
    app.dataset.state = "ready";
  }

  toViewport(point) {
    const dom = this.network.canvasToDOM(point);
    const box = this.container.querySelector("canvas").getBoundingClientRect();
    return { x: box.left + dom.x, y: box.top + dom.y };
  }

  publicHook() {
    const self = this;
    return {
      get ready() { return self.hook.ready; },
      get nodes() { return self.hook.nodes; },
      get positioned() { return self.hook.positioned; },
      get shown() { return self.hook.shown; },
      get lastSaved() { return self.hook.lastSaved || null; },
      get tableRefreshed() { return self.hook.tableRefreshed || 0; },
      get scale() { return self.network ? self.network.getScale() : null; },
      get labelFont() { return self.L ? self.L.font : null; },
      // The size on the screen (px) of people's labels and the ring names, and of the young
      // person's name in the middle, at the zoom now.
      get screenLabelFont() {
        if (!self.L) return null;
        const px = 1 / self.network.getScale();
        return Math.min(Math.max(self.L.font, MIN_SCREEN_FONT * px), MAX_SCREEN_FONT * px) / px;
      },
      get screenCentreFont() { return self.hook.centreFont || null; },
      get viewPosition() { return self.network ? self.network.getViewPosition() : null; },
      get labels() { return self.hook.labels || 0; },
      // Where a person (by connection id) is, in viewport pixels (for page.mouse).
      point(id) {
        const pos = self.network.getPositions([id])[id];
        return pos ? self.toViewport(pos) : null;
      },
      // A point on a ring at an angle (degrees, 0 = right, 90 = down), in viewport pixels.
      ringPoint(ring, degrees) {
        const r = self.L.rings[ring].r;
        const a = (degrees * Math.PI) / 180;
        return self.toViewport({ x: r * Math.cos(a), y: r * Math.sin(a) });
      },
      // The point on another ring in the same direction as a person: where to drop them.
      ringPointFor(id, ring) {
        const pos = self.network.getPositions([id])[id];
        const r = self.L.rings[ring].r;
        const a = Math.atan2(pos.y, pos.x);
        return self.toViewport({ x: r * Math.cos(a), y: r * Math.sin(a) });
      },
      centre() {
        return self.toViewport({ x: 0, y: 0 });
      },
      ring(id) {
        const row = self.rows.get(id);
        return row ? row.ring : null;
      },
    };
  }
}

if (app) {
  start().catch((error) => {
    // Leave the table (which has everything) and say plainly that the picture failed.
    console.error(error);
    const noJs = document.getElementById("map-nojs");
    if (noJs) {
      noJs.textContent = "The picture of the map could not be shown. Everyone on the map is in the table below.";
      noJs.hidden = false;
    }
    app.hidden = true;
  });
}
