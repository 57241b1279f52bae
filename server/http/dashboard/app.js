// The agdf dashboard: a runs list, a run page with its graph drawn and its counts live
// (server-sent events over fetch, resumed with Last-Event-ID), and a form to submit a
// graph file. Talks only to the daemon that serves it (/api/...).
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const TOKEN_KEY = "agdf-token";
const FINAL = new Set(["completed", "halted", "cancelled", "failed"]);
const SVG_NS = "http://www.w3.org/2000/svg";
const EVENT_TAIL = 200;

let current = null;  // the view on screen: {stop()}

// ---- talking to the daemon ---------------------------------------------------------

class Unauthorized extends Error {}

function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...authHeaders(), ...(options.headers || {}) } });
  if (response.status === 401) {
    const body = await response.json().catch(() => ({}));
    askForToken(body.error || "this daemon needs a token");
    throw new Unauthorized(body.error);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

function askForToken(message) {
  const dialog = $("#token-dialog");
  dialog.hidden = false;
  $("#token-message").textContent = sessionStorage.getItem(TOKEN_KEY) ? message : "";
  $("#token-input").focus();
}

function setupToken() {
  $("#token-button").addEventListener("click", () => askForToken(""));
  $("#token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = $("#token-input").value.trim();
    if (token) sessionStorage.setItem(TOKEN_KEY, token); else sessionStorage.removeItem(TOKEN_KEY);
    $("#token-dialog").hidden = true;
    route();
  });
}

/// Reads a server-sent event stream with fetch (EventSource cannot send a token),
/// calling onEvent(json) per event; resumes after the last id when the connection drops.
function followStream(path, onEvent, onStatus) {
  let lastId = null, stopped = false, controller = null, failures = 0;
  async function connect() {
    while (!stopped) {
      controller = new AbortController();
      const headers = authHeaders();
      if (lastId !== null) headers["Last-Event-ID"] = String(lastId);
      let finished = false;
      try {
        const response = await fetch(path, { headers, signal: controller.signal });
        if (response.status === 401) { askForToken("this daemon needs a token"); return; }
        if (!response.ok || !response.body) throw new Error(`${response.status}`);
        onStatus("live");
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let id = null, data = "";
            for (const line of frame.split("\n")) {
              if (line.startsWith("id: ")) id = Number(line.slice(4));
              else if (line.startsWith("data: ")) data += line.slice(6);
            }
            if (!data) continue;
            if (id !== null) lastId = id;
            const event = JSON.parse(data);
            failures = 0;
            onEvent(event);
            if (event.type === "finished") finished = true;
          }
        }
      } catch (error) {
        if (stopped) return;
      }
      if (finished) { onStatus("finished"); return; }
      if (stopped) return;
      onStatus("reconnecting");
      failures += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** failures)));
    }
  }
  connect();
  return { stop() { stopped = true; if (controller) controller.abort(); } };
}

// ---- small helpers -----------------------------------------------------------------

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function time(ms) {
  return ms ? new Date(Number(ms)).toLocaleString() : "—";
}

