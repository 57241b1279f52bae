#pragma once
/// What a node function is: its declared signature, its config keys, and the body
/// the engine calls once per input item.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "agdf/nodes/item.hpp"

namespace agdf {

class NodeContext;
class EgressPolicy;

/// One declared parameter; a parameter with a default may be left out by the caller.
struct Param {
  std::string name;
  std::optional<Json> default_value;

  friend bool operator==(const Param&, const Param&) = default;
};

/// One documented key of a node's static `config` object.
struct ConfigKey {
  std::string name;
  std::string description;
  Json example;
  bool required = false;
};

/// The call arguments, in parameter order, after the engine applied the unpacking rules
/// and filled defaults. The engine owns the storage; it lives until the call returns.
using Args = std::span<Json>;

/// The coroutine run for each call: awaits what it likes, emits through the context.
/// Throwing ends the call and records a node error.
using NodeBody = std::function<boost::asio::awaitable<void>(NodeContext&, Args)>;

/// A function bound to one node's config: the body that captured the parsed config, and
/// the parameters it takes for that config when they are not the declared ones.
struct BoundFunction {
  NodeBody body;
  /// Only for a signature that depends on the config (`template` takes the parameters its
  /// config names). Unset: the declared FunctionDef.params. Read it through params_of().
  std::optional<std::vector<Param>> params;
};

/// The outcome of checking a config: a bound function, or every problem found.
struct Prepared {
  std::optional<BoundFunction> function;
  std::vector<std::string> problems;

  static Prepared ok(BoundFunction f) { return {std::move(f), {}}; }
  static Prepared fail(std::vector<std::string> problems) {
    return {std::nullopt, std::move(problems)};
  }
};

/// What validation knows about where the graph will run, for checks a config alone
/// cannot settle (a file path is only "inside the data directory" relative to one).
struct ValidationContext {
  /// The directory file functions are confined to (the daemon's --data-dir).
  std::filesystem::path data_dir = "data";
  /// Where network functions may connect (agdf/nodes/egress_policy.hpp); null allows
  /// every destination, as the one-shot runner does. The daemon always sets one.
  std::shared_ptr<const EgressPolicy> egress;
};

/// A registered function. `prepare` runs when a graph is validated, so a bad config is
/// reported at submit time rather than when the first item arrives. The registry has
/// already rejected config keys not listed in `config_keys` and missing required keys.
/// A function sets exactly one of `prepare` and `prepare_in`; the latter also gets the
/// ValidationContext (file functions use it to refuse paths outside the data directory).
struct FunctionDef {
  std::string name;
  std::string description;
  std::vector<Param> params;
  std::vector<ConfigKey> config_keys;
  std::function<Prepared(const Json& config)> prepare;
  std::function<Prepared(const Json& config, const ValidationContext& context)> prepare_in;
  /// Set for a function that worker processes serve rather than the daemon's own code:
  /// the names of the workers serving it now (empty while its calls wait for one).
  std::optional<std::vector<std::string>> workers;
};

/// A successful Prepared for `body` with the declared parameters; a convenience for
/// functions that take no config at all.
Prepared bind_without_config(NodeBody body);

/// The parameters a call of `bound` takes: its override when it has one, else the ones
/// `def` declares. The one place a bound function's signature is resolved.
const std::vector<Param>& params_of(const FunctionDef& def, const BoundFunction& bound);

}  // namespace agdf
