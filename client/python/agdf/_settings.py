"""Where the daemon is and how to reach it: address, TLS and token.

Every client and worker takes the same settings, as arguments or from the environment:
``AGDF_SERVER`` (host:port), ``AGDF_TLS_CA`` (a PEM file of certificates to trust; set it
to talk TLS), ``AGDF_TLS_SERVER_NAME`` (the name to check the daemon's certificate
against, when it differs from the host) and ``AGDF_TOKEN`` (sent as
``authorization: Bearer TOKEN`` metadata on every call).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import grpc

DEFAULT_SERVER = "127.0.0.1:50051"

# gRPC's default is 4 MiB; items travel in batches, so allow larger messages.
_MAX_MESSAGE = 64 * 1024 * 1024
_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", _MAX_MESSAGE),
    ("grpc.max_send_message_length", _MAX_MESSAGE),
]


@dataclass(frozen=True)
class Settings:
    server: str
    tls_ca: str | None = None
    tls_server_name: str | None = None
    token: str | None = None

    @staticmethod
    def resolve(
        server: str | None = None,
        *,
        tls_ca: str | None = None,
        tls_server_name: str | None = None,
        token: str | None = None,
    ) -> "Settings":
        """Arguments win over the environment; the environment over the defaults."""
        env = os.environ
        return Settings(
            server=server or env.get("AGDF_SERVER") or DEFAULT_SERVER,
            tls_ca=tls_ca or env.get("AGDF_TLS_CA") or None,
            tls_server_name=tls_server_name or env.get("AGDF_TLS_SERVER_NAME") or None,
            token=token or env.get("AGDF_TOKEN") or None,
        )

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        return (("authorization", f"Bearer {self.token}"),) if self.token else ()

    def _credentials(self):
        with open(self.tls_ca, "rb") as f:
            return grpc.ssl_channel_credentials(root_certificates=f.read())

    def _options(self):
        options = list(_CHANNEL_OPTIONS)
        if self.tls_server_name:
            options.append(("grpc.ssl_target_name_override", self.tls_server_name))
        return options

    def channel(self) -> grpc.Channel:
        if self.tls_ca:
            return grpc.secure_channel(self.server, self._credentials(), self._options())
        return grpc.insecure_channel(self.server, self._options())

    def aio_channel(self) -> grpc.aio.Channel:
        if self.tls_ca:
            return grpc.aio.secure_channel(self.server, self._credentials(), self._options())
        return grpc.aio.insecure_channel(self.server, options=self._options())
