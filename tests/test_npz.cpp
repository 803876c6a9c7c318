// The .npz reader and writer. Archives other than write_npz's own are built here with libzip,
// member by member, so each test states exactly what the file holds.
#include <zip.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "temp_dir.h"
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "io/npy.h"
#include "io/npz.h"

namespace fs = std::filesystem;
using Catch::Contains;
using Catch::StartsWith;
using convscope::NdArray;
using convscope::UserError;
using Bytes = std::vector<uint8_t>;
using Named = std::vector<std::pair<std::string, NdArray>>;

namespace {

using convscope::test::TempDir;

// Distinct values per array, so a test can tell arrays apart after reordering.
NdArray filled(std::vector<int64_t> shape, float first) {
  NdArray a(std::move(shape));
  for (size_t i = 0; i < a.size(); ++i) a.data[i] = first + static_cast<float>(i) * 0.25f;
  return a;
}

struct Entry {
  std::string name;  // full member name, ".npy" included
  Bytes bytes;
  bool deflate = false;
};

// A zip holding `entries` as given. libzip writes nothing for an archive with no members, so
// the empty archive is built by hand instead.
void make_zip(const fs::path& path, const std::vector<Entry>& entries) {
  int error = 0;
  zip_t* z = zip_open(path.string().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(z != nullptr);
  for (const Entry& e : entries) {
    zip_source_t* s = zip_source_buffer(z, e.bytes.data(), e.bytes.size(), 0);
    REQUIRE(s != nullptr);
    const zip_int64_t index = zip_file_add(z, e.name.c_str(), s, 0);
    REQUIRE(index >= 0);
    const int32_t method = e.deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE;
    REQUIRE(zip_set_file_compression(z, static_cast<zip_uint64_t>(index), method, 9) == 0);
  }
  REQUIRE(zip_close(z) == 0);
}

void write_bytes(const fs::path& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

Bytes read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Compression method of each member, as the zip's directory records it.
std::vector<int32_t> methods(const fs::path& path) {
  int error = 0;
  zip_t* z = zip_open(path.string().c_str(), ZIP_RDONLY, &error);
  REQUIRE(z != nullptr);
  std::vector<int32_t> out;
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
    zip_stat_t st;
    REQUIRE(zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) == 0);
    out.push_back(st.comp_method);
  }
  zip_discard(z);
  return out;
}

// Refusals are UserErrors of one line that start with the file name.
void require_refused(const fs::path& path, const std::string& fragment) {
  REQUIRE_THROWS_AS(convscope::read_npz(path), UserError);
  REQUIRE_THROWS_WITH(convscope::read_npz(path),
                      StartsWith(path.string() + ": ") && Contains(fragment) && !Contains("\n"));
}

}  // namespace

TEST_CASE("write_npz then read_npz gives back the arrays in order", "[npz]") {
  TempDir dir;
  const fs::path path = dir.path / "w.npz";
  // Not alphabetical, so archive order is what is checked; a scalar and an empty array too.
  const Named arrays = {{"conv/kernel", filled({3, 3, 2, 4}, 1.0f)},
                        {"bias", filled({4}, -2.0f)},
                        {"scalar", filled({}, 7.5f)},
                        {"empty", filled({0, 3}, 0.0f)}};
  convscope::write_npz(path, arrays);
  const Named back = convscope::read_npz(path);
  REQUIRE(back.size() == arrays.size());
  for (size_t i = 0; i < arrays.size(); ++i) {
    CHECK(back[i].first == arrays[i].first);
    CHECK(back[i].second.shape == arrays[i].second.shape);
    CHECK(back[i].second.data == arrays[i].second.data);
  }
  // Stored like np.savez, each member exactly what encode_npy makes.
  CHECK(methods(path) == std::vector<int32_t>(arrays.size(), ZIP_CM_STORE));
  const Bytes file = read_bytes(path);
  const Bytes kernel = convscope::encode_npy(arrays[0].second);
  CHECK(std::search(file.begin(), file.end(), kernel.begin(), kernel.end()) != file.end());

  // Overwriting replaces the file and leaves no temporary beside it.
  convscope::write_npz(path, {{"only", filled({2}, 3.0f)}});
  CHECK(convscope::read_npz(path).size() == 1);
  CHECK(dir.entries() == 1);
}

