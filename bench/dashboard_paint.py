#!/usr/bin/python3
"""Dashboard first paint for a 200-node graph in headless Chromium (issue 14 target:
< 1 s). Starts a real agdf-server with its HTTP port, submits a 200-node graph (20
layers of 10, each node feeding two in the next layer), opens its run page cold (a new
browser profile each time) and reports, per try and as medians: first contentful paint,
and the time from navigation start until all 200 nodes are painted in the SVG (the
page's own performance mark "agdf-graph-painted", set in the frame that paints them).

    /usr/bin/python3 bench/dashboard_paint.py --server build/server/agdf-server [--tries 5]
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "http", "py"))
from daemon import Daemon  # noqa: E402
from dashboard_test import start_chromium  # noqa: E402

LAYERS, WIDTH = 20, 10


def big_graph():
    nodes, edges = [], []
    for layer in range(LAYERS):
        for i in range(WIDTH):
            name = f"n{layer}_{i}"
            if layer == 0:
                nodes.append({"name": name, "function": "values", "config": {"values": [1, 2, 3]}})
            else:
                nodes.append({"name": name, "function": "echo"})
                edges.append([f"n{layer - 1}_{i}", name])
                edges.append({"from": f"n{layer - 1}_{(i + 1) % WIDTH}", "to": name,
                              "when": {"op": ">", "value": 1}})
    return {"nodes": nodes, "edges": edges}


# Resolves with when the page's graph was painted (ms since navigation start): the run
# page marks "agdf-graph-painted" in the animation frame after it put every node in the
# SVG, the frame that paints them.
WAIT_FOR_GRAPH = """
const [count, done] = arguments;
function check() {
  const mark = performance.getEntriesByName('agdf-graph-painted')[0];
  if (mark && document.querySelectorAll('g.node').length >= count) done(mark.startTime);
  else setTimeout(check, 5);
}
check();
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    with Daemon(args.server) as daemon:
        run_id = daemon.submit(big_graph())
        daemon.wait_final(run_id)
        drawn, fcp = [], []
        for attempt in range(args.tries):
            profile = tempfile.mkdtemp(prefix="agdf-paint-")
            browser = start_chromium(profile)
            try:
                browser.set_script_timeout(30)
                browser.get(f"{daemon.url}/#/runs/{run_id}")
                drawn.append(browser.execute_async_script(WAIT_FOR_GRAPH, LAYERS * WIDTH))
                fcp.append(browser.execute_script(
                    "const p = performance.getEntriesByName('first-contentful-paint')[0];"
                    "return p ? p.startTime : null;"))
            finally:
                browser.quit()
                shutil.rmtree(profile, ignore_errors=True)
            print(f"try {attempt + 1}: first contentful paint {fcp[-1]:.0f} ms, "
                  f"200-node graph painted {drawn[-1]:.0f} ms")
        print(f"median: first contentful paint {statistics.median(fcp):.0f} ms, "
              f"200-node graph painted {statistics.median(drawn):.0f} ms (target < 1000 ms)")


if __name__ == "__main__":
    main()
