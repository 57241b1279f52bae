#pragma once
// A FIFO on a power-of-two ring that grows on demand and never shrinks, so a queue in
// steady state allocates nothing (std::deque frees and allocates a block every few items).

#include <cstddef>
#include <memory>
#include <utility>

namespace agdf::engine::detail {

template <typename T>
class Ring {
 public:
  Ring() = default;
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;
  ~Ring() { clear(); }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }

  T& front() noexcept { return slots_[head_].value; }

  void push_back(T&& value) {
    if (size_ == capacity_) grow();
    new (&slots_[(head_ + size_) & (capacity_ - 1)].value) T(std::move(value));
    ++size_;
  }

  void push_front(T&& value) {
    if (size_ == capacity_) grow();
    head_ = (head_ + capacity_ - 1) & (capacity_ - 1);
    new (&slots_[head_].value) T(std::move(value));
    ++size_;
  }

  /// Removes and returns the oldest value; the ring must not be empty.
  T pop_front() {
    T value(std::move(front()));
    drop_front();
    return value;
  }

  /// Removes the oldest value (after the caller moved or swapped it out).
  void drop_front() noexcept {
    slots_[head_].value.~T();
    head_ = (head_ + 1) & (capacity_ - 1);
    --size_;
  }

  void clear() noexcept {
    while (size_ > 0) {
      slots_[head_].value.~T();
      head_ = (head_ + 1) & (capacity_ - 1);
      --size_;
    }
  }

 private:
  // Raw storage: a slot holds a T only between push and pop.
  union Slot {
    Slot() {}
    ~Slot() {}
    T value;
  };

  void grow() {
    const std::size_t capacity = capacity_ == 0 ? 8 : capacity_ * 2;
    auto slots = std::make_unique<Slot[]>(capacity);
    for (std::size_t i = 0; i < size_; ++i) {
      T& from = slots_[(head_ + i) & (capacity_ - 1)].value;
      new (&slots[i].value) T(std::move(from));
      from.~T();
    }
    slots_ = std::move(slots);
    capacity_ = capacity;
    head_ = 0;
  }

  std::unique_ptr<Slot[]> slots_;
  std::size_t capacity_ = 0;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace agdf::engine::detail
