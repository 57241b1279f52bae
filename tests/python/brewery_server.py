"""A loopback HTTP server paging brewery-like records the way Open Brewery DB does
(?by_country=...&page=N&per_page=M; an empty page after the last), so the brewery
example runs without the internet."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

COLUMNS = ["id", "name", "brewery_type", "address_1", "address_2", "address_3", "city",
           "state_province", "postal_code", "country", "longitude", "latitude", "phone",
           "website_url", "state", "street"]


def brewery(i):
    record = {c: f"{c} {i}" for c in COLUMNS}
    record.update(id=f"b-{i:04d}", name=f'Brewery, "No. {i}"', address_2=None, country="United States")
    return record


class BreweryServer:
    def __init__(self, count):
        self.records = [brewery(i) for i in range(count)]
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                query = parse_qs(url.query)
                outer.requests.append(query)
                page, size = int(query["page"][0]), int(query["per_page"][0])
                body = json.dumps(outer.records[(page - 1) * size:page * size]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/breweries"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
