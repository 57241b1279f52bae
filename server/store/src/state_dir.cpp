#include "agdf/store/state_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "agdf/store/run_store.hpp"

namespace fs = std::filesystem;

namespace agdf::store {
namespace {

std::string errno_text(int error) {
  return std::strerror(error);
}

/// The pid the holder wrote into the lock file, or "" when unreadable.
std::string holder_of(int fd) {
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid;
}

/// `path` made absolute with symlinks resolved as far as it exists.
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  if (ec) return path.lexically_normal();
  fs::path canonical = fs::weakly_canonical(absolute, ec);
  return (ec ? absolute : canonical).lexically_normal();
}

/// True when `inner` is `outer` or lies below it.
bool contains(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin();
  auto i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

}  // namespace

StateDir::StateDir(fs::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec)
    throw StoreError("cannot create the state directory " + dir_.string() + ": " + ec.message());
  if (!fs::is_directory(dir_, ec))
    throw StoreError("the state directory " + dir_.string() + " is not a directory");
  const fs::path lock = dir_ / "agdf.lock";
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0)
    throw StoreError("cannot write the state directory " + dir_.string() + ": " +
                     errno_text(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    std::string holder = holder_of(lock_fd_);
    ::close(lock_fd_);
    lock_fd_ = -1;
    if (error == EWOULDBLOCK)
      throw StoreError("the state directory " + dir_.string() +
                       " is in use by another agdf-server" +
                       (holder.empty() ? std::string() : " (pid " + holder + ")") +
                       "; every daemon needs a state directory of its own");
    throw StoreError("cannot lock " + lock.string() + ": " + errno_text(error));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(lock_fd_, 0) != 0 ||
      ::pwrite(lock_fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw StoreError("cannot write the state directory " + dir_.string() + ": " +
                     errno_text(error));
  }
}

StateDir::~StateDir() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the flock
}

std::optional<std::string> check_layout(const fs::path& state_dir, const fs::path& data_dir) {
  const fs::path state = resolved(state_dir);
  const fs::path data = resolved(data_dir);
  if (contains(data, state))
    return "the state directory " + state.string() + " is inside the data directory " +
           data.string() + ", where graphs' file functions could read or overwrite it; " +
           "choose a --state-dir outside --data-dir";
  if (contains(state, data))
    return "the data directory " + data.string() + " is inside the state directory " +
           state.string() + "; choose a --data-dir outside --state-dir";
  return std::nullopt;
}

}  // namespace agdf::store
