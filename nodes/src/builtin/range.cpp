#include "builtin.hpp"

namespace agdf::builtin {
namespace {

/// Python's range over the whole int64 domain. The count and every value are computed in
/// unsigned arithmetic, so a start or step near the limits cannot overflow and wrap.
struct Range {
  std::int64_t start;
  std::int64_t stop;
  std::int64_t step;

  std::uint64_t count() const noexcept {
    const auto ustart = static_cast<std::uint64_t>(start);
    const auto ustop = static_cast<std::uint64_t>(stop);
    if (step > 0 && start < stop) return (ustop - ustart - 1) / stride() + 1;
    if (step < 0 && start > stop) return (ustart - ustop - 1) / stride() + 1;
    return 0;
  }

  /// The k-th value, k < count(): within [start, stop), so it fits.
  std::int64_t at(std::uint64_t k) const noexcept {
    const auto ustart = static_cast<std::uint64_t>(start);
    return static_cast<std::int64_t>(step > 0 ? ustart + k * stride() : ustart - k * stride());
  }

 private:
  std::uint64_t stride() const noexcept {
    return step > 0 ? static_cast<std::uint64_t>(step) : 0 - static_cast<std::uint64_t>(step);
  }
};

}  // namespace

void register_range(Registry& registry) {
  registry.add({
      .name = "range",
      .description = "Yields the integers start, start+step, ... up to but excluding stop "
                     "(Python's range).",
      .params = {},
      .config_keys = {{"start", "first integer (default 0)", 0, false},
                      {"stop", "end, excluded", 10, true},
                      {"step", "increment, not 0 (default 1)", 1, false}},
      .prepare =
          [](const Json& config) {
            ConfigReader reader(config);
            auto start = reader.get<std::int64_t>("start", 0, "an integer");
            auto stop = reader.get<std::int64_t>("stop", 0, "an integer");
            auto step = reader.get<std::int64_t>("step", 1, "an integer");
            if (step == 0) reader.problem("config.step must not be 0");
            if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
            return Prepared::ok({[range = Range{start, stop, step}](NodeContext& ctx,
                                                                    Args) -> asio::awaitable<void> {
              const std::uint64_t count = range.count();
              for (std::uint64_t k = 0; k < count; ++k) {
                co_await ctx.emit(range.at(k));
              }
            }});
          },
  });
}

}  // namespace agdf::builtin
