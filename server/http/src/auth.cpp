#include "agdf/http/auth.hpp"

#include <openssl/crypto.h>

#include <vector>

namespace agdf::http {

Authorize allow_everyone() {
  return [](std::optional<std::string_view>, std::string_view) { return AuthResult::allow(); };
}

Authorize bearer_tokens(std::vector<std::string> tokens) {
  return [tokens = std::move(tokens)](std::optional<std::string_view> authorization,
                                      std::string_view) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization || !authorization->starts_with(kBearer))
      return AuthResult::unauthenticated("this daemon needs a token: Authorization: Bearer TOKEN");
    const std::string_view given = authorization->substr(kBearer.size());
    bool known = false;
    for (const auto& token : tokens)
      known |= token.size() == given.size() &&
               CRYPTO_memcmp(token.data(), given.data(), token.size()) == 0;
    if (!known) return AuthResult::unauthenticated("unknown token");
    return AuthResult::allow();
  };
}

}  // namespace agdf::http
