#pragma once
/// A call suspended inside the engine (waiting to hand over an item, or for an item to
/// arrive), and how to resume it. It lives in the suspended coroutine's frame, so parking a
/// call costs no allocation; the engine links it into its wait lists through `prev`/`next`.

#include <cstddef>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

namespace agdf {

/// A completion handler of signature `void(std::exception_ptr)`, type-erased. Handlers that
/// fit the inline buffer (those of Asio's awaitables do) are stored without allocating.
class Resumption {
 public:
  Resumption() noexcept = default;

  template <typename Handler>
  requires(!std::is_same_v<std::decay_t<Handler>, Resumption>) explicit Resumption(
      Handler&& handler)
      : slot_(boost::asio::get_associated_cancellation_slot(handler)) {
    using H = std::decay_t<Handler>;
    if constexpr (sizeof(H) <= kInline && alignof(H) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<H>) {
      new (storage_) H(std::forward<Handler>(handler));
      ops_ = &kInlineOps<H>;
    } else {
      *reinterpret_cast<H**>(storage_) = new H(std::forward<Handler>(handler));
      ops_ = &kHeapOps<H>;
    }
  }

  Resumption(Resumption&& other) noexcept { take(other); }
  Resumption& operator=(Resumption&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  ~Resumption() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }

  /// Resumes the suspended call; `error`, when set, is thrown where it waited. Once only.
  void operator()(std::exception_ptr error = nullptr) {
    const Ops* ops = std::exchange(ops_, nullptr);
    ops->invoke(storage_, std::move(error));
  }

  /// Where the suspended call's cancellation arrives (e.g. a timeout, a halt).
  boost::asio::cancellation_slot& cancellation_slot() noexcept { return slot_; }

 private:
  static constexpr std::size_t kInline = 32;

  struct Ops {
    void (*invoke)(void* storage, std::exception_ptr error);  // also destroys
    void (*relocate)(void* from, void* to) noexcept;
    void (*destroy)(void* storage) noexcept;
  };

  template <typename H>
  static constexpr Ops kInlineOps{[](void* s, std::exception_ptr e) {
                                    H handler(std::move(*static_cast<H*>(s)));
                                    static_cast<H*>(s)->~H();
                                    std::move(handler)(std::move(e));
                                  },
                                  [](void* from, void* to) noexcept {
                                    new (to) H(std::move(*static_cast<H*>(from)));
                                    static_cast<H*>(from)->~H();
                                  },
                                  [](void* s) noexcept { static_cast<H*>(s)->~H(); }};

  template <typename H>
  static constexpr Ops kHeapOps{
      [](void* s, std::exception_ptr e) {
        H* h = *static_cast<H**>(s);
        H handler(std::move(*h));
        delete h;
        std::move(handler)(std::move(e));
      },
      [](void* from, void* to) noexcept { *static_cast<H**>(to) = *static_cast<H**>(from); },
      [](void* s) noexcept { delete *static_cast<H**>(s); }};

  void take(Resumption& other) noexcept {
    if (other.ops_) other.ops_->relocate(other.storage_, storage_);
    ops_ = std::exchange(other.ops_, nullptr);
    slot_ = other.slot_;
  }
  void reset() noexcept {
    if (ops_) std::exchange(ops_, nullptr)->destroy(storage_);
  }

  alignas(std::max_align_t) unsigned char storage_[kInline];
  const Ops* ops_ = nullptr;
  boost::asio::cancellation_slot slot_;
};

/// A call suspended in the engine. Owned by the suspended coroutine's frame; the engine only
/// links it and resumes it (after which it must not touch it again).
struct Parked {
  Resumption resume;
  std::exception_ptr error;  ///< thrown where the call waits, when set before resuming
  Parked* prev = nullptr;
  Parked* next = nullptr;
};

}  // namespace agdf
