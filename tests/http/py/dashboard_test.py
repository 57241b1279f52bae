"""The dashboard driven in headless Chromium (Selenium, chromedriver) against a real
agdf-server: submit a graph file from the page, watch its node counts change live,
cancel it and see its state change, filter the runs list, read a condition on the
graph. Screenshots of the runs list and a run page are saved as artifacts. It also asks
for a token where the HTTP port needs one. Skips (exit 77) only when Chromium cannot start
here."""
import argparse
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from daemon import SKIP, Daemon, artifacts_dir, wait_until  # noqa: E402

ARGS = None

# Numbers flow through a slow node (4 calls at once), then split by a condition; a batch
# node collects them. It runs for minutes unless cancelled, so counts change while we look.
LIVE_GRAPH = {
    "nodes": [
        {"name": "numbers", "function": "range", "config": {"stop": 1000000}},
        {"name": "slow", "function": "sleep", "config": {"ms": 20}, "max_tasks": 4,
         "queue_size": 50},
        {"name": "large", "function": "discard"},
        {"name": "small", "function": "discard"},
        {"name": "batches", "function": "discard", "queue": {"kind": "batch", "size": 10}},
    ],
    "edges": [
        ["numbers", "slow"],
        {"from": "slow", "to": "large", "when": {"op": ">=", "value": 500}},
        {"from": "slow", "to": "small", "when": {"op": "<", "value": 500}},
        ["slow", "batches"],
    ],
}

ROUTING = {
    "nodes": [
        {"name": "breweries", "function": "values", "config": {"values": [
            {"name": "Anchor", "state": "California"}, {"name": "Deschutes", "state": "Oregon"}]}},
        {"name": "california", "function": "print"},
        {"name": "elsewhere", "function": "print"},
    ],
    "edges": [
        {"from": "breweries", "to": "california",
         "when": {"field": "state", "op": "==", "value": "California"}},
        {"from": "breweries", "to": "elsewhere",
         "when": {"field": "state", "op": "!=", "value": "California"}},
    ],
}


