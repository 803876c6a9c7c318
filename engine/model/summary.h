#pragma once
// What Keras' model.summary() shows: each layer's output shape (None where the input leaves
// an axis open) and parameter count, and the total.
#include <string>
#include <vector>

#include "model/model.h"

namespace convscope {

// One row per node, in node order.
struct LayerSummary {
  std::string name, class_name;
  OpenShape output;  // Keras order without batch, in the layer's data format
  int64_t params = 0;        // 0 on a later call of a shared layer: its weights are counted once
  int64_t non_trainable = 0;  // of params: what Keras does not train (moving statistics)
  double flops = 0;  // for the concrete input of summarize(), 0 when the input is open
  // What the node reads, as Keras' "Connected to" names tensors: "conv[0][0]" is conv's
  // first call's output, the input is "<input name>[0][0]".
  std::vector<std::string> connected_to;
  bool later_call = false;  // a shared layer's second call or beyond
};

struct ModelSummary {
  std::string name;
  std::string input_name;  // the InputLayer's, for the rows of a graph
  OpenShape input;
  std::vector<LayerSummary> layers;
  int64_t total_params = 0, non_trainable_params = 0;
  bool graph = false;  // not a chain: printed as Keras prints a functional model
};

// A concrete shape as Keras writes it, without the batch axis.
OpenShape open_shape(const Shape& s, DataFormat f);

// "(None, 58, 54, 5)".
std::string keras_shape_string(const OpenShape& shape_without_batch);
// A concrete shape as summary shows it, in the data format of the layer that makes it: the one
// shape text of the command line and the app.
std::string keras_shape_string(const Shape& s, DataFormat f);

// The canonical shape of `shape` (without batch) for the model's input, open axes set to
// `fill`; UserError when the rank does not fit the first layer or the channels are open.
Shape concrete_input(const Model& model, const OpenShape& shape, int64_t batch, int64_t fill);

// Open axes are found by inferring shapes at two different sizes for them: an output axis
// that changes with them is open too; one that does not (LearnableCrop's) is fixed.
ModelSummary summarize(const Model& model, const OpenShape& input);

// The table, in the manner of tf.keras 2's model.summary(): for a graph with the input's row
// and a "Connected to" column, a shared layer on one row.
std::string format_summary(const ModelSummary& summary);

}  // namespace convscope
