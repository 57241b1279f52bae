"""agdf from Python: worker processes serving node functions, a client of the daemon, and
the reference library's API (``from agdf import AsyncGraph, AsyncExecutor``) running
graphs on an agdf-server daemon."""

__version__ = "0.1.0"

from .items import ItemError
from ._settings import Settings, SettingsError
from .worker import Worker, WorkerRefused
from .client import AsyncClient, Client, RunFailed
from .graph import AsyncGraph, InvalidAsyncGraphError
from .executor import AsyncExecutor

__all__ = [
    "AsyncClient",
    "AsyncExecutor",
    "AsyncGraph",
    "Client",
    "InvalidAsyncGraphError",
    "ItemError",
    "RunFailed",
    "Settings",
    "SettingsError",
    "Worker",
    "WorkerRefused",
    "__version__",
]
