#include "io/tfjs_weights.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <limits>

#include "core/error.h"
#include "core/half.h"

namespace convscope {

namespace {

// A weight as its group's bytes hold it.
struct Entry {
  std::string name;
  std::vector<int64_t> shape;
  std::string stored;  // float32, int32, float16, uint8 or uint16
  double scale = 1, min = 0;
  size_t elements = 0;
};

size_t stored_bytes(const std::string& dtype) { return dtype == "uint8" ? 1 : dtype == "float16" || dtype == "uint16" ? 2 : 4; }

Entry read_entry(const nlohmann::json& w, const std::string& where) {
  if (!w.is_object() || !w.contains("name") || !w["name"].is_string())
    throw UserError(fmt::format("{}: expected {{\"name\": ..., \"shape\": [...], \"dtype\": ...}}", where));
  Entry e;
  e.name = w["name"].get<std::string>();
  const std::string at = fmt::format("{} '{}'", where, e.name);
  if (!w.contains("shape") || !w["shape"].is_array()) throw UserError(fmt::format("{}: shape: expected a list of sizes", at));
  e.elements = 1;
  for (const auto& d : w["shape"]) {
    if (!d.is_number_integer() || d.get<int64_t>() < 0 || d.get<int64_t>() > std::numeric_limits<int32_t>::max())
      throw UserError(fmt::format("{}: shape: {} is not a size", at, d.dump()));
    e.shape.push_back(d.get<int64_t>());
    if (e.elements > (size_t{1} << 40) / std::max<size_t>(1, static_cast<size_t>(e.shape.back())))
      throw UserError(fmt::format("{}: shape {}: more elements than any model holds", at, w["shape"].dump()));
    e.elements *= static_cast<size_t>(e.shape.back());
  }
  const nlohmann::json given = w.value("dtype", nlohmann::json("float32"));
  const std::string dtype = given.is_string() ? given.get<std::string>() : "";
  if (dtype != "float32" && dtype != "int32")
    throw UserError(fmt::format("{}: dtype: {} is not float32 or int32, the weight types of a layers model", at,
                                given.dump()));
  e.stored = dtype;
  if (const auto q = w.find("quantization"); q != w.end() && !q->is_null()) {
    const std::string qd = q->is_object() && q->contains("dtype") && (*q)["dtype"].is_string() ? (*q)["dtype"].get<std::string>() : "";
    if (qd == "uint8" || qd == "uint16") {
      if (!q->contains("scale") || !(*q)["scale"].is_number() || !q->contains("min") || !(*q)["min"].is_number())
        throw UserError(fmt::format("{}: quantization: {} needs numbers scale and min", at, qd));
      e.scale = (*q)["scale"].get<double>(), e.min = (*q)["min"].get<double>();
    } else if (qd != "float16") {
      throw UserError(fmt::format("{}: quantization: dtype {} is not uint8, uint16 or float16", at,
                                  q->is_object() ? q->value("dtype", nlohmann::json()).dump() : q->dump()));
    }
    e.stored = qd;
  }
  return e;
}

// The group's shards, concatenated. A path is a file name beside model.json (tfjs writes
// group1-shard1of2.bin); one that climbs out of the folder is refused, not followed.
std::vector<unsigned char> read_group(const nlohmann::json& paths, const std::filesystem::path& folder,
                                      const std::string& where, size_t expected) {
  if (!paths.is_array()) throw UserError(fmt::format("{}: paths: expected a list of shard files", where));
  std::vector<unsigned char> bytes;
  for (const auto& p : paths) {
    if (!p.is_string()) throw UserError(fmt::format("{}: paths: {} is not a file name", where, p.dump()));
    const std::filesystem::path rel = std::filesystem::path(p.get<std::string>()).lexically_normal();
    if (rel.empty() || rel.is_absolute() || *rel.begin() == "..")
      throw UserError(fmt::format("{}: paths: '{}' leaves the model's folder; shards sit beside model.json", where,
                                  p.get<std::string>()));
    const std::filesystem::path file = folder / rel;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
      throw UserError(fmt::format("{}: shard {} is missing", where, file.string()));
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    const std::streamoff end = in ? static_cast<std::streamoff>(in.tellg()) : -1;
    if (end < 0) throw UserError(fmt::format("{}: shard {} cannot be read", where, file.string()));
    const auto size = static_cast<size_t>(end);
    if (bytes.size() + size > expected)
      throw UserError(fmt::format("{}: shard {} holds more than the group's weights ({} bytes in all)", where,
                                  file.string(), expected));
    in.seekg(0);
    const size_t at = bytes.size();
    bytes.resize(at + size);
    if (size && !in.read(reinterpret_cast<char*>(bytes.data() + at), static_cast<std::streamsize>(size)))
      throw UserError(fmt::format("{}: shard {} cannot be read", where, file.string()));
  }
  if (bytes.size() < expected)
    throw UserError(fmt::format("{}: the shards hold {} bytes, the group's weights {}: a shard is short or missing "
                                "from paths",
                                where, bytes.size(), expected));
  return bytes;
}

NdArray decode(const Entry& e, const unsigned char* p) {
  NdArray a(e.shape);
  if (e.stored == "float32") {
    std::memcpy(a.data.data(), p, e.elements * 4);
  } else if (e.stored == "int32") {
    for (size_t i = 0; i < e.elements; ++i) {
      int32_t v;
      std::memcpy(&v, p + 4 * i, 4);
      a.data[i] = static_cast<float>(v);
    }
  } else if (e.stored == "float16") {
    std::vector<uint16_t> h(e.elements);
    std::memcpy(h.data(), p, e.elements * 2);
    a.data = from_half(h);
  } else {
    // tfjs-core's dequantization: in float32, q * scale + min.
    const auto scale = static_cast<float>(e.scale), min = static_cast<float>(e.min);
    const bool wide = e.stored == "uint16";
    for (size_t i = 0; i < e.elements; ++i) {
      uint16_t q = p[i];
      if (wide) std::memcpy(&q, p + 2 * i, 2);
      a.data[i] = static_cast<float>(q) * scale + min;
    }
  }
  return a;
}

}  // namespace

std::vector<NamedArray> read_tfjs_weights(const nlohmann::json& manifest, const std::filesystem::path& folder,
                                          const std::string& model_file) {
  if (!manifest.is_array()) throw UserError(fmt::format("{}: weightsManifest: expected a list of groups", model_file));
  std::vector<NamedArray> out;
  for (size_t g = 0; g < manifest.size(); ++g) {
    const std::string where = fmt::format("{}: weightsManifest[{}]", model_file, g);
    const nlohmann::json& group = manifest[g];
    if (!group.is_object() || !group.contains("weights") || !group["weights"].is_array())
      throw UserError(fmt::format("{}: expected {{\"paths\": [...], \"weights\": [...]}}", where));
    std::vector<Entry> entries;
    size_t total = 0;
    for (const auto& w : group["weights"]) {
      entries.push_back(read_entry(w, where));
      total += entries.back().elements * stored_bytes(entries.back().stored);
    }
    const std::vector<unsigned char> bytes = read_group(group.value("paths", nlohmann::json()), folder, where, total);
    size_t at = 0;
    for (const Entry& e : entries) {
      out.push_back({e.name, decode(e, bytes.data() + at)});
      at += e.elements * stored_bytes(e.stored);
    }
  }
  return out;
}

}  // namespace convscope
