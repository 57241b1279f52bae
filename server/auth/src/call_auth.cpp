#include "agdf/auth/call_auth.hpp"

#include <cctype>

#include "agdf/auth/rpc_rights.hpp"

namespace agdf::auth {
namespace {

constexpr std::string_view kScheme = "bearer";

grpc::Status unauthenticated(std::string message) {
  return {grpc::StatusCode::UNAUTHENTICATED, std::move(message)};
}

std::string describe(const Principal& principal) {
  return "principal '" + principal.name + "' (role " + std::string(role_name(principal.role)) + ")";
}

/// The token of `Bearer TOKEN` (scheme in any case); nullopt for anything else.
std::optional<std::string_view> bearer_token(std::string_view value) {
  if (value.size() <= kScheme.size() || value[kScheme.size()] != ' ') return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return std::nullopt;
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::unique_ptr<CallAuthenticator> CallAuthenticator::from_file(
    const std::filesystem::path& file, std::vector<std::string>& problems) {
  auto loaded = TokenTable::load(file);
  if (!loaded.table) {
    problems = std::move(loaded.problems);
    return nullptr;
  }
  auto auth = std::make_unique<CallAuthenticator>();
  auth->file_ = file;
  auth->table_.store(std::make_shared<const TokenTable>(std::move(*loaded.table)));
  return auth;
}

std::size_t CallAuthenticator::principals() const {
  auto table = table_.load();
  return table ? table->size() : 0;
}

std::vector<std::string> CallAuthenticator::reload() {
  if (!enabled()) return {};
  auto loaded = TokenTable::load(file_);
  if (!loaded.table) return std::move(loaded.problems);
  table_.store(std::make_shared<const TokenTable>(std::move(*loaded.table)));
  return {};
}

Admission CallAuthenticator::admit(const grpc::ServerContextBase& context,
                                   std::string_view rpc) const {
  if (!enabled()) return admit(std::nullopt, rpc);
  const auto& metadata = context.client_metadata();
  auto range = metadata.equal_range("authorization");
  if (range.first == range.second) return admit(std::nullopt, rpc);
  if (std::next(range.first) != range.second)
    return {std::nullopt, unauthenticated("more than one authorization metadata entry")};
  const grpc::string_ref value = range.first->second;
  return admit(std::string_view(value.data(), value.size()), rpc);
}

Admission CallAuthenticator::admit(std::optional<std::string_view> authorization,
                                   std::string_view rpc) const {
  const auto right = required_right(rpc);
  if (!right)
    return {std::nullopt,
            {grpc::StatusCode::PERMISSION_DENIED, "no right is defined for " + std::string(rpc)}};
  if (!enabled()) return {Principal{}, grpc::Status::OK};

  if (!authorization)
    return {std::nullopt,
            unauthenticated("no token: this daemon needs the metadata `authorization: Bearer "
                            "TOKEN` (agdf --token or AGDF_TOKEN)")};
  const auto token = bearer_token(*authorization);
  if (!token)
    return {std::nullopt, unauthenticated("the authorization metadata must read `Bearer TOKEN`")};
  auto table = table_.load();
  auto principal = table->verify(*token);
  if (!principal) return {std::nullopt, unauthenticated("unknown token")};
  if (!principal->has(*right))
    return {std::nullopt,
            {grpc::StatusCode::PERMISSION_DENIED, describe(*principal) + " lacks the right '" +
                                                      std::string(right_name(*right)) + "' that " +
                                                      std::string(rpc) + " needs"}};
  return {std::move(principal), grpc::Status::OK};
}

grpc::Status may_cancel(const Principal& principal, const std::string& owner,
                        const std::string& run_id) {
  if (principal.has(Right::cancel_any)) return grpc::Status::OK;
  if (principal.has(Right::cancel_own) && owner == principal.name) return grpc::Status::OK;
  return {grpc::StatusCode::PERMISSION_DENIED,
          describe(principal) + " may cancel only its own runs; run " + run_id +
              " was submitted by '" + owner + "', which needs the right 'cancel_any'"};
}

}  // namespace agdf::auth