function took(run) {
  if (!run.started_unix_ms) return "—";
  const end = run.finished_unix_ms || Date.now();
  const seconds = (end - run.started_unix_ms) / 1000;
  return seconds < 60 ? `${seconds.toFixed(seconds < 10 ? 2 : 1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

function parseLabels(text) {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

function stateBadge(state) {
  return element("span", { class: `state ${state}` }, state);
}

function totals(stats) {
  const sum = { in: 0, out: 0, err: 0 };
  for (const s of Object.values(stats || {})) { sum.in += s.in; sum.out += s.out; sum.err += s.err; }
  return sum;
}

// ---- the runs list -----------------------------------------------------------------

function runsView(params) {
  const view = $("#runs-template").content.cloneNode(true);
  $("#view").replaceChildren(view);
  const state = params.get("state") || "";
  const labels = params.getAll("label");
  $("#filter-state").value = state;
  $("#filter-labels").value = labels.join(", ");
  $("#filter-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    if ($("#filter-state").value) query.set("state", $("#filter-state").value);
    for (const label of parseLabels($("#filter-labels").value)) query.append("label", label);
    location.hash = `#/runs?${query}`;
  });

  let pages = 1, timer = null, stopped = false;
  async function load() {
    const rows = [];
    let token = "";
    for (let page = 0; page < pages; ++page) {
      const query = new URLSearchParams();
      if (state) query.set("state", state);
      for (const label of labels) query.append("label", label);
      query.set("page_size", "50");
      if (token) query.set("page_token", token);
      const body = await api(`/api/runs?${query}`);
      rows.push(...body.runs);
      token = body.next_page_token;
      if (!token) break;
    }
    if (stopped) return;
    const tbody = $("#runs-table tbody");
    tbody.replaceChildren(...rows.map((run) => {
      const sum = totals(run.stats);
      const link = element("a", { href: `#/runs/${encodeURIComponent(run.run_id)}` }, run.run_id);
      const labelCells = Object.entries(run.labels).map(([k, v]) => element("span", { class: "label" }, `${k}=${v}`));
      return element("tr", { dataset: { runId: run.run_id, state: run.state } },
        element("td", { class: "mono" }, link),
        element("td", {}, stateBadge(run.state)),
        element("td", {}, time(run.submitted_unix_ms)),
        element("td", {}, took(run)),
        element("td", { class: "num" }, String(Object.keys(run.stats).length)),
        element("td", { class: "num" }, String(sum.in)),
        element("td", { class: "num" }, String(sum.out)),
        element("td", { class: "num" }, String(sum.err)),
        element("td", {}, ...labelCells));
    }));
    $("#runs-empty").hidden = rows.length > 0;
    $("#runs-more").hidden = !token;
  }
  $("#runs-more").addEventListener("click", () => { pages += 1; load().catch(showError); });
  const tick = () => load().catch(showError).finally(() => { if (!stopped) timer = setTimeout(tick, 2000); });
  tick();
  return { stop() { stopped = true; clearTimeout(timer); } };
}

// ---- one run -----------------------------------------------------------------------

function nodeState(stats, runState) {
  if (FINAL.has(runState)) return "done";
  if (stats.active > 0) return "running";
  if (stats.queued > 0) return "queued";
  return "idle";
}

function drawGraph(graph) {
  const box = $("#graph");
  const { boxes, width, height } = GraphLayout.layout(graph.nodes, graph.edges);
  box.setAttribute("width", width);
  box.setAttribute("height", height);
  box.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const defs = svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
    markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#94a3b8" })));
  const edges = svg("g", { class: "edges" });
  const labels = svg("g", { class: "edge-labels" });
  for (const edge of graph.edges) {
    const a = boxes.get(edge.from), b = boxes.get(edge.to);
    if (!a || !b) continue;
    const { d, mid } = GraphLayout.edgePath(a, b);
    edges.append(svg("path", { d, class: edge.condition ? "edge conditional" : "edge", "marker-end": "url(#arrow)",
      "data-from": edge.from, "data-to": edge.to }));
    if (edge.condition) {
      const text = svg("text", { x: mid.x, y: mid.y + 4, "text-anchor": "middle" }, edge.condition);
      const g = svg("g", { class: "edge-label", "data-from": edge.from, "data-to": edge.to }, svg("rect", {}), text);
      labels.append(g);
    }
  }
  const nodes = svg("g", { class: "nodes" });
  const cells = new Map();
  for (const node of graph.nodes) {
    const b = boxes.get(node.name);
    const counts = svg("text", { class: "counts", x: b.x + 12, y: b.y + 62 });
    const g = svg("g", { class: "node idle", "data-node": node.name },
      svg("title", {}, `${node.name}: ${node.function}, ${node.queue} queue, max_tasks ${node.max_tasks}, queue_size ${node.queue_size}`),
      svg("rect", { class: "box", x: b.x, y: b.y, width: b.w, height: b.h, rx: 7 }),
      svg("rect", { class: "bar", x: b.x, y: b.y, width: 6, height: b.h, rx: 3 }),
      svg("text", { class: "name", x: b.x + 12, y: b.y + 20 }, node.name),
      svg("text", { class: "fn", x: b.x + 12, y: b.y + 38 }, `${node.function} · ${node.queue}`),
      counts);
    nodes.append(g);
    cells.set(node.name, { g, counts });
  }
  box.replaceChildren(defs, edges, nodes, labels);
  // Label backgrounds need the text measured: every label is measured first, then every
  // background sized, so the browser lays the drawing out once rather than per label.
  const measured = [...labels.children].map((g) => [g.lastChild.getBBox(), g.firstChild]);
  for (const [bb, rect] of measured) {
    rect.setAttribute("x", bb.x - 4); rect.setAttribute("y", bb.y - 2);
    rect.setAttribute("width", bb.width + 8); rect.setAttribute("height", bb.height + 4);
    rect.setAttribute("rx", 4);
  }
  return cells;
}

