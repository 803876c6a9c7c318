#include "io/npy.h"

#include "io/atomic_file.h"

#include <fmt/format.h>

#include <bit>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <utility>

#include "core/error.h"

namespace convscope {
namespace {

// Element bytes are copied as they lie in the file, which is only right on a little-endian host.
static_assert(std::endian::native == std::endian::little,
              "the .npy reader and writer assume a little-endian host");

constexpr std::string_view kMagic = "\x93NUMPY";

// Control and non-ASCII bytes (a corrupt or hostile file's) as \xNN: every message stays one
// line of plain text, whatever the header held.
std::string printable(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f) out += ch;
    else out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

template <typename... Args>
[[noreturn]] void refuse(std::string_view name, fmt::format_string<Args...> f, Args&&... args) {
  throw UserError(fmt::format("{}: {}", name, printable(fmt::format(f, std::forward<Args>(args)...))));
}

// Header text as it may appear in a one-line message: without numpy's padding, and short,
// since a damaged or hostile header can be megabytes long.
std::string excerpt(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  if (text.size() <= 120) return std::string(text);
  return std::string(text.substr(0, 120)) + "...";
}

// A Python literal as repr() writes it in a .npy header. Structured dtypes put lists and tuples
// in 'descr'; we parse them only so that we can refuse them by name rather than as "garbage".
struct PyLiteral {
  enum class Kind { Str, Int, Bool, None, Seq } kind = Kind::None;
  std::string_view text;  // the literal's source, for messages
  std::string str;
  int64_t integer = 0;
  bool boolean = false;
  std::vector<PyLiteral> items;
};

using PyDict = std::vector<std::pair<std::string, PyLiteral>>;

class HeaderParser {
 public:
  HeaderParser(std::string_view text, std::string_view name) : text_(text), name_(name) {}

  PyDict dict() {
    PyDict entries;
    expect('{', "'{'");
    while (!eat('}')) {
      std::string key = quoted();
      expect(':', "':'");
      entries.emplace_back(std::move(key), value());
      if (!eat(',')) {
        expect('}', "',' or '}'");
        break;
      }
    }
    skip_space();
    if (pos_ < text_.size()) fail("nothing after '}'");
    return entries;
  }

 private:
  [[noreturn]] void fail(std::string_view expected) {
    refuse(name_, "the .npy header is not a Python dict literal (expected {} at offset {}): {}",
           expected, pos_, excerpt(text_));
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  void expect(char c, std::string_view what) {
    if (!eat(c)) fail(what);
  }
  bool eat_word(std::string_view w) {
    if (text_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }

  std::string quoted() {
    skip_space();
    const char quote = pos_ < text_.size() ? text_[pos_] : '\0';
    if (quote != '\'' && quote != '"') fail("a quoted string");
    ++pos_;
    std::string s;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      s += text_[pos_++];
    }
    if (pos_ >= text_.size()) fail("a closing quote");
    ++pos_;
    return s;
  }

  PyLiteral value() {
    skip_space();
    const size_t start = pos_;
    PyLiteral v;
    const char c = pos_ < text_.size() ? text_[pos_] : '\0';
    if (c == '\'' || c == '"') {
      v.kind = PyLiteral::Kind::Str;
      v.str = quoted();
    } else if (c == '(' || c == '[') {
      // A hostile header of nested brackets would otherwise recurse until the stack overflows.
      if (++depth_ > kMaxDepth) fail("at most 16 levels of nested tuples");
      v.kind = PyLiteral::Kind::Seq;
      const char close = c == '(' ? ')' : ']';
      ++pos_;
      while (!eat(close)) {
        v.items.push_back(value());
        if (!eat(',')) {
          expect(close, close == ')' ? "',' or ')'" : "',' or ']'");
          break;
        }
      }
      --depth_;
    } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      v.kind = PyLiteral::Kind::Int;
      v.integer = integer();
    } else if (eat_word("True") || eat_word("False")) {
      v.kind = PyLiteral::Kind::Bool;
      v.boolean = text_[start] == 'T';
    } else if (!eat_word("None")) {
      fail("a string, number, tuple, True, False or None");
    }
    v.text = text_.substr(start, pos_ - start);
    return v;
  }

  // Python 2 wrote longs as "3L"; the suffix means nothing to us.
  int64_t integer() {
    const size_t first = pos_;
    if (text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    const std::string_view digits = text_.substr(first, pos_ - first);
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc::result_out_of_range) {
      refuse(name_, "integer {} in the .npy header is too large", digits);
    }
    if (ec != std::errc() || end != digits.data() + digits.size()) fail("a number");
    if (pos_ < text_.size() && (text_[pos_] == 'L' || text_[pos_] == 'l')) ++pos_;
    return v;
  }

