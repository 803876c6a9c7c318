// Keras axes on canonical tensors, and the strided copy every reshaping layer is built on:
// the CPU loop against hand-worked orders, the GPU kernel against the CPU loop.
#include <catch2/catch.hpp>

#include "core/keras_axes.h"
#include "gpu.h"
#include "layer_check.h"
#include "layers/strided_copy.h"
#include "vk/device_tensor.h"

using namespace convscope;

namespace {

Shape shape(int rank, DataFormat f, int64_t n, int64_t c, int64_t d, int64_t h, int64_t w) {
  Shape s;
  s.spatial_rank = rank;
  s.format = f;
  s.n = n;
  s.c = c;
  s.d = d;
  s.h = h;
  s.w = w;
  return s;
}

}  // namespace

TEST_CASE("Keras axes map to canonical axes in either data format and for vectors", "[axes]") {
  const Shape cl = shape(2, DataFormat::ChannelsLast, 2, 3, 1, 4, 5);
  CHECK(keras_order(cl) == std::vector<int>{0, 3, 4, 1});
  CHECK(cl.keras() == std::vector<int64_t>{2, 4, 5, 3});
  CHECK(canonical_axis(cl, -1) == 1);
  CHECK(canonical_axis(cl, 1) == 3);
  CHECK_FALSE(canonical_axis(cl, 4).has_value());
  CHECK_FALSE(canonical_axis(cl, -5).has_value());
  const Shape cf = shape(3, DataFormat::ChannelsFirst, 1, 3, 2, 4, 5);
  CHECK(keras_order(cf) == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(canonical_axis(cf, 1) == 1);
  const Shape vec = shape(0, DataFormat::ChannelsFirst, 2, 7, 1, 1, 1);
  CHECK(keras_order(vec) == std::vector<int>{0, 1});
  CHECK(vec.keras() == std::vector<int64_t>{2, 7});
  CHECK(shape_from_keras({2, 7}, DataFormat::ChannelsLast, "t").spatial_rank == 0);
  CHECK(shape_from_keras({2, 3, 4, 5}, DataFormat::ChannelsLast, "t").c == 5);
  CHECK_THROWS_WITH(shape_from_keras({2, 3, 4, 5, 6, 7}, DataFormat::ChannelsLast, "t"), Catch::Contains("6 axes"));
}

TEST_CASE("a channels_last tensor copied into Keras order reads (n, h, w, c)", "[axes]") {
  // Canonical (N=1, C=2, H=2, W=3): value = 100c + 10h + w.
  const Shape s = shape(2, DataFormat::ChannelsLast, 1, 2, 1, 2, 3);
  Tensor t(s);
  for (int c = 0; c < 2; ++c)
    for (int h = 0; h < 2; ++h)
      for (int w = 0; w < 3; ++w) t.at(0, c, 0, h, w) = static_cast<float>(100 * c + 10 * h + w);
  std::vector<float> keras(t.data.size());
  copy_strided(t.data, keras, canonical_to_keras(s));
  CHECK(keras == std::vector<float>{0, 100, 1, 101, 2, 102, 10, 110, 11, 111, 12, 112});
  std::vector<float> back(t.data.size());
  copy_strided(keras, back, keras_to_canonical(s));
  CHECK(back == t.data);
  // Simplifying keeps the order: channels_first is one contiguous run.
  const StridedCopy cf = canonical_to_keras(shape(2, DataFormat::ChannelsFirst, 2, 3, 1, 4, 5)).simplified();
  CHECK(cf.dims == std::vector<int64_t>{120});
}

TEST_CASE("the strided copy kernel equals the CPU loop: transposes, repeats, offsets", "[axes][gpu]") {
  vk::Context& ctx = test::gpu();
  struct Case { StridedCopy copy; int64_t src_size, dst_size; };
  const Case cases[] = {
      {canonical_to_keras(shape(3, DataFormat::ChannelsLast, 2, 3, 4, 5, 3)), 360, 360},
      {keras_to_canonical(shape(1, DataFormat::ChannelsLast, 3, 7, 1, 1, 5)), 105, 105},
      // RepeatVector: (2, 4) -> (2, 3, 4), the middle axis reads stride 0.
      {{{2, 3, 4}, {4, 0, 1}, {12, 4, 1}, 0, 0}, 8, 24},
      // A slice written at an offset: rows 1..2 of a 4-row destination, 9 axes before simplifying.
      {{{1, 1, 1, 1, 1, 1, 2, 3, 1}, {0, 0, 0, 0, 0, 0, 3, 1, 0}, {0, 0, 0, 0, 0, 0, 3, 1, 0}, 0, 3}, 6, 12},
  };
  uint32_t seed = 1;
  for (const Case& c : cases) {
    Shape ss = shape(0, DataFormat::ChannelsLast, 1, c.src_size, 1, 1, 1), ds = ss;
    ds.c = c.dst_size;
    const Tensor src = test::random_tensor(ss, seed++);
    Tensor expected(ds);
    copy_strided(src.data, expected.data, c.copy);
    const DeviceTensor in = to_device(ctx, src, "src");
    const DeviceTensor out = to_device(ctx, Tensor(ds), "dst");
    vk::Sequence seq(ctx);
    record_strided_copy(seq, in.buffer, out.buffer, c.copy, "copy");
    seq.submit();
    CHECK(to_host(ctx, out).data == expected.data);
    test::require_validation_clean(ctx);
  }
}
