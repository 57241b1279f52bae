"""The showcase's two functions served by a worker process, for graphs run by the daemon
(examples/python/breweries_worker.json):

    build/server/agdf-server &                                   # the daemon
    PYTHONPATH=build/client/python /usr/bin/python3 examples/python/brewery_worker.py &
    build/client/agdf run examples/python/breweries_worker.json

or with the daemon starting (and restarting) the worker itself:

    build/server/agdf-server serve --worker "/usr/bin/python3 examples/python/brewery_worker.py"
    build/server/agdf-server run examples/python/breweries_worker.json \\
        --worker "/usr/bin/python3 examples/python/brewery_worker.py"

The functions are imported from breweries.py unchanged. Note that the CSV header flag is a
global of the worker process, as in the reference: a long-lived worker writes the header
once per process, not once per run.
"""

import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import agdf  # noqa: E402
from breweries import get_open_brewery_data, write_to_csv  # noqa: E402

worker = agdf.Worker("breweries")
worker.add(get_open_brewery_data)
worker.add(write_to_csv)

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    worker.run()
