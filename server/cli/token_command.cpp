#include "cli/token_command.hpp"

#include <iostream>
#include <memory>

#include "agdf/auth/token_file.hpp"

namespace agdf::server {
namespace {

struct TokenArgs {
  std::string name;
  std::string role;
  std::string file;
};

int add(const TokenArgs& args) {
  const auto role = auth::parse_role(args.role);
  if (!role) {
    std::cerr << "agdf-server token add: --role must be reader, submitter, admin or worker\n";
    return 2;
  }
  const auth::AddResult result = auth::add_principal(args.file, args.name, *role);
  if (!result.issued) {
    std::cerr << "agdf-server token add: " << result.problem << "\n";
    return 1;
  }
  // The token alone on stdout (for scripts); everything else on stderr.
  std::cout << result.issued->token << std::endl;
  std::cerr << "added principal '" << args.name << "' (role " << args.role << ") to " << args.file
            << "; this is the only time its token is shown: hand it over and keep it secret. "
               "A running daemon picks it up on SIGHUP.\n";
  return 0;
}

int list(const TokenArgs& args) {
  auto loaded = auth::TokenTable::load(args.file);
  if (!loaded.table) {
    for (const auto& problem : loaded.problems)
      std::cerr << "agdf-server token list: " << problem << "\n";
    return 1;
  }
  for (const auto& [principal, id] : loaded.table->principals())
    std::cout << principal.name << "\t" << auth::role_name(principal.role) << "\t" << id << "\n";
  return 0;
}

}  // namespace

void add_token_command(CLI::App& app, std::function<int()>& run) {
  auto args = std::make_shared<TokenArgs>();
  auto* token = app.add_subcommand("token", "manage the token file of principals and roles");
  token->require_subcommand(1);

  auto* add_cmd = token->add_subcommand(
      "add", "add a principal to the token file and print its token (shown only this once)");
  add_cmd->add_option("name", args->name, "the principal's name (A-Z a-z 0-9 . _ @ -)")->required();
  add_cmd->add_option("--role", args->role, "reader, submitter, admin or worker")->required();
  add_cmd->add_option("--tokens", args->file, "the token file (created with mode 0600)")
      ->envname("AGDF_TOKENS")
      ->required();
  add_cmd->callback([&run, args] { run = [args] { return add(*args); }; });

  auto* list_cmd = token->add_subcommand(
      "list", "check the token file and list its principals: name, role, token id");
  list_cmd->add_option("--tokens", args->file, "the token file")
      ->envname("AGDF_TOKENS")
      ->required();
  list_cmd->callback([&run, args] { run = [args] { return list(*args); }; });
}

}  // namespace agdf::server
