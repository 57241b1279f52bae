#include <gtest/gtest.h>

#include "agdf/client/run_view.hpp"
#include "client/proto_text.hpp"

namespace agdf::client {
namespace {

using testing::from_text;

TEST(RunView, ShowsSeededNodesFirstThenNodesAsTheyAppear) {
  RunView view;
  view.seed("r1", {"extract", "load"});
  view.apply(from_text<v1::RunEvent>(
      R"(run_id: "r1" seq: 2 stats { nodes { node: "extra" in: 1 active: 1 }
                                     nodes { node: "load" in: 3 out: 2 err: 1 queued: 4 } })"));
  EXPECT_EQ(view.render_table(std::chrono::milliseconds(1500)),
            "run r1  running  1.5s\n"
            "node     state           in       out     err   queued\n"
            "extract  idle             0         0       0        0\n"
            "load     queued           3         2       1        4\n"
            "extra    running          1         0       0        0\n");
}

TEST(RunView, MarksNodesDoneAndSummarisesCountsAndErrorsWhenFinished) {
  RunView view;
  view.apply(from_text<v1::RunEvent>(
      R"(run_id: "r2" seq: 7 finished { state: RUN_STATE_HALTED
           stats { node: "load" in: 5 out: 2 err: 1 } stats { node: "output" in: 2 out: 2 }
           exceptions { node: "load" errors { type: "ValueError" message: "boom 1" }
                                     errors { type: "ValueError" message: "boom 2" } }
           exceptions { node: "output" } })"));
  EXPECT_NE(view.render_table(std::chrono::milliseconds(0)).find("load    done"),
            std::string::npos);
  EXPECT_EQ(view.render_summary(1),
            "run r2 halted: 2 nodes, in=7, out=4, err=1\n"
            "errors in load:\n"
            "  ValueError: boom 1\n"
            "  ... and 1 more\n");
}

TEST(RunView, CountsMissedEvents) {
  RunView view;
  view.apply(from_text<v1::RunEvent>(R"(run_id: "r3" seq: 9 missed { from_seq: 3 to_seq: 8 })"));
  EXPECT_NE(view.render_table(std::chrono::milliseconds(0)).find("(6 events missed)"),
            std::string::npos);
}

}  // namespace
}  // namespace agdf::client
