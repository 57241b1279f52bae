#include "posix_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "agdf/nodes/node_error.hpp"
#include "agdf/nodes/quote.hpp"

namespace agdf::io {

PosixFile::PosixFile(const std::filesystem::path& path, Mode mode, std::string shown_as)
    : shown_as_(std::move(shown_as)) {
  int flags = O_CLOEXEC | O_NOFOLLOW;
  if (mode == Mode::read) {
    flags |= O_RDONLY;
  } else {
    flags |= O_WRONLY | O_CREAT | O_APPEND | (mode == Mode::truncate ? O_TRUNC : 0);
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      throw NodeError("OSError",
                      "cannot create the directory of " + quote(shown_as_) + ": " + ec.message());
  }
  fd_ = ::open(path.c_str(), flags, 0644);
  if (fd_ < 0) fail("open");
}

PosixFile::~PosixFile() {
  if (fd_ >= 0) ::close(fd_);
}

void PosixFile::write_all(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write");
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::size_t PosixFile::read_some(char* buffer, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("read");
    return static_cast<std::size_t>(n);
  }
}

bool PosixFile::empty() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail("stat");
  return st.st_size == 0;
}

void PosixFile::fail(const char* what) const {
  throw NodeError("OSError", std::string("cannot ") + what + " " + quote(shown_as_) + ": " +
                                 std::strerror(errno));
}

}  // namespace agdf::io
