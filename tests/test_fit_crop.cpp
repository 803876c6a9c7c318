// `convscope fit-crop`: the box found from starts ~30 px and ~20 % in size away lands within
// a pixel of the target on the default image; bad arguments are refused.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

#include "cli_run.h"

using namespace convscope;

TEST_CASE("fit-crop finds the target box from a start 30 px and 20 % in size away", "[fit][cli]") {
  const std::pair<const char*, const char*> runs[] = {
      {"150,180,120,100", "180,150,96,120"},   // below-left, taller-narrower
      {"60,160,150,130", "30,190,180,104"},    // above-right, larger and narrower
      {"300,60,100,140", "270,90,120,112"},
  };
  for (const auto& [target, init] : runs) {
    INFO("target " << target << " from " << init);
    const auto r = test::run_cli(std::string("fit-crop --json --target-box ") + target + " --init-box " + init);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string last = r.out.substr(r.out.rfind('{'));
    const auto result = nlohmann::json::parse(last);
    int t[4];
    REQUIRE(std::sscanf(target, "%d,%d,%d,%d", &t[0], &t[1], &t[2], &t[3]) == 4);
    for (int k = 0; k < 4; ++k) CHECK(std::abs(result["box"][k].get<double>() - t[k]) < 1.0);
    CHECK(result["loss"].get<double>() < 1e-4);
    CHECK(result["steps"].get<int>() > 0);
    CHECK(r.out.find("step ") != std::string::npos);  // progress is printed as it goes
  }
}

TEST_CASE("fit-crop refuses malformed boxes with exit code 2", "[fit][cli]") {
  for (const char* args : {"--target-box 1,2,3 --init-box 1,2,3,4", "--target-box 1,2,0,4 --init-box 1,2,3,4",
                           "--target-box 1,2,3,4 --init-box a,b,c,d", "--target-box 1,2,3,4 --init-box 1,2,3,4 --steps 0",
                           "--target-box 1,2,3,4 --init-box 1,2,3,4 --output-size 2.5,3"}) {
    INFO(args);
    const auto r = test::run_cli(std::string("fit-crop ") + args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("convscope: error: ", 0) == 0);
  }
}
