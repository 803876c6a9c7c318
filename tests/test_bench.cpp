// `convscope bench`: its JSON carries the device, both ceilings and each selected row with a
// rate; `--only` narrows the suite and refuses a filter that matches nothing. Also the
// timed raw commands the copy ceiling is measured with.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <vector>

#include "cli_run.h"
#include "gpu.h"
#include "vk/sequence.h"

using namespace convscope;

TEST_CASE("timed commands run in order and are timed like a dispatch", "[bench][vk]") {
  vk::Context& ctx = test::gpu();
  const std::vector<float> values = {1, 2, 3, 4, 5, 6, 7, 8};
  vk::Buffer src(ctx, sizeof(float) * values.size(), vk::MemoryUse::Device);
  vk::Buffer dst(ctx, src.size(), vk::MemoryUse::Device);
  vk::upload(ctx, src, values);
  vk::Sequence seq(ctx);
  seq.timed_commands(
      [&](VkCommandBuffer cmd) {
        const VkBufferCopy region{0, 0, src.size()};
        vkCmdCopyBuffer(cmd, src.get(), dst.get(), 1, &region);
      },
      "copy");
  CHECK(seq.dispatch_count() == 1);
  seq.submit();
  test::require_validation_clean(ctx);
  CHECK(vk::download(ctx, dst, values.size()) == values);
  if (!ctx.info().timestamps) SUCCEED("this queue has no timestamps");
  else {
    REQUIRE(seq.timings().size() == 1);
    CHECK(seq.timings()[0].label == "copy");
    CHECK(seq.timings()[0].ms >= 0.0);
  }
}

TEST_CASE("convscope bench --only writes the ceilings and the selected row as JSON", "[bench][cli]") {
  const auto dir = test::scratch_dir("bench");
  const auto json_path = dir / "bench.json";
  const auto r = test::run_cli("bench --quick --only cropping --json " + test::quoted(json_path));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("ceilings: copy") != std::string::npos);
  CHECK(r.out.find("of copy") != std::string::npos);
  const nlohmann::json doc = nlohmann::json::parse(std::ifstream(json_path));
  CHECK(doc["device"].is_string());
  CHECK(doc["ceilings"]["copy_gbps"].get<double>() > 0);
  CHECK(doc["ceilings"]["fma_gflops"].get<double>() > 0);
  REQUIRE(doc["results"].size() == 1);
  const nlohmann::json& row = doc["results"][0];
  CHECK(row["name"] == "cropping2d_64x512");
  CHECK(row["ms"].get<double>() > 0);
  CHECK(row["gbps"].get<double>() > 0);
  CHECK(!row.contains("gflops"));
}

TEST_CASE("convscope bench --only that matches no row exits 2 naming the rows", "[bench][cli]") {
  const auto r = test::run_cli("bench --quick --only no-such-row");
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("matches no row") != std::string::npos);
  CHECK(r.err.find("cropping2d_64x512") != std::string::npos);
}

namespace {

// `bench --quick --only ONLY --json`: its rows.
nlohmann::json bench_rows(const std::string& only, const std::string& scratch) {
  const auto json_path = test::scratch_dir(scratch) / "bench.json";
  const auto r = test::run_cli("bench --quick --only " + only + " --json " + test::quoted(json_path));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(std::ifstream(json_path))["results"];
}

}  // namespace

TEST_CASE("convscope bench times pooling by bytes, though it counts comparisons", "[bench][cli]") {
  std::vector<std::string> names;
  for (const auto& row : bench_rows("pool2d", "bench-pool")) {
    names.push_back(row["name"]);
    CHECK(row["gbps"].get<double>() > 0);  // memory-bound rows: GB/s, though pooling counts comparisons
    CHECK(!row.contains("gflops"));
  }
  CHECK(names == std::vector<std::string>{"maxpool2d_2x2_64x256", "avgpool2d_3x3_s1_same_64x128", "global_avgpool2d_64x256",
                                          "global_maxpool2d_64x256"});
}

TEST_CASE("convscope bench times a merge reading its input twice", "[bench][cli]") {
  const nlohmann::json add = bench_rows("add_64x256", "bench-add");
  REQUIRE(add.size() == 1);
  CHECK(add[0]["name"] == "add_64x256");
  CHECK(add[0]["gbps"].get<double>() > 0);
}
