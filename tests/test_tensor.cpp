#include <catch2/catch.hpp>

#include "core/error.h"
#include "core/tensor.h"
#include "layer_check.h"

using namespace convscope;

TEST_CASE("Keras arrays map to canonical NCDHW and back in both data formats", "[tensor]") {
  // Index arithmetic checked against an explicit element: keras (n, y, x, c) for channels_last.
  NdArray a({2, 3, 4, 5});
  for (size_t i = 0; i < a.size(); ++i) a.data[i] = static_cast<float>(i);
  const Tensor last = from_keras(a, 2, DataFormat::ChannelsLast, "t");
  CHECK(last.shape.n == 2);
  CHECK(last.shape.h == 3);
  CHECK(last.shape.w == 4);
  CHECK(last.shape.c == 5);
  CHECK(last.shape.d == 1);
  CHECK(last.at(1, 2, 0, 2, 3) == a.data[((1 * 3 + 2) * 4 + 3) * 5 + 2]);
  const Tensor first = from_keras(a, 2, DataFormat::ChannelsFirst, "t");
  CHECK(first.shape.c == 3);
  CHECK(first.shape.h == 4);
  CHECK(first.shape.w == 5);
  CHECK(first.at(1, 2, 0, 3, 4) == a.data[((1 * 3 + 2) * 4 + 3) * 5 + 4]);

  for (int rank = 1; rank <= 3; ++rank) {
    for (DataFormat f : {DataFormat::ChannelsLast, DataFormat::ChannelsFirst}) {
      std::vector<int64_t> shape{2};
      for (int i = 0; i < rank + 1; ++i) shape.push_back(3 + i);
      const NdArray x = test::random_array(shape, 7 + rank);
      const NdArray back = to_keras(from_keras(x, rank, f, "t"), f);
      CHECK(back.shape == x.shape);
      CHECK(back.data == x.data);
    }
  }
}

TEST_CASE("an input of the wrong rank is refused with the expected axes", "[tensor]") {
  NdArray a({2, 3, 4});
  REQUIRE_THROWS_AS(from_keras(a, 2, DataFormat::ChannelsLast, "x.npy"), UserError);
  REQUIRE_THROWS_WITH(from_keras(a, 2, DataFormat::ChannelsLast, "x.npy"),
                      Catch::Contains("x.npy") && Catch::Contains("(2, 3, 4)") &&
                          Catch::Contains("(batch, rows, cols, channels)"));
  NdArray empty({0, 3, 4});
  REQUIRE_THROWS_WITH(from_keras(empty, 1, DataFormat::ChannelsLast, "e.npy"), Catch::Contains("empty axis"));
}
