"""The reference library's showcase, as its docs write it: every US brewery from the Open
Brewery DB API, page by page, into a CSV file. Only the import line changes - and, as
aiocsv/aiofile are not Debian packages, the CSV is written with the standard csv module
and python3-aiofiles.

    PYTHONPATH=build/client/python /usr/bin/python3 examples/python/breweries.py

BREWERY_API_URL and BREWERY_CSV change the URL and the output file (the tests point it at
a local server)."""

import csv
import io
import os

import aiofiles
import aiohttp

from agdf import AsyncExecutor, AsyncGraph

# API doc: https://www.openbrewerydb.org/documentation
URL = os.environ.get("BREWERY_API_URL", "https://api.openbrewerydb.org/v1/breweries")
CSV_HEADER = [
    "id", "name", "brewery_type", "address_1", "address_2", "address_3", "city",
    "state_province", "postal_code", "country", "longitude", "latitude", "phone",
    "website_url", "state", "street",
]
OUTPUT_FILENAME = os.environ.get("BREWERY_CSV", "breweries_us_async.csv")

has_written_csv_header = False


async def get_open_brewery_data():
    page = 1
    async with aiohttp.ClientSession() as session:
        while True:
            params = {"by_country": "United States", "page": page, "per_page": 200}
            async with session.get(URL, params=params) as response:
                response.raise_for_status()
                data = await response.json()
            if not data:
                break
            else:
                yield data
            page += 1


async def write_to_csv(data: list[dict[str, str]]):
    global has_written_csv_header
    buffer = io.StringIO()
    csv_writer = csv.DictWriter(buffer, CSV_HEADER)
    if not has_written_csv_header:
        csv_writer.writeheader()
        has_written_csv_header = True
    csv_writer.writerows(data)
    async with aiofiles.open(OUTPUT_FILENAME, mode="a", encoding="utf8", newline="") as f:
        await f.write(buffer.getvalue())
    yield


def main():
    graph = AsyncGraph()
    graph.add_node(get_open_brewery_data)
    graph.add_node(write_to_csv)
    graph.add_edge(get_open_brewery_data, write_to_csv)
    executor = AsyncExecutor(graph)
    executor.execute()
    print("data downloaded:", OUTPUT_FILENAME)


if __name__ == "__main__":
    main()