TEST_CASE("write_npz failures throw and leave no file", "[npz]") {
  TempDir dir;
  const Named one = {{"a", filled({2}, 0.0f)}};
  const fs::path missing = dir.path / "no_such_dir" / "w.npz";
  REQUIRE_THROWS_AS(convscope::write_npz(missing, one), convscope::Error);
  REQUIRE_THROWS_WITH(convscope::write_npz(missing, one), StartsWith(missing.string() + ": "));
  CHECK(dir.entries() == 0);

  // Renaming over a directory fails after the archive was written: the temporary must go.
  const fs::path taken = dir.path / "taken.npz";
  fs::create_directory(taken);
  REQUIRE_THROWS_WITH(convscope::write_npz(taken, one), StartsWith(taken.string() + ": "));
  CHECK(dir.entries() == 1);

  const fs::path path = dir.path / "w.npz";
  REQUIRE_THROWS_WITH(convscope::write_npz(path, {}), Contains("no arrays"));
  REQUIRE_THROWS_WITH(
      convscope::write_npz(path, {{"a", filled({2}, 0.0f)}, {"a", filled({1}, 0.0f)}}),
      Contains("two arrays are named 'a'"));
  NdArray bad({2, 2});
  bad.data.pop_back();
  REQUIRE_THROWS_WITH(convscope::write_npz(path, {{"bad", bad}}),
                      StartsWith(path.string() + ": array 'bad': "));
  CHECK(dir.entries() == 1);
}

TEST_CASE("read_weight_list orders arr_N by number, not by name or archive order", "[npz]") {
  TempDir dir;
  const fs::path path = dir.path / "weights.npz";
  // Listed as a string sort would put them: arr_10 and arr_11 before arr_2.
  Named arrays;
  for (const int n : {0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9}) {
    arrays.emplace_back("arr_" + std::to_string(n), filled({n + 1}, static_cast<float>(n)));
  }
  convscope::write_npz(path, arrays);
  const std::vector<NdArray> weights = convscope::read_weight_list(path);
  REQUIRE(weights.size() == 12);
  for (size_t n = 0; n < weights.size(); ++n) {
    CHECK(weights[n].shape == std::vector<int64_t>{static_cast<int64_t>(n) + 1});
    CHECK(weights[n].data[0] == static_cast<float>(n));
  }
}

TEST_CASE("read_weight_list refuses names that are not exactly arr_0 .. arr_{n-1}", "[npz]") {
  TempDir dir;
  const fs::path path = dir.path / "weights.npz";
  const auto refused = [&](const std::vector<std::string>& names, const std::string& found) {
    Named arrays;
    for (const std::string& name : names) arrays.emplace_back(name, filled({1}, 0.0f));
    convscope::write_npz(path, arrays);
    REQUIRE_THROWS_AS(convscope::read_weight_list(path), UserError);
    REQUIRE_THROWS_WITH(convscope::read_weight_list(path),
                        StartsWith(path.string() + ": ") && Contains("found " + found + ";") &&
                            Contains("np.savez(path, *model.get_weights())"));
  };
  refused({"kernel", "bias"}, "kernel, bias");  // np.savez(path, kernel=..., bias=...)
  refused({"arr_0", "arr_2"}, "arr_0, arr_2");  // a gap
  refused({"arr_1"}, "arr_1");
  refused({"arr_0", "arr_01"}, "arr_0, arr_01");  // not how np.savez spells 1
  refused({"arr_0", "arr_-1"}, "arr_0, arr_-1");
  refused({"arr_0", "arr_1", "x"}, "arr_0, arr_1, x");
}

TEST_CASE("read_npz reads members deflated as np.savez_compressed writes them", "[npz]") {
  TempDir dir;
  const fs::path path = dir.path / "c.npz";
  const NdArray kernel = filled({8, 8, 3}, 0.0f);  // regular values, so deflate shrinks them
  const NdArray bias = filled({5}, 1.0f);
  make_zip(path, {{"arr_0.npy", convscope::encode_npy(kernel), true},
                  {"arr_1.npy", convscope::encode_npy(bias), false}});
  REQUIRE(methods(path) == std::vector<int32_t>{ZIP_CM_DEFLATE, ZIP_CM_STORE});
  const std::vector<NdArray> weights = convscope::read_weight_list(path);
  REQUIRE(weights.size() == 2);
  CHECK(weights[0].shape == kernel.shape);
  CHECK(weights[0].data == kernel.data);
  CHECK(weights[1].data == bias.data);
}

