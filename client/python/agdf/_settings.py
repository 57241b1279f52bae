"""Where the daemon is and how to reach it: address, TLS and token.

Every client and worker takes the same settings as the `agdf` command line, as keyword
arguments or from the environment (an argument wins over its variable):

=================== ========================= ==============================================
argument            variable                  meaning
=================== ========================= ==============================================
``server``          ``AGDF_SERVER``           host:port (default 127.0.0.1:50051)
``tls``             ``AGDF_TLS`` (1/true/yes) TLS, trusting the system's CAs
``tls_ca``          ``AGDF_TLS_CA``           PEM file of CAs to trust; implies TLS
``tls_server_name`` ``AGDF_TLS_SERVER_NAME``  name the daemon's certificate must carry
``tls_client_cert`` ``AGDF_TLS_CLIENT_CERT``  PEM client certificate (mutual TLS)
``tls_client_key``  ``AGDF_TLS_CLIENT_KEY``   its PEM key
``token``           ``AGDF_TOKEN``            sent as ``authorization: Bearer TOKEN``
``token_file``      ``AGDF_TOKEN_FILE``       a file holding the token
=================== ========================= ==============================================
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


class SettingsError(ValueError):
    """Connection settings that cannot be used (a missing file, half a client key pair)."""


def _read(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise SettingsError(f"cannot read the {what} {path}: {e.strerror}") from None


@dataclass(frozen=True)
class Settings:
    server: str
    tls_ca: str | None = None
    tls_server_name: str | None = None
    token: str | None = None
    tls: bool = False
    tls_client_cert: str | None = None
    tls_client_key: str | None = None

    @staticmethod
    def resolve(
        server: str | None = None,
        *,
        tls: bool = False,
        tls_ca: str | None = None,
        tls_server_name: str | None = None,
        tls_client_cert: str | None = None,
        tls_client_key: str | None = None,
        token: str | None = None,
        token_file: str | None = None,
    ) -> "Settings":
        """Arguments win over the environment; the environment over the defaults."""
        env = os.environ
        if not tls:
            tls = env.get("AGDF_TLS", "").lower() in ("1", "true", "yes")
        tls_client_cert = tls_client_cert or env.get("AGDF_TLS_CLIENT_CERT") or None
        tls_client_key = tls_client_key or env.get("AGDF_TLS_CLIENT_KEY") or None
        if bool(tls_client_cert) != bool(tls_client_key):
            raise SettingsError("tls_client_cert and tls_client_key go together")
        if not token and not token_file:
            token = env.get("AGDF_TOKEN") or None
            if not token:
                token_file = env.get("AGDF_TOKEN_FILE") or None
        if not token and token_file:
            token = _read(token_file, "token file").decode("utf-8").strip()
            if not token:
                raise SettingsError(f"the token file {token_file} is empty")
        return Settings(
            server=server or env.get("AGDF_SERVER") or DEFAULT_SERVER,
            tls_ca=tls_ca or env.get("AGDF_TLS_CA") or None,
            tls_server_name=tls_server_name or env.get("AGDF_TLS_SERVER_NAME") or None,
            token=token,
            tls=tls,
            tls_client_cert=tls_client_cert,
            tls_client_key=tls_client_key,
        )

    @property
    def uses_tls(self) -> bool:
        return self.tls or bool(self.tls_ca) or bool(self.tls_client_cert)

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        return (("authorization", f"Bearer {self.token}"),) if self.token else ()

    def _credentials(self):
        return grpc.ssl_channel_credentials(
            root_certificates=_read(self.tls_ca, "tls_ca file") if self.tls_ca else None,
            private_key=(_read(self.tls_client_key, "tls_client_key file")
                         if self.tls_client_key else None),
            certificate_chain=(_read(self.tls_client_cert, "tls_client_cert file")
                               if self.tls_client_cert else None),
        )

    def _options(self):
        options = list(_CHANNEL_OPTIONS)
        if self.tls_server_name:
            options.append(("grpc.ssl_target_name_override", self.tls_server_name))
        return options

    def channel(self) -> grpc.Channel:
        if self.uses_tls:
            return grpc.secure_channel(self.server, self._credentials(), self._options())
        return grpc.insecure_channel(self.server, self._options())

    def aio_channel(self) -> grpc.aio.Channel:
        if self.uses_tls:
            return grpc.aio.secure_channel(self.server, self._credentials(), self._options())
        return grpc.aio.insecure_channel(self.server, options=self._options())
