// The global options that say how to reach the daemon: TLS and the token.
#include "command.hpp"

namespace agdf::client::cli {

void add_connection_options(CLI::App& app, ConnectionOptions& link) {
  app.add_flag("--tls", link.tls, "use TLS, trusting the system's CAs (default: $AGDF_TLS)");
  app.add_option("--tls-ca", link.tls_ca,
                 "PEM file of CAs to trust; implies --tls (default: $AGDF_TLS_CA)");
  app.add_option("--tls-server-name", link.tls_server_name,
                 "name the server's certificate must carry, when not the address's host "
                 "(default: $AGDF_TLS_SERVER_NAME)");
  app.add_option("--tls-client-cert", link.tls_client_cert,
                 "PEM client certificate for mutual TLS (default: $AGDF_TLS_CLIENT_CERT)");
  app.add_option("--tls-client-key", link.tls_client_key,
                 "its PEM key (default: $AGDF_TLS_CLIENT_KEY)");
  app.add_option("--token", link.token,
                 "token sent as `authorization: Bearer TOKEN`; other users can see it in the "
                 "process list, prefer $AGDF_TOKEN or --token-file (default: $AGDF_TOKEN)");
  app.add_option("--token-file", link.token_file,
                 "file holding the token (default: $AGDF_TOKEN_FILE)");
}

}  // namespace agdf::client::cli
