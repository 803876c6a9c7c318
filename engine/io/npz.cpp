#include "io/npz.h"

#include "io/atomic_file.h"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <memory>
#include <optional>
#include <random>
#include <string_view>
#include <system_error>

#include "core/error.h"
#include "io/npy.h"

namespace convscope {
namespace {

constexpr std::string_view kSuffix = ".npy";
constexpr std::string_view kSaveHint = "save the weights with np.savez(path, *model.get_weights())";

// zip_discard frees an archive without writing it; a written archive is closed by zip_close.
struct ArchiveDiscarder {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct MemberCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct SourceFreer {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};
using Archive = std::unique_ptr<zip_t, ArchiveDiscarder>;
using Member = std::unique_ptr<zip_file_t, MemberCloser>;
using Source = std::unique_ptr<zip_source_t, SourceFreer>;

// A zip_error_t keeps the system errno beside libzip's code, so messages can say "Permission
// denied" where zip_open's int error code would only say "Can't open file".
struct ZipError {
  zip_error_t e;
  ZipError() { zip_error_init(&e); }
  ~ZipError() { zip_error_fini(&e); }
  ZipError(const ZipError&) = delete;
  ZipError& operator=(const ZipError&) = delete;
  std::string text() { return zip_error_strerror(&e); }
};

bool is_empty_file(const std::string& name) {
  std::error_code ec;
  return std::filesystem::file_size(name, ec) == 0 && !ec;
}

[[noreturn]] void refuse_empty_file(const std::string& name) {
  throw UserError(
      fmt::format("{}: file is empty (0 bytes); expected a .npz archive; {}", name, kSaveHint));
}

[[noreturn]] void refuse_open(const std::string& name, ZipError& error) {
  switch (zip_error_code_zip(&error.e)) {
    case ZIP_ER_NOENT:  // same wording as read_npy
      throw UserError(
          fmt::format("{}: cannot open: {}", name, std::generic_category().message(ENOENT)));
    case ZIP_ER_NOZIP:
    case ZIP_ER_INCONS:
      if (is_empty_file(name)) refuse_empty_file(name);
      throw UserError(fmt::format("{}: not a .npz archive (zip): {}", name, error.text()));
    default:
      throw UserError(fmt::format("{}: cannot open: {}", name, error.text()));
  }
}

Archive open_for_reading(const std::string& name) {
  // libzip's own answer for a directory is "Operation not supported".
  std::error_code ec;
  if (std::filesystem::is_directory(name, ec)) {
    throw UserError(fmt::format("{}: is a directory, not a .npz archive", name));
  }
  ZipError error;
  Source source(zip_source_file_create(name.c_str(), 0, -1, &error.e));
  if (!source) refuse_open(name, error);
  Archive archive(zip_open_from_source(source.get(), ZIP_RDONLY, &error.e));
  if (!archive) refuse_open(name, error);
  source.release();  // the archive owns it now
  return archive;
}

// Reads to the end rather than trusting the size in the zip header, and libzip checks the
// CRC once the end is reached, so a damaged member fails here instead of parsing garbage.
std::vector<uint8_t> read_member(zip_t* archive, zip_uint64_t index, std::string_view where) {
  Member member(zip_fopen_index(archive, index, 0));
  if (!member) {
    throw UserError(fmt::format("{}: cannot read: {}", where, zip_strerror(archive)));
  }
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  for (;;) {
    const zip_int64_t n = zip_fread(member.get(), chunk, sizeof chunk);
    if (n < 0) {
      throw UserError(fmt::format("{}: cannot read: {}", where, zip_file_strerror(member.get())));
    }
    if (n == 0) return bytes;
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
}

// N for a name that np.savez gives its N-th positional array: "arr_" and the number as
// Python's str() writes it, so "arr_01" is not taken for arr_1.
std::optional<size_t> positional_index(std::string_view name) {
  constexpr std::string_view prefix = "arr_";
  if (!name.starts_with(prefix)) return std::nullopt;
  const std::string_view digits = name.substr(prefix.size());
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  size_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

// The names as a message lists them, cut short since an archive may hold thousands.
std::string name_list(const std::vector<std::pair<std::string, NdArray>>& members) {
  constexpr size_t kShown = 16;
  std::string list;
  for (size_t i = 0; i < members.size() && i < kShown; ++i) {
    list += (i ? ", " : "") + members[i].first;
  }
  if (members.size() > kShown) list += fmt::format(", ... ({} more)", members.size() - kShown);
  return list;
}

// Encodes every array up front: nothing touches the disk unless all of them are valid, and
// zip_source_buffer only borrows the bytes, which must outlive zip_close.
std::vector<std::vector<uint8_t>> encode_members(
    const std::string& name, const std::vector<std::pair<std::string, NdArray>>& arrays) {
  if (arrays.empty()) {
    throw Error(fmt::format("{}: no arrays to write; a .npz needs at least one", name));
  }
  std::vector<std::vector<uint8_t>> encoded;
  for (const auto& [member, array] : arrays) {
    if (std::ranges::count(arrays, member, &std::pair<std::string, NdArray>::first) > 1) {
      throw Error(fmt::format("{}: two arrays are named '{}'; names must be unique", name, member));
    }
    try {
      encoded.push_back(encode_npy(array));
    } catch (const Error& e) {
      throw Error(fmt::format("{}: array '{}': {}", name, member, e.what()));
    }
  }
  return encoded;
}

// Adds the members to an archive libzip will create at `tmp`; returns why it failed, or "".
std::string build_archive(const std::string& tmp,
                          const std::vector<std::pair<std::string, NdArray>>& arrays,
                          const std::vector<std::vector<uint8_t>>& encoded) {
  ZipError error;
  Source file(zip_source_file_create(tmp.c_str(), 0, -1, &error.e));
  if (!file) return error.text();
  // ZIP_EXCL: never take over a file someone else created under the same temporary name.
  Archive archive(zip_open_from_source(file.get(), ZIP_CREATE | ZIP_EXCL, &error.e));
  if (!archive) return error.text();
  file.release();

  for (size_t i = 0; i < arrays.size(); ++i) {
    const std::string member = arrays[i].first + std::string(kSuffix);
    Source data(zip_source_buffer(archive.get(), encoded[i].data(), encoded[i].size(), 0));
    if (!data) return zip_strerror(archive.get());
    const zip_int64_t index = zip_file_add(archive.get(), member.c_str(), data.get(), 0);
    if (index < 0) return fmt::format("member {}: {}", member, zip_strerror(archive.get()));
    data.release();  // the archive owns it now
    // np.savez stores; readers may then map the .npy data straight out of the file.
    const auto added = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive.get(), added, ZIP_CM_STORE, 0) < 0) {
      return fmt::format("member {}: {}", member, zip_strerror(archive.get()));
    }
  }
  // On failure zip_close leaves the archive open (the deleter discards it) and removes the
  // file it was writing.
  if (zip_close(archive.get()) < 0) return zip_strerror(archive.get());
  archive.release();
  return "";
}

}  // namespace

std::vector<std::pair<std::string, NdArray>> read_npz(const std::filesystem::path& path) {
  const std::string name = path.string();
  const Archive archive = open_for_reading(name);
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  if (count <= 0) {
    // Some libzip versions open a 0-byte file as an archive with no members.
    if (is_empty_file(name)) refuse_empty_file(name);
    throw UserError(fmt::format("{}: the archive holds no arrays; {}", name, kSaveHint));
  }

  std::vector<std::pair<std::string, NdArray>> arrays;
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(count); ++i) {
    const char* raw_name = zip_get_name(archive.get(), i, ZIP_FL_ENC_GUESS);
    if (!raw_name) {
      throw UserError(
          fmt::format("{}: cannot read member {}: {}", name, i, zip_strerror(archive.get())));
    }
    const std::string_view member = raw_name;
    const std::string where = fmt::format("{}: member {}", name, member);
    if (!member.ends_with(kSuffix)) {
      throw UserError(
          fmt::format("{}: not a .npy array; a .npz must hold only the .npy members "
                      "that np.savez writes",
                      where));
    }
    std::string key(member.substr(0, member.size() - kSuffix.size()));
    // zip allows repeated names; which one numpy would return is an accident of its reader.
    for (const auto& earlier : arrays) {
      if (earlier.first == key) {
        throw UserError(fmt::format("{}: appears twice in the archive", where));
      }
    }
    arrays.emplace_back(std::move(key), parse_npy(read_member(archive.get(), i, where), where));
  }
  return arrays;
}

std::vector<NdArray> read_weight_list(const std::filesystem::path& path) {
  std::vector<std::pair<std::string, NdArray>> members = read_npz(path);
  std::vector<std::optional<NdArray>> slots(members.size());
  bool positional = true;
  for (auto& [key, array] : members) {
    const std::optional<size_t> n = positional_index(key);
    if (!n || *n >= slots.size() || slots[*n]) {
      positional = false;
      break;
    }
    slots[*n] = std::move(array);
  }
  if (!positional) {
    // Keyword names (np.savez(path, kernel=...)) say nothing of the order Keras expects.
    const std::string expected =
        members.size() == 1 ? "arr_0" : fmt::format("arr_0 .. arr_{}", members.size() - 1);
    throw UserError(fmt::format("{}: expected members {} in Keras weight order, found {}; {}",
                                path.string(), expected, name_list(members), kSaveHint));
  }
  std::vector<NdArray> weights;
  weights.reserve(slots.size());
  for (auto& slot : slots) weights.push_back(std::move(*slot));
  return weights;
}

void write_npz(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, NdArray>>& arrays) {
  const std::string name = path.string();
  const std::vector<std::vector<uint8_t>> encoded = encode_members(name, arrays);
  const std::filesystem::path tmp = temporary_beside(path);
  commit_temporary(tmp, path, build_archive(tmp.string(), arrays, encoded));
}

}  // namespace convscope