function showCounts(cells, stats, runState) {
  for (const [name, cell] of cells) {
    const s = stats[name];
    if (!s) continue;
    const state = nodeState(s, runState);
    cell.g.setAttribute("class", `node ${state}${s.err > 0 ? " has-errors" : ""}`);
    for (const key of ["in", "out", "err", "queued", "active"]) cell.g.dataset[key] = s[key];
    cell.g.dataset.state = state;
    const err = svg("tspan", { class: s.err > 0 ? "err" : "" }, `err ${s.err}`);
    cell.counts.replaceChildren(`in ${s.in}  out ${s.out}  `, err, `  q ${s.queued}  act ${s.active}`);
  }
}

function describeEvent(event) {
  switch (event.type) {
    case "started": return `started: ${Object.keys(event.start_nodes).join(", ")}`;
    case "stats": return Object.entries(event.nodes).map(([n, s]) => `${n} ${s.in}/${s.out}/${s.err}`).join("  ");
    case "node_error": return `${event.node}: ${event.error.type}: ${event.error.message}`;
    case "retry": return `${event.node}: attempt ${event.attempt} failed (${event.error.type}: ${event.error.message}), again in ${event.delay_ms} ms`;
    case "log": return `${event.node}: ${event.line}`;
    case "output": return `${event.node} → ${JSON.stringify(event.item)}`;
    case "missed": return `events ${event.from_seq}–${event.to_seq} are no longer kept`;
    case "finished": return `finished: ${event.state}${event.failure ? ` (${event.failure})` : ""}`;
    default: return JSON.stringify(event);
  }
}

function showErrors(exceptions) {
  const box = $("#errors");
  const entries = Object.entries(exceptions || {}).filter(([, errors]) => errors.length);
  if (!entries.length) { box.replaceChildren(element("p", { class: "muted" }, "None.")); return; }
  box.replaceChildren(...entries.map(([node, errors]) => element("div", { class: "errors-node", dataset: { node } },
    element("strong", {}, `${node} (${errors.length})`),
    element("ul", {}, ...errors.slice(-50).map((e) => element("li", {}, `${e.type}: ${e.message}`))))));
}