  static constexpr int kMaxDepth = 16;
  std::string_view text_;
  std::string_view name_;
  size_t pos_ = 0;
  int depth_ = 0;
};

struct Header {
  PyLiteral descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
};

Header interpret(const PyDict& dict, std::string_view header, std::string_view name) {
  Header h;
  bool seen_descr = false, seen_fortran = false, seen_shape = false;
  for (const auto& [key, v] : dict) {
    if (key == "descr") {
      h.descr = v;
      seen_descr = true;
    } else if (key == "fortran_order") {
      if (v.kind != PyLiteral::Kind::Bool) {
        refuse(name, "'fortran_order' in the .npy header must be True or False, not {}",
               excerpt(v.text));
      }
      h.fortran_order = v.boolean;
      seen_fortran = true;
    } else if (key == "shape") {
      h.shape.clear();
      for (const PyLiteral& d : v.items) {
        if (d.kind != PyLiteral::Kind::Int) break;
        h.shape.push_back(d.integer);
      }
      if (v.kind != PyLiteral::Kind::Seq || h.shape.size() != v.items.size()) {
        refuse(name, "'shape' in the .npy header must be a tuple of integers, not {}",
               excerpt(v.text));
      }
      seen_shape = true;
    } else {
      // numpy refuses unknown keys too; guessing what one means could misread the data.
      refuse(name,
             "unexpected key '{}' in the .npy header; expected only 'descr', "
             "'fortran_order' and 'shape'",
             excerpt(key));
    }
  }
  for (auto [seen, key] :
       {std::pair{seen_descr, "descr"}, {seen_fortran, "fortran_order"}, {seen_shape, "shape"}}) {
    if (!seen) refuse(name, "the .npy header lacks the '{}' key: {}", key, excerpt(header));
  }
  return h;
}

// IEEE binary16 has no C++ type before C++23; every half value is exact as a float.
float half_to_float(uint16_t h) {
  const float sign = (h & 0x8000) ? -1.0f : 1.0f;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  if (exponent == 0) return sign * std::ldexp(static_cast<float>(mantissa), -24);
  if (exponent == 31) {
    return mantissa ? std::numeric_limits<float>::quiet_NaN()
                    : sign * std::numeric_limits<float>::infinity();
  }
  return sign * std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
}

template <typename T>
T raw(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // file data has no alignment guarantee
  return v;
}
template <typename T>
float load(const uint8_t* p) {
  return static_cast<float>(raw<T>(p));
}
float load_half(const uint8_t* p) { return half_to_float(raw<uint16_t>(p)); }
float load_bool(const uint8_t* p) { return *p ? 1.0f : 0.0f; }

struct Dtype {
  std::string_view code;  // descr without its byte-order character
  size_t size;
  float (*load)(const uint8_t*);
};

constexpr Dtype kDtypes[] = {
    {"f2", 2, load_half},      {"f4", 4, load<float>},    {"f8", 8, load<double>},
    {"i1", 1, load<int8_t>},   {"i2", 2, load<int16_t>},  {"i4", 4, load<int32_t>},
    {"i8", 8, load<int64_t>},  {"u1", 1, load<uint8_t>},  {"u2", 2, load<uint16_t>},
    {"u4", 4, load<uint32_t>}, {"u8", 8, load<uint64_t>}, {"b1", 1, load_bool},
};

Dtype dtype_of(const PyLiteral& descr, std::string_view name) {
  if (descr.kind != PyLiteral::Kind::Str) {
    refuse(name, "structured dtype {} is not supported; save a plain numeric array",
           excerpt(descr.text));
  }
  std::string_view code = descr.str;
  const char order = code.empty() ? '=' : code[0];
  if (order == '<' || order == '>' || order == '|' || order == '=') code.remove_prefix(1);
  for (const Dtype& t : kDtypes) {
    if (t.code != code) continue;
    if (order == '>' && t.size > 1) {
      refuse(name, "big-endian '{}' is not supported; save with arr.astype('<{}')", descr.str,
             code);
    }
    return t;
  }
  refuse(name,
         "unsupported dtype '{}'; accepted are float16/32/64, int8/16/32/64, "
         "uint8/16/32/64 and bool",
         excerpt(descr.str));
}

// Bytes of data the shape implies, refusing shapes no file could hold.
uint64_t data_bytes(const std::vector<int64_t>& shape, std::string_view descr, size_t item_size,
                    std::string_view name) {
  for (int64_t d : shape) {
    if (d < 0) refuse(name, "negative dimension {} in shape {}", d, excerpt(shape_string(shape)));
  }
  for (int64_t d : shape) {
    if (d == 0) return 0;
  }
  uint64_t bytes = item_size;
  for (int64_t d : shape) {
    if (bytes > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d)) {
      refuse(name, "shape {} of {} has too many elements to address", excerpt(shape_string(shape)),
             descr);
    }
    bytes *= static_cast<uint64_t>(d);
  }
  return bytes;
}

// Fortran order puts the first axis fastest. Walk the C-order index like an odometer while
// keeping the matching Fortran offset, so any rank costs one pass and no division.
std::vector<float> fortran_to_c(const std::vector<float>& f, const std::vector<int64_t>& shape) {
  const size_t rank = shape.size();
  std::vector<size_t> stride(rank);
  size_t s = 1;
  for (size_t k = 0; k < rank; ++k) {
    stride[k] = s;
    s *= static_cast<size_t>(shape[k]);
  }
  std::vector<float> c(f.size());
  std::vector<int64_t> index(rank, 0);
  size_t offset = 0;
  for (float& out : c) {
    out = f[offset];
    for (size_t k = rank; k-- > 0;) {
      if (++index[k] < shape[k]) {
        offset += stride[k];
        break;
      }
      offset -= static_cast<size_t>(shape[k] - 1) * stride[k];
      index[k] = 0;
    }
  }
  return c;
}

uint64_t read_le(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::string errno_text(int e) { return std::generic_category().message(e); }

}  // namespace

NdArray parse_npy(std::span<const uint8_t> bytes, std::string_view name) {
  if (bytes.empty()) refuse(name, "file is empty (0 bytes); expected a .npy file");
  if (bytes.size() < kMagic.size() || std::memcmp(bytes.data(), kMagic.data(), kMagic.size())) {
    refuse(name, "not a .npy file (it does not start with \\x93NUMPY)");
  }
  if (bytes.size() < 10) {
    refuse(name, "truncated header: the file ends after {} bytes", bytes.size());
  }
  const int major = bytes[6], minor = bytes[7];
  if (major < 1 || major > 3 || minor != 0) {
    refuse(name, "unsupported .npy format version {}.{}; versions 1.0, 2.0 and 3.0 are supported",
           major, minor);
  }
  // Version 1.0 stores the header length in 2 bytes; 2.0 and 3.0 in 4.
  const size_t length_size = major == 1 ? 2 : 4;
  const size_t header_start = 8 + length_size;
  if (bytes.size() < header_start) {
    refuse(name, "truncated header: the file ends after {} bytes", bytes.size());
  }
  const uint64_t header_size = read_le(bytes.data() + 8, length_size);
  if (header_size > bytes.size() - header_start) {
    refuse(name, "truncated header: it should be {} bytes but the file has {} after the preamble",
           header_size, bytes.size() - header_start);
  }
  const std::string_view header(reinterpret_cast<const char*>(bytes.data() + header_start),
                                header_size);
  const Header h = interpret(HeaderParser(header, name).dict(), header, name);
  const Dtype dtype = dtype_of(h.descr, name);
  const uint64_t needed = data_bytes(h.shape, h.descr.str, dtype.size, name);
  const uint64_t available = bytes.size() - header_start - header_size;
  if (available < needed) {
    refuse(name, "truncated: shape {} of {} needs {} bytes of data, file has {}",
           shape_string(h.shape), h.descr.str, needed, available);
  }
  if (available > needed) {
    refuse(name, "{} unexpected bytes after the data: shape {} of {} needs {} bytes, file has {}",
           available - needed, shape_string(h.shape), h.descr.str, needed, available);
  }

  NdArray a(h.shape);
  const uint8_t* p = bytes.data() + header_start + header_size;
  for (float& v : a.data) {
    v = dtype.load(p);
    p += dtype.size;
  }
  if (h.fortran_order) a.data = fortran_to_c(a.data, a.shape);
  return a;
}

NdArray read_npy(const std::filesystem::path& path) {
  const std::string name = path.string();
  File f(std::fopen(name.c_str(), "rb"));
  if (!f) throw UserError(fmt::format("{}: cannot open: {}", name, errno_text(errno)));
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  while (size_t n = std::fread(chunk, 1, sizeof chunk, f.get())) {
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  if (std::ferror(f.get())) {
    throw UserError(fmt::format("{}: cannot read: {}", name, errno_text(errno)));
  }
  return parse_npy(bytes, name);
}

std::vector<uint8_t> encode_npy(const NdArray& a) {
  for (int64_t d : a.shape) {
    if (d < 0) {
      throw Error(fmt::format("encode_npy: negative dimension in shape {}", shape_string(a.shape)));
    }
  }
  if (a.data.size() != NdArray::element_count(a.shape)) {
    throw Error(fmt::format("encode_npy: shape {} holds {} values but the array has {}",
                            shape_string(a.shape), NdArray::element_count(a.shape), a.data.size()));
  }
  std::string header = fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': {}, }}",
                                   shape_string(a.shape));
  // Only a rank in the thousands outgrows version 1.0's 2-byte header length.
  const size_t length_size = header.size() + 64 > 0xffff ? 4 : 2;
  const size_t preamble = 8 + length_size;
  // numpy pads so the data starts on a 64-byte boundary, letting readers map it aligned.
  header.append((64 - (preamble + header.size() + 1) % 64) % 64, ' ');
  header += '\n';

  std::vector<uint8_t> out(kMagic.begin(), kMagic.end());
  out.push_back(length_size == 2 ? 1 : 2);
  out.push_back(0);
  for (size_t i = 0; i < length_size; ++i) {
    out.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  }
  out.insert(out.end(), header.begin(), header.end());
  const auto* data = reinterpret_cast<const uint8_t*>(a.data.data());
  out.insert(out.end(), data, data + a.data.size() * sizeof(float));
  return out;
}

void write_npy(const std::filesystem::path& path, const NdArray& a) {
  const std::vector<uint8_t> bytes = encode_npy(a);  // before touching the disk
  write_file_atomically(path, {reinterpret_cast<const char*>(bytes.data()), bytes.size()}, "a .npy file");
}

}  // namespace convscope
