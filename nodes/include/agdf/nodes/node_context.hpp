#pragma once
/// The handle a node function gets on each call: how it hands items downstream,
/// logs to the run, and reaches the run's executors.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "agdf/nodes/emit.hpp"
#include "agdf/nodes/item.hpp"
#include "agdf/nodes/limits.hpp"

namespace agdf {

class NodeContext {
 public:
  virtual ~NodeContext() = default;

  /// Hands `item` to the queue of every destination, in order: `co_await ctx.emit(item)`.
  /// Waits while a destination queue is full: that wait is the back-pressure. Throws when
  /// the run halts or is cancelled, which ends the call quietly.
  template <typename T>
  Emit emit(T&& item) {
    return Emit(*this, std::forward<T>(item));
  }

  /// Adds a line to the run's log, attributed to this node.
  virtual void log(std::string line) = 0;

  /// The name of the node this call belongs to.
  virtual const std::string& node_name() const noexcept = 0;

  /// The executor of the run (its strand); everything of the run happens on it.
  virtual boost::asio::any_io_executor executor() const = 0;

  /// A pool for blocking or CPU-heavy work, so it does not stall the run's strand.
  virtual boost::asio::any_io_executor blocking_executor() const = 0;

  /// The directory file functions are confined to.
  virtual const std::filesystem::path& data_dir() const noexcept = 0;

  /// Runs `fn` on the blocking pool and resumes on the run's strand with its result.
  /// Name the lambda before awaiting: GCC 12 destroys a capturing lambda written inside a
  /// co_await expression twice (`auto work = [..] {..}; co_await ctx.offload(std::move(work));`).
  template <typename Fn>
  boost::asio::awaitable<std::invoke_result_t<Fn>> offload(Fn fn) {
    using Result = std::invoke_result_t<Fn>;
    auto task = [fn = std::move(fn)]() mutable -> boost::asio::awaitable<Result> {
      co_return fn();
    };
    // Blocking work cannot be interrupted, so no cancellation is passed on to it. Passing it
    // on is also unsafe in Asio 1.81: co_spawn's cancellation handler hands a pointer to its
    // signal to the pool, which may run it after the work finished and the signal is gone
    // (a run cancelled during a file read crashed the daemon).
    co_return co_await boost::asio::co_spawn(
        blocking_executor(), std::move(task),
        boost::asio::bind_cancellation_slot(boost::asio::cancellation_slot(),
                                            boost::asio::use_awaitable));
  }

  /// Waits without blocking the strand; cancelled promptly when the run stops. The wait is
  /// clamped to [0, 30 days] first, so no duration overflows the timer's clock.
  boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                    clamp_duration(duration));
    co_await timer.async_wait(boost::asio::use_awaitable);
  }

  /// One T shared by every call of this run that asks with the same `key`: made on first
  /// use, destroyed with the run. It lets concurrent tasks agree on per-run facts (csv.write:
  /// "this file's header is written"). Call it on the strand; a T used from offloaded work
  /// must guard itself.
  template <typename T>
  std::shared_ptr<T> run_resource(const std::string& key) {
    std::shared_ptr<void>& slot = run_resource_slot(key + '\n' + typeid(T).name());
    if (!slot) slot = std::make_shared<T>();
    return std::static_pointer_cast<T>(slot);
  }

 protected:
  friend class Emit;

  /// Delivers `emission` and resumes its call through `emission.resume` once every
  /// destination has the item (or with an error when the run stops first).
  virtual void start_emit(Emission& emission) = 0;

  /// The storage behind run_resource(). The engine keeps it per run; this default keeps it
  /// per context, which suits a context that serves a single call.
  virtual std::shared_ptr<void>& run_resource_slot(const std::string& key) {
    return own_resources_[key];
  }

 private:
  std::map<std::string, std::shared_ptr<void>> own_resources_;
};

inline void Emit::start(Resumption resume) {
  emission_.resume = std::move(resume);
  emission_.context->start_emit(emission_);
}

}  // namespace agdf