function runView(id) {
  $("#view").replaceChildren($("#run-template").content.cloneNode(true));
  $("#run-id").textContent = id;
  let run = null, cells = new Map(), stream = null, stopped = false;
  const exceptions = {};
  const tail = $("#event-tail");

  function showRun() {
    const badge = $("#run-state");
    badge.className = `state ${run.state}`;
    badge.textContent = run.state;
    badge.dataset.state = run.state;
    const labels = Object.entries(run.labels).map(([k, v]) => `${k}=${v}`).join(", ");
    $("#run-meta").textContent = `submitted ${time(run.submitted_unix_ms)} · took ${took(run)}` +
      (labels ? ` · labels ${labels}` : "") + ` · events ${run.last_seq}`;
    $("#cancel-button").disabled = FINAL.has(run.state);
    if (run.failure) { $("#run-failure").hidden = false; $("#run-failure").textContent = run.failure; }
    showCounts(cells, run.stats, run.state);
  }

  // Events only update the model; the page is redrawn at most once per frame, so a
  // replay of many events (or a fast run) costs one redraw, not one per event.
  let pending = [], errorsChanged = false, frame = 0;
  function render() {
    frame = 0;
    const items = pending.map((event) => element("li", { dataset: { seq: event.seq, type: event.type } },
      element("span", { class: "seq" }, `#${event.seq}`), element("span", { class: "type" }, event.type),
      describeEvent(event)));
    pending = [];
    tail.append(...items);
    while (tail.children.length > EVENT_TAIL) tail.firstElementChild.remove();
    tail.scrollTop = tail.scrollHeight;
    if (errorsChanged) showErrors(exceptions);
    errorsChanged = false;
    showRun();
  }
  function scheduleRender() {
    if (!frame) frame = requestAnimationFrame(render);
  }

  function onEvent(event) {
    if (stopped || !run) return;
    pending.push(event);
    if (pending.length > EVENT_TAIL) pending.shift();
    run.last_seq = event.seq;
    if (event.type === "started") { run.state = "running"; run.started_unix_ms = run.started_unix_ms || event.time_unix_ms; }
    if (event.type === "stats") Object.assign(run.stats, event.nodes);
    if (event.type === "node_error") {
      (exceptions[event.node] = exceptions[event.node] || []).push(event.error);
      errorsChanged = true;
    }
    if (event.type === "finished") {
      run.state = event.state;
      run.stats = event.stats;
      run.finished_unix_ms = event.time_unix_ms;
      if (event.failure) run.failure = event.failure;
      for (const key of Object.keys(exceptions)) delete exceptions[key];
      Object.assign(exceptions, event.exceptions);
      errorsChanged = true;
    }
    scheduleRender();
  }

  $("#cancel-button").addEventListener("click", async () => {
    $("#cancel-button").disabled = true;
    try {
      const answer = await api(`/api/runs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
      run.state = answer.state;
      showRun();
    } catch (error) { showError(error); $("#cancel-button").disabled = false; }
  });

  (async () => {
    const [info, graph] = await Promise.all([api(`/api/runs/${encodeURIComponent(id)}`),
                                             api(`/api/runs/${encodeURIComponent(id)}/graph`)]);
    if (stopped) return;
    run = info;
    cells = drawGraph(graph);
    showRun();
    // Read by bench/dashboard_paint.py: drawn, then the frame that paints it.
    performance.mark("agdf-graph-drawn");
    requestAnimationFrame(() => performance.mark("agdf-graph-painted"));
    showErrors(run.exceptions);
    Object.assign(exceptions, run.exceptions);
    stream = followStream(`/api/runs/${encodeURIComponent(id)}/stream`, onEvent,
                          (status) => { $("#stream-status").textContent = status; });
  })().catch(showError);
  return { stop() { stopped = true; if (stream) stream.stop(); if (frame) cancelAnimationFrame(frame); } };
}

// ---- submitting --------------------------------------------------------------------

function submitView() {
  $("#view").replaceChildren($("#submit-template").content.cloneNode(true));
  $("#submit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const problem = $("#submit-error");
    problem.hidden = true;
    const file = $("#submit-file").files[0];
    const text = file ? await file.text() : $("#submit-text").value;
    if (!text.trim()) { problem.hidden = false; problem.textContent = "Choose a graph file or paste one."; return; }
    const query = new URLSearchParams();
    for (const label of parseLabels($("#submit-labels").value)) query.append("label", label);
    try {
      const answer = await api(`/api/runs?${query}`, { method: "POST", body: text,
                                                      headers: { "Content-Type": "application/json" } });
      location.hash = `#/runs/${encodeURIComponent(answer.run_id)}`;
    } catch (error) {
      if (error instanceof Unauthorized) return;
      problem.hidden = false;
      problem.textContent = error.message;
    }
  });
  return { stop() {} };
}

// ---- routing -----------------------------------------------------------------------

function showError(error) {
  if (error instanceof Unauthorized) return;
  const view = $("#view");
  let box = $("#view-error");
  if (!box) { box = element("p", { id: "view-error", class: "error" }); view.prepend(box); }
  box.textContent = String(error.message || error);
}

function route() {
  if (current) current.stop();
  const hash = location.hash || "#/runs";
  const [path, query] = hash.slice(1).split("?");
  const parts = path.split("/").filter(Boolean);
  document.querySelectorAll("nav a").forEach((a) => a.classList.remove("active"));
  if (parts[0] === "runs" && parts.length === 2) {
    current = runView(decodeURIComponent(parts[1]));
    $("#nav-runs").classList.add("active");
  } else if (parts[0] === "submit") {
    current = submitView();
    $("#nav-submit").classList.add("active");
  } else {
    current = runsView(new URLSearchParams(query || ""));
    $("#nav-runs").classList.add("active");
  }
}

window.addEventListener("hashchange", route);
document.addEventListener("DOMContentLoaded", () => { setupToken(); route(); });
