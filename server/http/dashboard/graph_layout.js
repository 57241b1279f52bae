// A small layered layout for a DAG, drawn left to right like `agdf graph`'s Mermaid:
// each node's layer is its longest distance from a node without inputs, nodes within a
// layer are ordered by the mean position of their neighbours (a few sweeps each way,
// which untangles most crossings), and edges are curves from right side to left side.
"use strict";

const GraphLayout = (() => {
  const NODE_W = 236, NODE_H = 74, GAP_X = 190, GAP_Y = 30, MARGIN = 20;

  function layers(names, edges) {
    const incoming = new Map(names.map((n) => [n, 0]));
    const out = new Map(names.map((n) => [n, []]));
    for (const e of edges) {
      if (!out.has(e.from) || !incoming.has(e.to)) continue;
      out.get(e.from).push(e.to);
      incoming.set(e.to, incoming.get(e.to) + 1);
    }
    const layer = new Map(names.map((n) => [n, 0]));
    const ready = names.filter((n) => incoming.get(n) === 0);
    const left = new Map(incoming);
    while (ready.length) {
      const n = ready.shift();
      for (const m of out.get(n)) {
        layer.set(m, Math.max(layer.get(m), layer.get(n) + 1));
        left.set(m, left.get(m) - 1);
        if (left.get(m) === 0) ready.push(m);
      }
    }
    return layer;
  }

  function order(names, edges, layer) {
    const count = Math.max(0, ...names.map((n) => layer.get(n))) + 1;
    const rows = Array.from({ length: count }, () => []);
    for (const n of names) rows[layer.get(n)].push(n);
    const up = new Map(names.map((n) => [n, []]));
    const down = new Map(names.map((n) => [n, []]));
    for (const e of edges) {
      if (!up.has(e.to) || !down.has(e.from)) continue;
      up.get(e.to).push(e.from);
      down.get(e.from).push(e.to);
    }
    const position = new Map();
    const place = () => rows.forEach((row) => row.forEach((n, i) => position.set(n, i)));
    place();
    const sweep = (range, neighbours) => {
      for (const r of range) {
        const mean = new Map(rows[r].map((n) => {
          const ns = neighbours.get(n).filter((m) => position.has(m));
          return [n, ns.length ? ns.reduce((s, m) => s + position.get(m), 0) / ns.length
                               : position.get(n)];
        }));
        rows[r].sort((a, b) => mean.get(a) - mean.get(b) || position.get(a) - position.get(b));
        rows[r].forEach((n, i) => position.set(n, i));
      }
    };
    const forward = [...Array(count).keys()].slice(1);
    const backward = [...Array(count).keys()].reverse().slice(1);
    for (let i = 0; i < 4; ++i) {
      sweep(forward, up);
      sweep(backward, down);
    }
    return rows;
  }

  /// nodes: [{name}], edges: [{from, to}] -> {boxes: Map(name -> {x, y, w, h}), width, height}
  function layout(nodes, edges) {
    const names = nodes.map((n) => n.name);
    const layer = layers(names, edges);
    const rows = order(names, edges, layer);
    const tallest = Math.max(1, ...rows.map((r) => r.length));
    const height = MARGIN * 2 + tallest * NODE_H + (tallest - 1) * GAP_Y;
    const boxes = new Map();
    rows.forEach((row, r) => {
      const used = row.length * NODE_H + (row.length - 1) * GAP_Y;
      const top = MARGIN + (height - MARGIN * 2 - used) / 2;
      row.forEach((n, i) => boxes.set(n, {
        x: MARGIN + r * (NODE_W + GAP_X), y: top + i * (NODE_H + GAP_Y), w: NODE_W, h: NODE_H,
      }));
    });
    const width = MARGIN * 2 + rows.length * NODE_W + (rows.length - 1) * GAP_X;
    return { boxes, width, height };
  }

  /// An SVG path from the right of box a to the left of box b.
  function edgePath(a, b) {
    const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x, y2 = b.y + b.h / 2;
    const bend = Math.max(30, (x2 - x1) / 2);
    return { d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
             mid: { x: (x1 + x2) / 2, y: (y1 + y2) / 2 } };
  }

  return { layout, edgePath, NODE_W, NODE_H };
})();