def start_chromium(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


class Dashboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(ARGS.server, "--grace-period", "0")
        cls.profile = tempfile.mkdtemp(prefix="agdf-chromium-")
        cls.browser = BROWSER_FACTORY(cls.profile)
        cls.browser.set_page_load_timeout(60)
        cls.artifacts = artifacts_dir(ARGS.artifacts)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.daemon.stop()
        shutil.rmtree(cls.profile, ignore_errors=True)

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.browser.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        from selenium.webdriver.common.by import By
        return self.browser.find_elements(By.CSS_SELECTOR, css)

    def wait_for(self, css, timeout=30):
        return wait_until(lambda: self.finds(css), timeout=timeout, what=f"{css} on the page")[0]

    def node_counts(self, node):
        element = self.find(f'g.node[data-node="{node}"]')
        return {key: int(element.get_attribute(f"data-{key}") or -1)
                for key in ("in", "out", "err", "queued", "active")}, element.get_attribute("class")

    def test_1_submit_watch_live_and_cancel(self):
        # Submit a graph file from the page.
        graph_file = os.path.join(self.profile, "live.json")
        with open(graph_file, "w") as f:
            json.dump(LIVE_GRAPH, f)
        self.browser.get(self.daemon.url + "/#/submit")
        self.wait_for("#submit-file").send_keys(graph_file)
        self.find("#submit-labels").send_keys("team=web, suite=dashboard")
        self.find("#submit-button").click()
        wait_until(lambda: self.browser.current_url.split("#/runs/")[-1] != self.browser.current_url
                   and "#/runs/" in self.browser.current_url, what="the run page")
        run_id = self.browser.current_url.split("#/runs/")[1]
        status, run = self.daemon.json("GET", f"/api/runs/{run_id}")
        self.assertEqual(status, 200)
        self.assertEqual(run["labels"], {"suite": "dashboard", "team": "web"})

        # The graph is drawn with functions, queue kinds and readable conditions.
        self.wait_for('g.node[data-node="slow"]')
        self.assertIn("sleep · fifo", self.find('g.node[data-node="slow"] text.fn').text)
        self.assertIn("discard · batch size=10", self.find('g.node[data-node="batches"] text.fn').text)
        labels = [e.text for e in self.finds("g.edge-label text")]
        self.assertIn("item >= 500", labels)
        self.assertIn("item < 500", labels)

        # Counts change live while the run runs.
        first = wait_until(lambda: self.node_counts("slow")[0]["out"] > 0 and self.node_counts("slow"),
                           what="slow's first output")
        wait_until(lambda: self.node_counts("slow")[0]["out"] > first[0]["out"] + 20,
                   what="slow's count to grow on the page")
        counts, classes = self.node_counts("slow")
        self.assertEqual(self.find("#run-state").text, "running")
        self.assertIn("running", classes)
        self.assertGreater(counts["active"], 0)
        self.assertGreater(len(self.finds("#event-tail li")), 1)
        self.browser.save_screenshot(os.path.join(self.artifacts, "dashboard-run.png"))

        # Cancel it from the page and see its state change.
        self.find("#cancel-button").click()
        wait_until(lambda: self.find("#run-state").text == "cancelled", what="the cancelled state")
        self.assertEqual(self.daemon.json("GET", f"/api/runs/{run_id}")[1]["state"], "cancelled")
        wait_until(lambda: "done" in self.node_counts("slow")[1], what="nodes drawn as done")
        self.assertFalse(self.find("#cancel-button").is_enabled())
        wait_until(lambda: self.finds('#event-tail li[data-type="finished"]'),
                   what="the finished event in the tail")
        type(self).cancelled_run = run_id

    def test_2_runs_list_filters_by_state_and_label(self):
        done = [self.daemon.submit(ROUTING, labels=["team=data"]) for _ in range(2)]
        for run_id in done:
            self.daemon.wait_final(run_id)
        self.browser.get(self.daemon.url + "/#/runs")
        row = lambda run_id: self.finds(f'#runs-table tr[data-run-id="{run_id}"]')  # noqa: E731
        wait_until(lambda: all(row(r) for r in done), what="the runs in the list")
        cancelled = getattr(type(self), "cancelled_run", None)
        if cancelled:
            wait_until(lambda: row(cancelled) and row(cancelled)[0].get_attribute("data-state") == "cancelled",
                       what="the cancelled run's row")
        self.browser.save_screenshot(os.path.join(self.artifacts, "dashboard-runs.png"))

        from selenium.webdriver.support.ui import Select
        Select(self.find("#filter-state")).select_by_visible_text("completed")
        self.find("#filter-labels").send_keys("team=data")
        self.find("#filter-apply").click()

        def only_completed_data_runs():
            rows = self.finds("#runs-table tbody tr")
            ids = sorted(r.get_attribute("data-run-id") for r in rows)
            return ids == sorted(done) and ids
        wait_until(only_completed_data_runs, what="the filtered list")
        self.assertIn("state=completed", self.browser.current_url)

    def test_3_a_finished_run_shows_its_counts_errors_and_conditions(self):
        graph = {"nodes": [{"name": "extract", "function": "values", "config": {"values": ["a", "b", "c"]}},
                           {"name": "load", "function": "fail_if", "config": {"values": ["b"]}}],
                 "edges": [["extract", "load"]]}
        run_id = self.daemon.submit(graph)
        self.daemon.wait_final(run_id)
        routed = self.daemon.submit(ROUTING)
        self.daemon.wait_final(routed)
        self.browser.get(f"{self.daemon.url}/#/runs/{run_id}")
        wait_until(lambda: self.finds('g.node[data-node="load"][data-err]'), what="load's counts")
        counts, classes = self.node_counts("load")
        self.assertEqual((counts["in"], counts["out"], counts["err"]), (3, 2, 1))
        self.assertIn("has-errors", classes)
        errors = self.wait_for('#errors [data-node="load"]').text
        self.assertIn("ValueError: intentional error for b", errors)
        self.browser.get(f"{self.daemon.url}/#/runs/{routed}")
        wait_until(lambda: [e.text for e in self.finds("g.edge-label text")],
                   what="edge labels")
        labels = [e.text for e in self.finds("g.edge-label text")]
        self.assertIn('state == "California"', labels)
        self.assertIn('state != "California"', labels)


class DashboardWithTokens(unittest.TestCase):
    """Against an HTTP port that needs a token (tests/http/auth_server_main.cpp)."""

    def setUp(self):
        import subprocess
        import threading
        self.process = subprocess.Popen([ARGS.auth_server, "s3cret-token"], stdout=subprocess.PIPE,
                                        text=True)
        watchdog = threading.Timer(30, self.process.kill)
        watchdog.start()
        line = self.process.stdout.readline()
        watchdog.cancel()
        self.addCleanup(self.stop_server)
        prefix = "agdf-test-http listening on "
        self.assertTrue(line.startswith(prefix), line)
        self.url = line[len(prefix):].strip()
        self.profile = tempfile.mkdtemp(prefix="agdf-chromium-")
        self.browser = BROWSER_FACTORY(self.profile)
        self.addCleanup(self.browser.quit)

    def stop_server(self):
        self.process.terminate()
        self.process.wait(30)
        self.process.stdout.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.browser.find_element(By.CSS_SELECTOR, css)

    def test_asks_for_a_token_and_uses_it(self):
        self.browser.get(self.url + "/#/runs")
        dialog = wait_until(lambda: self.find("#token-dialog").is_displayed() and self.find("#token-dialog"),
                            what="the token prompt")
        self.assertIn("needs a token", dialog.text)
        self.find("#token-input").send_keys("wrong")
        self.find("#token-save").click()
        wait_until(lambda: self.find("#token-dialog").is_displayed()
                   and "unknown token" in self.find("#token-message").text,
                   what="the wrong token refused")
        box = self.find("#token-input")
        box.clear()
        box.send_keys("s3cret-token")
        self.find("#token-save").click()
        wait_until(lambda: self.find("#runs-empty").is_displayed(), what="the (empty) runs list")
        self.assertFalse(self.find("#token-dialog").is_displayed())
        # With the token, submitting from the page works too.
        self.browser.get(self.url + "/#/submit")
        text = json.dumps({"nodes": [{"name": "a", "function": "range", "config": {"stop": 5}}]})
        wait_until(lambda: self.find("#submit-text"), what="the submit form").send_keys(text)
        self.find("#submit-button").click()
        wait_until(lambda: "#/runs/" in self.browser.current_url, what="the run page")
        wait_until(lambda: self.find("#run-state").text == "completed", what="the run to complete")


BROWSER_FACTORY = start_chromium


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--auth-server", required=True)
    ARGS, rest = parser.parse_known_args()
    try:
        import selenium  # noqa: F401
    except ImportError:
        print("FAIL: python3-selenium is missing; scripts/setup.sh installs it", file=sys.stderr)
        return 1
    profile = tempfile.mkdtemp(prefix="agdf-chromium-probe-")
    try:
        start_chromium(profile).quit()
    except Exception as error:  # noqa: BLE001 - any failure to start is a skip
        print(f"SKIP: Chromium cannot start here: {error}", file=sys.stderr)
        return SKIP
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    result = unittest.main(argv=[sys.argv[0], "-v", *rest], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
