// The state directory: created when missing, held by one daemon at a time, never mixed
// with the data directory.
#include <unistd.h>

#include <fstream>

#include "agdf/store/run_store.hpp"
#include "agdf/store/state_dir.hpp"
#include "store/temp_dir.hpp"

#include <gtest/gtest.h>

namespace agdf::testing {
namespace {

std::string acquire_error(const std::filesystem::path& dir) {
  try {
    store::StateDir held(dir);
    return {};
  } catch (const store::StoreError& e) {
    return e.what();
  }
}

TEST(StateDir, MissingDirectoriesAreCreated) {
  TempDir temp;
  store::StateDir dir(temp / "a/b/state");
  EXPECT_TRUE(std::filesystem::is_directory(temp / "a/b/state"));
  EXPECT_EQ(dir.database(), temp / "a/b/state/runs.db");
}

TEST(StateDir, ASecondHolderIsRefusedAndToldWhoHoldsIt) {
  TempDir temp;
  store::StateDir first(temp / "state");
  const std::string error = acquire_error(temp / "state");
  EXPECT_NE(error.find("in use by another agdf-server (pid " + std::to_string(::getpid()) + ")"),
            std::string::npos)
      << error;
}

TEST(StateDir, TheLockGoesWithItsHolder) {
  TempDir temp;
  { store::StateDir first(temp / "state"); }
  EXPECT_EQ(acquire_error(temp / "state"), "");
}

TEST(StateDir, APathThroughAFileCannotBeCreated) {
  TempDir temp;
  std::ofstream(temp / "file") << "x";
  const std::string error = acquire_error(temp / "file/state");
  EXPECT_NE(error.find("cannot create the state directory"), std::string::npos) << error;
}

TEST(StateDirLayout, TheStateDirectoryMayNotBeInsideTheDataDirectory) {
  TempDir temp;
  auto problem = store::check_layout(temp / "data/state", temp / "data");
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("inside the data directory"), std::string::npos) << *problem;
  EXPECT_TRUE(store::check_layout(temp / "data", temp / "data"));
  EXPECT_TRUE(store::check_layout(temp / "data/./x/../state", temp / "data/"));
}

TEST(StateDirLayout, NorTheDataDirectoryInsideTheStateDirectory) {
  TempDir temp;
  auto problem = store::check_layout(temp / "state", temp / "state/data");
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("inside the state directory"), std::string::npos) << *problem;
}

TEST(StateDirLayout, SiblingsAreFineEvenWithACommonPrefix) {
  TempDir temp;
  EXPECT_FALSE(store::check_layout(temp / "state", temp / "data"));
  EXPECT_FALSE(store::check_layout(temp / "data2", temp / "data"));
  EXPECT_FALSE(store::check_layout(temp / "data", temp / "data2"));
}

TEST(StateDirLayout, ASymlinkIntoTheDataDirectoryIsSeenThrough) {
  TempDir temp;
  std::filesystem::create_directories(temp / "data/hidden");
  std::filesystem::create_directory_symlink(temp / "data/hidden", temp / "state");
  EXPECT_TRUE(store::check_layout(temp / "state", temp / "data"));
}

TEST(StateDirLayout, RelativePathsAreResolvedFromTheWorkingDirectory) {
  TempDir temp;
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(temp.path());
  auto problem = store::check_layout("data/state", temp / "data");
  std::filesystem::current_path(cwd);
  EXPECT_TRUE(problem);
}

}  // namespace
}  // namespace agdf::testing
