#include "file_source.hpp"

#include <exception>

#include "data_path.hpp"
#include "posix_file.hpp"

namespace agdf::io {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

/// The reading side of one call: owned by the offloaded work between chunks.
struct Reading {
  std::unique_ptr<PosixFile> file;
  std::shared_ptr<Decoder> decoder;
  std::string buffer = std::string(kChunkBytes, '\0');
  bool done = false;
};

/// One step: the items of the next chunk, and the error that stopped decoding, if any.
struct Step {
  std::vector<Item> items;
  std::exception_ptr error;
};

Step read_chunk(Reading& reading) {
  Step step;
  try {
    const std::size_t n = reading.file->read_some(reading.buffer.data(), reading.buffer.size());
    if (n == 0) {
      reading.done = true;
      reading.decoder->finish(step.items);
    } else {
      reading.decoder->feed(std::string_view(reading.buffer.data(), n), step.items);
    }
  } catch (...) {
    step.error = std::current_exception();
    reading.done = true;
  }
  return step;
}

}  // namespace

ConfigKey file_source_key(const char* example_path) {
  return {"path", "the file, relative to the data directory", example_path, true};
}

std::string read_file_source(ConfigReader& reader, const ValidationContext& context) {
  auto path = reader.get<std::string>("path", "", "a string");
  if (auto problem = data_path_problem(context.data_dir, path))
    reader.problem("config.path " + *problem);
  return path;
}

asio::awaitable<void> emit_file_items(NodeContext& ctx, std::string path,
                                      std::shared_ptr<Decoder> decoder) {
  auto reading = std::make_shared<Reading>();
  reading->decoder = std::move(decoder);
  auto open = [reading, path, data_dir = ctx.data_dir()] {
    reading->file =
        std::make_unique<PosixFile>(resolve_data_path(data_dir, path), PosixFile::Mode::read, path);
  };
  co_await ctx.offload(std::move(open));
  while (!reading->done) {
    auto next = [reading] { return read_chunk(*reading); };
    Step step = co_await ctx.offload(std::move(next));
    for (Item& item : step.items) co_await ctx.emit(std::move(item));
    if (step.error) std::rethrow_exception(step.error);
  }
}

}  // namespace agdf::io