TEST_CASE("read_npz refuses missing, empty and non-zip files", "[npz]") {
  TempDir dir;
  const fs::path missing = dir.path / "missing.npz";
  require_refused(missing, "cannot open: No such file");

  const fs::path empty_file = dir.path / "empty_file.npz";
  write_bytes(empty_file, {});
  require_refused(empty_file, "file is empty (0 bytes)");

  // What np.savez(path) with no arrays writes: only the end-of-central-directory record.
  const fs::path no_members = dir.path / "no_members.npz";
  Bytes eocd = {'P', 'K', 5, 6};
  eocd.resize(22, 0);
  write_bytes(no_members, eocd);
  require_refused(no_members, "the archive holds no arrays");

  // A lone .npy given where a .npz was expected.
  const fs::path npy = dir.path / "lone.npz";
  write_bytes(npy, convscope::encode_npy(filled({4}, 0.0f)));
  require_refused(npy, "not a .npz archive (zip): ");

  // A real archive cut short loses its central directory.
  const fs::path cut = dir.path / "cut.npz";
  convscope::write_npz(cut, {{"a", filled({64}, 0.0f)}});
  fs::resize_file(cut, fs::file_size(cut) / 2);
  require_refused(cut, "not a .npz archive (zip): ");

  require_refused(dir.path, "is a directory");
}

TEST_CASE("read_npz names the member that is not a readable .npy", "[npz]") {
  TempDir dir;
  const Bytes good = convscope::encode_npy(filled({2}, 0.0f));
  const fs::path text = dir.path / "text.npz";
  make_zip(text, {{"arr_0.npy", good}, {"notes.txt", {'h', 'i'}}});
  require_refused(text, "member notes.txt: not a .npy array");

  const fs::path folder = dir.path / "folder.npz";
  make_zip(folder, {{"arr_0.npy", good}, {"sub/", {}}});
  require_refused(folder, "member sub/: not a .npy array");

  const fs::path corrupt = dir.path / "corrupt.npz";
  make_zip(corrupt, {{"arr_0.npy", good}, {"arr_3.npy", {'n', 'o', 'p', 'e'}, true}});
  require_refused(corrupt, "member arr_3.npy: not a .npy file");
}

TEST_CASE("read_npz refuses a member whose data no longer matches its CRC", "[npz]") {
  TempDir dir;
  const fs::path path = dir.path / "w.npz";
  const NdArray a = filled({16}, 100.0f);
  convscope::write_npz(path, {{"arr_0", a}});
  // Stored members lie in the file as is: find the last float and change one of its bytes,
  // which leaves a .npy that would parse and silently give a wrong weight.
  Bytes file = read_bytes(path);
  const auto* last = reinterpret_cast<const uint8_t*>(&a.data.back());
  const auto at = std::search(file.begin(), file.end(), last, last + sizeof(float));
  REQUIRE(at != file.end());
  *at ^= 0x01;
  write_bytes(path, file);
  require_refused(path, "member arr_0.npy: cannot read: CRC error");
}

TEST_CASE("read_npz refuses a member name that appears twice", "[npz]") {
  TempDir dir;
  const fs::path path = dir.path / "twice.npz";
  const Bytes good = convscope::encode_npy(filled({2}, 0.0f));
  make_zip(path, {{"a.npy", good}, {"b.npy", good}});
  // libzip will not add a name twice, so rename b to a where the zip records it: in the local
  // header and in the central directory. The CRC covers only the data, so the zip stays valid.
  Bytes file = read_bytes(path);
  const std::string b = "b.npy";
  int renamed = 0;
  for (auto at = file.begin(); (at = std::search(at, file.end(), b.begin(), b.end())) != file.end();
       ++renamed) {
    *at = 'a';
  }
  REQUIRE(renamed == 2);
  write_bytes(path, file);
  require_refused(path, "member a.npy: appears twice in the archive");
}
