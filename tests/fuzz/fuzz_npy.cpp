// libFuzzer target for the .npy reader (engine/io/npy.h). Any bytes either decode or are
// refused with a one-line UserError; whatever decodes survives encode_npy and a second decode
// unchanged, bit for bit (NaN payloads included: the writer stores float32 as it is).
// Run by scripts/test-fuzz.sh; the seeds are in corpus/npy/, made by make_corpus.py.
//
// The .npz reader is not fuzzed here: read_npz takes only a path (libzip opens the file), and
// its members go through parse_npy, which this target covers.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <exception>
#include <span>
#include <typeinfo>
#include <vector>

#include "core/error.h"
#include "fuzz_checks.h"
#include "io/npy.h"

namespace {

using convscope::NdArray;
using convscope::fuzz::finding;

void check_round_trip(const NdArray& a) {
  const std::vector<uint8_t> bytes = convscope::encode_npy(a);
  NdArray again;
  try {
    again = convscope::parse_npy(bytes, "re-encoded.npy");
  } catch (const convscope::UserError& e) {
    finding("encode_npy wrote a file parse_npy refuses", e.what());
  }
  if (again.shape != a.shape) finding("round trip", "the shape changed");
  const auto same_bits = [](float x, float y) { return std::bit_cast<uint32_t>(x) == std::bit_cast<uint32_t>(y); };
  if (!std::equal(again.data.begin(), again.data.end(), a.data.begin(), a.data.end(), same_bits))
    finding("round trip", "the data changed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    NdArray a;
    try {
      a = convscope::parse_npy(std::span<const uint8_t>(data, size), "fuzz.npy");
    } catch (const convscope::UserError& e) {
      convscope::fuzz::require_one_line(e.what());  // refusing bad bytes is the reader's job
      return 0;
    }
    check_round_trip(a);
  } catch (const std::exception& e) {
    // Only UserError is an expected answer to bad input; anything else would reach the CLI
    // as "failed" (exit 1) or escape a front end that catches only UserError.
    finding(typeid(e).name(), e.what());
  }
  return 0;
}
