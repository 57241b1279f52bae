"""``python3 -m agdf worker FILE_OR_MODULE[:NAME]``: runs the agdf.Worker called NAME
(default ``worker``) that a Python file or module defines, until SIGTERM or SIGINT.
Handy with ``agdf-server --worker "python3 -m agdf worker my_functions.py"``."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import sys
from pathlib import Path

from .worker import Worker, WorkerRefused


def _load(target: str):
    spec, _, attr = target.partition(":")
    if spec.endswith(".py") or Path(spec).is_file():
        path = Path(spec).resolve()
        sys.path.insert(0, str(path.parent))
        module_spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[path.stem] = module
        module_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(spec)
    worker = getattr(module, attr or "worker", None)
    if not isinstance(worker, Worker):
        raise SystemExit(f"{target}: no agdf.Worker named {attr or 'worker'!r}")
    return worker


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m agdf")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("worker", help="serve the functions of an agdf.Worker")
    run.add_argument("target", help="FILE.py or module, optionally :NAME of the Worker")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    worker = _load(args.target)
    try:
        worker.run()
    except WorkerRefused as e:
        print(f"agdf worker {worker.name}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
