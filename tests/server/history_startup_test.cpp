// A daemon that cannot keep its run history refuses to start, with one clear line and a
// non-zero exit: never a silent empty history.
#include <unistd.h>

#include <fstream>

#include "server/history_helpers.hpp"
#include "server/startup_failure.hpp"
#include "store/temp_dir.hpp"

namespace agdf::testing {
namespace {

/// Runs the daemon on `state_dir` (and `extra`) and expects it to refuse.
StartupOutcome refused(const std::filesystem::path& state_dir,
                       const std::vector<std::string>& extra = {},
                       const std::vector<std::string>& wrapper = {}) {
  std::vector<std::string> args{"--state-dir", state_dir.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return start_expecting_failure(AGDF_SERVER_BIN, args, wrapper);
}

/// As root the file modes below would not stop the daemon: run it without the
/// capabilities that let root ignore them.
std::vector<std::string> without_root_overrides() {
  if (::geteuid() != 0) return {};
  return {"setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"};
}

TEST(DaemonHistoryStartup, ASecondDaemonOnTheSameStateDirectoryRefusesToStart) {
  TempDir temp;
  DaemonProcess first(AGDF_SERVER_BIN, {"--state-dir", (temp / "state").string()});
  StartupOutcome second = refused(temp / "state");
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_NE(
      second.err.find("is in use by another agdf-server (pid " + std::to_string(first.pid()) + ")"),
      std::string::npos)
      << second.err;

  // The first one is unaffected.
  auto context = call_context();
  v1::ListRunsResponse runs;
  EXPECT_TRUE(first.stub()->ListRuns(context.get(), {}, &runs).ok());
}

TEST(DaemonHistoryStartup, ADatabaseThatIsNotOneIsAClearStartupError) {
  TempDir temp;
  std::filesystem::create_directories(temp / "state");
  std::ofstream(temp / "state/runs.db") << std::string(10000, '#');
  StartupOutcome outcome = refused(temp / "state");
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_NE(outcome.err.find("cannot open the run history"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find((temp / "state/runs.db").string()), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("not a database"), std::string::npos) << outcome.err;
  // Nothing was written over it.
  EXPECT_EQ(std::filesystem::file_size(temp / "state/runs.db"), 10000u);
}

TEST(DaemonHistoryStartup, ADamagedDatabaseIsAClearStartupError) {
  TempDir temp;
  {
    DaemonProcess daemon(AGDF_SERVER_BIN, {"--state-dir", (temp / "state").string()});
    run_to_end(*daemon.stub(), submission(range_to_discard(3)));
    daemon.send_signal(SIGTERM);
    ASSERT_EQ(daemon.wait_exit(std::chrono::seconds(60)), 0);
  }
  const auto db = temp / "state/runs.db";
  {
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    const std::string junk(static_cast<std::size_t>(std::filesystem::file_size(db) - 4096), 'Z');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  StartupOutcome outcome = refused(temp / "state");
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_NE(outcome.err.find("damaged"), std::string::npos) << outcome.err;
}

TEST(DaemonHistoryStartup, AnUnwritableStateDirectoryIsAClearStartupError) {
  TempDir temp;
  std::filesystem::create_directories(temp / "locked");
  std::filesystem::permissions(
      temp / "locked", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  StartupOutcome inside = refused(temp / "locked/state", {}, without_root_overrides());
  StartupOutcome itself = refused(temp / "locked", {}, without_root_overrides());
  std::filesystem::permissions(temp / "locked", std::filesystem::perms::owner_all);

  EXPECT_EQ(inside.exit_code, 1) << inside.err;
  EXPECT_NE(inside.err.find("cannot create the state directory " +
                            (temp / "locked/state").string() + ": Permission denied"),
            std::string::npos)
      << inside.err;
  EXPECT_EQ(itself.exit_code, 1) << itself.err;
  EXPECT_NE(itself.err.find("cannot write the state directory " + (temp / "locked").string() +
                            ": Permission denied"),
            std::string::npos)
      << itself.err;
}

TEST(DaemonHistoryStartup, AReadOnlyDatabaseFileIsAClearStartupError) {
  TempDir temp;
  {
    DaemonProcess daemon(AGDF_SERVER_BIN, {"--state-dir", (temp / "state").string()});
    daemon.send_signal(SIGTERM);
    ASSERT_EQ(daemon.wait_exit(std::chrono::seconds(60)), 0);
  }
  std::filesystem::permissions(temp / "state/runs.db", std::filesystem::perms::owner_read);
  StartupOutcome outcome = refused(temp / "state", {}, without_root_overrides());
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_NE(outcome.err.find("the file is read-only"), std::string::npos) << outcome.err;
}

TEST(DaemonHistoryStartup, AStateDirectoryInsideTheDataDirectoryIsRefused) {
  TempDir temp;
  StartupOutcome outcome = refused(temp / "data/state", {"--data-dir", (temp / "data").string()});
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_NE(outcome.err.find("is inside the data directory"), std::string::npos) << outcome.err;

  outcome = refused(temp / "state", {"--data-dir", (temp / "state/data").string()});
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_NE(outcome.err.find("is inside the state directory"), std::string::npos) << outcome.err;
}

}  // namespace
}  // namespace agdf::testing
