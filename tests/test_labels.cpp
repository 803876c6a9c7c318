// Class labels files and a classifier's top classes (io/labels.h, viz/top_classes.h): what
// the app's bar charts name and rank.
#include <catch2/catch.hpp>

#include <cmath>

#include "cli_run.h"
#include "core/error.h"
#include "io/labels.h"
#include "viz/top_classes.h"

using namespace convscope;

TEST_CASE("a labels file is one label per line, Windows line ends and blank lines kept in place", "[labels]") {
  const auto dir = test::scratch_dir("labels");
  CHECK(read_labels(test::write_text(dir / "unix.txt", "cat\ndog\n\nbird\n\n\n")) ==
        std::vector<std::string>{"cat", "dog", "", "bird"});
  CHECK(read_labels(test::write_text(dir / "dos.txt", "tench\r\ngoldfish\r\n")) == std::vector<std::string>{"tench", "goldfish"});
  CHECK(read_labels(test::write_text(dir / "no_end.txt", "zero\none")) == std::vector<std::string>{"zero", "one"});
  CHECK_THROWS_WITH(read_labels(dir / "missing.txt"), Catch::Contains("missing.txt: cannot open the labels file"));
  CHECK_THROWS_WITH(read_labels(test::write_text(dir / "empty.txt", "\n\n")), Catch::Contains("no labels"));
  CHECK_THROWS_WITH(read_labels(test::write_text(dir / "binary.txt", std::string("ok\nbad\0byte\n", 12))),
                    Catch::Contains("line 2 holds a NUL byte"));
  CHECK_THROWS_AS(read_labels(test::write_text(dir / "long.txt", std::string(5000, 'x'))), UserError);
}

TEST_CASE("the top classes of a probability vector, named from the labels", "[labels]") {
  const std::vector<float> p = {0.1f, 0.4f, 0.05f, 0.4f, 0.05f};
  CHECK(is_distribution(p));
  const auto top = top_classes(p, 3, {"a", "b", "c"});
  REQUIRE(top.size() == 3);
  CHECK(top[0].index == 1);  // a tie: the lower index first
  CHECK(top[0].label == "b");
  CHECK(top[1].index == 3);
  CHECK(top[1].label == "class 3");  // past the labels' end
  CHECK(top[2].index == 0);
  CHECK(top_classes(p, 9, {}).size() == 5);
  CHECK_FALSE(is_distribution(std::vector<float>{0.5f, 0.6f}));       // sums to 1.1
  CHECK_FALSE(is_distribution(std::vector<float>{1.5f, -0.5f}));      // outside [0, 1]
  CHECK_FALSE(is_distribution(std::vector<float>{1.0f}));             // one entry
  CHECK_FALSE(is_distribution(std::vector<float>{NAN, 1.0f}));
}
