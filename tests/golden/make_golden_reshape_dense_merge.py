#!/usr/bin/python3
"""Golden values for the rank-free layers, computed with PyTorch: the reshaping layers
(Flatten, Reshape, Permute, RepeatVector) and the inference identities (Dropout,
SpatialDropout2D, GaussianNoise, GaussianDropout, AlphaDropout, ActivityRegularization),
Dense, and the merges (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate).

Nothing here reads convscope's code. Configs are read by the small parser below, written
from shared/MODELS.md ("Shapes and heads") and Keras' own source (keras/src/layers/reshaping/
flatten.py, reshape.py, permute.py, repeat_vector.py; core/dense.py; merging/base_merge.py,
concatenate.py and the elementwise merges; regularization/*). The values come from torch in
float64, saved as float32:

- Flatten: `x.reshape(batch, -1)` of the Keras-order tensor; with data_format channels_first
  the channels axis is moved last first (`x.permute(0, 2, ..., 1)`), as Keras' call() does.
- Reshape: `x.reshape(batch, *target_shape)`, torch resolving the -1.
- Permute: `x.permute(0, *dims)`. RepeatVector: `x.unsqueeze(1).expand(batch, n, features)`.
- The identities: the input itself (Keras runs them as x -> x at inference).
- Dense: `torch.tensordot(x, kernel, dims=([-1], [0])) + bias` on the last axis, then the
  activation in torch (softmax over the last axis, gelu in the exact erf form).
- Elementwise merges: Keras' rule from base_merge.py: batch sizes equal, an input of lower rank
  gets axes inserted at axis 1 (`expand_dims(x, 1)`) until the ranks agree, so the axes after
  the batch align from the right; then torch broadcasting, a 1 stretching to the other size.
  The script checks the output shape against Keras' _compute_elemwise_op_output_shape, written
  out here. Average is the sum over the count.
- Concatenate: `torch.cat(inputs, dim=axis)`.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tests/golden/make_golden_reshape_dense_merge.py
    /usr/bin/python3 tests/golden/make_golden_reshape_dense_merge.py --table   # the README tables
Each case becomes cases/<name>/{layer.json, input.npy or input_<i>.npy, weight_<i>.npy,
expected.npy}; merges have one input_<i>.npy per input, in call order. Only the folders of
these families (reshape_*, dense_*, merge_*) are replaced. Seeding, writing and the --table
printout are in golden_common.py, shared with the other generators.
"""

import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
from golden_common import (CF, CL, DTYPE_POLICY, as_float32, case_rng, generate, numbered,
                           signed_values, write_case_folder)

FAMILY_PREFIXES = ("reshape_", "dense_", "merge_")


# ---------------------------------------------------------------------------------------
# Configs as Keras writes them.

def keras3(class_name, name, dtype=DTYPE_POLICY, **args):
    """Keras 3 (>= 3.5): module and registered_name beside config, dtype a DTypePolicy."""
    return {"module": "keras.layers", "class_name": class_name,
            "config": {"name": name, "trainable": True, "dtype": dtype, **args},
            "registered_name": None}


def tfkeras2(class_name, name, **args):
    """tf.keras 2 (and Keras 3.0-3.4 without module): the dtype a string."""
    return {"class_name": class_name,
            "config": {"name": name, "trainable": True, "dtype": "float32", **args}}


def keras1(class_name, name, **args):
    """Keras 1.2: name, trainable and the layer's own (Keras 1) keys."""
    return {"class_name": class_name, "config": {"name": name, "trainable": True, **args}}


def init3(class_name, **config):
    return {"module": "keras.initializers", "class_name": class_name, "config": config,
            "registered_name": None}


def dense3(units, activation="linear", use_bias=True, dtype=DTYPE_POLICY, **extra):
    # Keras 3 Dense.get_config(): every initializer, regularizer and constraint key.
    return keras3("Dense", "dense", dtype, units=units, activation=activation,
                  use_bias=use_bias, kernel_initializer=init3("GlorotUniform", seed=None),
                  bias_initializer=init3("Zeros"), kernel_regularizer=None,
                  bias_regularizer=None, kernel_constraint=None, bias_constraint=None, **extra)


def dense_tfkeras(units, activation="linear", use_bias=True):
    return tfkeras2("Dense", "dense", units=units, activation=activation, use_bias=use_bias,
                    kernel_initializer={"class_name": "GlorotUniform", "config": {"seed": None}},
                    bias_initializer={"class_name": "Zeros", "config": {}},
                    kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                    kernel_constraint=None, bias_constraint=None)


def dense_keras1(output_dim, activation="linear", bias=True, input_dim=None):
    return keras1("Dense", "dense_1", output_dim=output_dim, init="glorot_uniform",
                  activation=activation, W_regularizer=None, b_regularizer=None,
                  activity_regularizer=None, W_constraint=None, b_constraint=None, bias=bias,
                  input_dim=input_dim)


# (name, what it covers, layer, input shapes in Keras order, batch first: one tuple, or a
# list of tuples for a merge)
RESHAPE_CASES = [
    ("reshape_flatten_2d_cl_batch2", "Flatten (batch, 3, 4, 5), channels_last: Keras order",
     keras3("Flatten", "flatten", data_format=CL), (2, 3, 4, 5)),
    ("reshape_flatten_2d_cf_batch2", "Flatten channels_first (batch, C, H, W): C moved last first",
     keras3("Flatten", "flatten", data_format=CF), (2, 3, 4, 5)),
    ("reshape_flatten_1d_cf", "Flatten channels_first on (batch, C, steps)",
     tfkeras2("Flatten", "flatten", data_format=CF), (2, 3, 5)),
    ("reshape_flatten_3d_cf", "Flatten channels_first on a rank-5 tensor",
     keras3("Flatten", "flatten_1", data_format=CF), (1, 2, 3, 2, 4)),
    ("reshape_flatten_vector_cf", "Flatten of (batch, features), channels_first: the input",
     keras3("Flatten", "flatten", data_format=CF), (3, 7)),
    ("reshape_flatten_keras1", "Keras 1 Flatten(): no data_format",
     keras1("Flatten", "flatten_1"), (1, 4, 3, 2)),
    ("reshape_reshape_to_vector", "Reshape((24,)) of (batch, 2, 3, 4)",
     keras3("Reshape", "reshape", target_shape=[24]), (2, 2, 3, 4)),
    ("reshape_reshape_minus1_first", "Reshape((-1, 3)) of (batch, 4, 5, 3)",
     keras3("Reshape", "reshape", target_shape=[-1, 3]), (2, 4, 5, 3)),
    ("reshape_reshape_minus1_middle", "Reshape((2, -1, 3)) of (batch, 6, 4): -1 is 4",
     tfkeras2("Reshape", "reshape", target_shape=[2, -1, 3]), (1, 6, 4)),
    ("reshape_reshape_vector_to_rank4", "Reshape((2, 3, 4)) of a vector (batch, 24)",
     keras3("Reshape", "reshape", target_shape=[2, 3, 4]), (2, 24)),
    ("reshape_reshape_rank3_to_rank5", "Reshape((2, 3, 2, 2)) of (batch, 4, 6)",
     keras3("Reshape", "reshape", target_shape=[2, 3, 2, 2]), (1, 4, 6)),
    ("reshape_reshape_keras1", "Keras 1 Reshape(target_shape=(5, -1)) of (batch, 2, 5)",
     keras1("Reshape", "reshape_1", target_shape=[5, -1]), (2, 2, 5)),
    ("reshape_permute_2_1", "Permute((2, 1)) of (batch, steps, channels)",
     keras3("Permute", "permute", dims=[2, 1]), (2, 5, 3)),
    ("reshape_permute_3_1_2", "Permute((3, 1, 2)): channels_last to channels_first",
     keras3("Permute", "permute", dims=[3, 1, 2]), (2, 3, 4, 5)),
    ("reshape_permute_2_3_1", "Permute((2, 3, 1)): channels_first to channels_last",
     tfkeras2("Permute", "permute", dims=[2, 3, 1]), (1, 3, 4, 5)),
    ("reshape_permute_rank5", "Permute((4, 2, 1, 3)) of a rank-5 tensor",
     keras3("Permute", "permute", dims=[4, 2, 1, 3]), (1, 2, 3, 4, 2)),
    ("reshape_repeatvector_n3_batch2", "RepeatVector(3) of (2, 5)",
     keras3("RepeatVector", "repeat_vector", n=3), (2, 5)),
    ("reshape_repeatvector_keras1_n1", "Keras 1 RepeatVector(1)",
     keras1("RepeatVector", "repeatvector_1", n=1), (3, 4)),
    ("reshape_dropout_keras3", "Dropout(0.5) Keras 3: identity",
     keras3("Dropout", "dropout", rate=0.5, seed=None, noise_shape=None), (2, 3, 4)),
    ("reshape_dropout_keras1_p", "Keras 1 Dropout(p=0.25): identity",
     keras1("Dropout", "dropout_1", p=0.25), (2, 6)),
    ("reshape_spatial_dropout2d_cf", "SpatialDropout2D(0.2) channels_first: identity",
     {"module": "keras.layers", "class_name": "SpatialDropout2D",
      "config": {"rate": 0.2, "seed": None, "name": "spatial_dropout2d", "dtype": DTYPE_POLICY,
                 "data_format": CF}, "registered_name": None}, (1, 3, 4, 5)),
    ("reshape_gaussian_noise", "GaussianNoise(0.1) tf.keras 2: identity",
     tfkeras2("GaussianNoise", "gaussian_noise", stddev=0.1, seed=None), (2, 4, 3)),
    ("reshape_gaussian_dropout_rank5", "GaussianDropout(0.3) Keras 3: identity, rank 5",
     keras3("GaussianDropout", "gaussian_dropout", rate=0.3, seed=None), (1, 2, 2, 3, 2)),
    ("reshape_alpha_dropout", "AlphaDropout(0.1, seed 7) Keras 3: identity",
     keras3("AlphaDropout", "alpha_dropout", rate=0.1, seed=7, noise_shape=None), (2, 5)),
    ("reshape_activity_regularization", "ActivityRegularization(l1=0.01, l2=0.0): identity",
     keras3("ActivityRegularization", "activity_regularization", l1=0.01, l2=0.0), (2, 3, 2, 2)),
]

# (..., layer, input shape, whether a bias is drawn)
DENSE_CASES = [
    ("dense_vector_relu_batch3", "Keras 3 (batch, 7) -> 5, relu; every key Dense writes",
     dense3(5, "relu"), (3, 7)),
    ("dense_vector_tfkeras_linear", "tf.keras 2 (batch, 6) -> 4, linear",
     dense_tfkeras(4), (2, 6)),
    ("dense_vector_nobias_tanh", "use_bias False, tanh: one weight, the kernel",
     dense3(3, "tanh", use_bias=False), (2, 5)),
    ("dense_vector_softmax", "softmax over the 5 units", dense3(5, "softmax"), (4, 6)),
    ("dense_vector_units1_sigmoid", "one unit, sigmoid", dense3(1, "sigmoid"), (3, 4)),
    ("dense_vector_wide_64", "64 features -> 33 units: long sums", dense3(33), (1, 64)),
    ("dense_rank3_sigmoid_batch2", "(batch, steps, 4) -> 3 on the last axis, sigmoid",
     dense3(3, "sigmoid"), (2, 5, 4)),
    ("dense_rank3_one_feature", "(batch, 3, 1): one feature -> 4 units, elu",
     dense_tfkeras(4, "elu"), (2, 3, 1)),
    ("dense_rank4_relu_batch2", "(batch, 3, 4, 5) -> 6, relu", dense3(6, "relu"), (2, 3, 4, 5)),
    ("dense_rank4_softmax", "(batch, 3, 4, 5) -> 4, softmax over the units (last axis)",
     dense3(4, "softmax", dtype="float32"), (1, 3, 4, 5)),
    ("dense_rank5_nobias_elu_batch2", "(batch, 2, 3, 2, 4) -> 3, no bias, elu",
     dense3(3, "elu", use_bias=False), (2, 2, 3, 2, 4)),
    ("dense_rank5_gelu", "(batch, 2, 2, 3, 5) -> 2, gelu (erf form)",
     dense3(2, "gelu"), (1, 2, 2, 3, 5)),
    ("dense_rank4_silu_lora_rank", "Keras 3 lora_rank 2 (merged into the saved kernel), silu",
     dense3(5, "silu", lora_rank=2), (1, 2, 3, 4)),
    ("dense_keras1_output_dim", "Keras 1 Dense(output_dim=4, input_dim=6), relu",
     dense_keras1(4, "relu", input_dim=6), (2, 6)),
    ("dense_keras1_nobias_rank3_tanh", "Keras 1 Dense(output_dim=3, bias=False) on (batch, 4, 5)",
     dense_keras1(3, "tanh", bias=False), (2, 4, 5)),
]

MERGE_CASES = [
    ("merge_add_two_rank4_batch2", "Add of two (2, 3, 4, 5)",
     keras3("Add", "add"), [(2, 3, 4, 5), (2, 3, 4, 5)]),
    ("merge_add_three_vector_tfkeras", "tf.keras 2 Add of three (3, 6)",
     tfkeras2("Add", "add"), [(3, 6), (3, 6), (3, 6)]),
    ("merge_add_vector_to_rank4", "Add (2, 5) to (2, 3, 4, 5): the vector aligns with the last axis",
     keras3("Add", "add"), [(2, 5), (2, 3, 4, 5)]),
    ("merge_add_rank3_to_rank4_first", "Add (2, 4, 5) + (2, 3, 4, 5), the lower rank first",
     keras3("Add", "add_1"), [(2, 4, 5), (2, 3, 4, 5)]),
    ("merge_add_ones_both_ways", "Add (2, 1, 4, 3) + (2, 5, 1, 3): each input stretches",
     keras3("Add", "add"), [(2, 1, 4, 3), (2, 5, 1, 3)]),
    ("merge_add_lower_rank_stretches_higher", "Add (2, 5, 3) + (2, 4, 1, 1): the lower rank sets two sizes",
     keras3("Add", "add"), [(2, 5, 3), (2, 4, 1, 1)]),
    ("merge_subtract_rank3", "Subtract of two (2, 5, 3)",
     keras3("Subtract", "subtract"), [(2, 5, 3), (2, 5, 3)]),
    ("merge_subtract_broadcast_second", "Subtract (2, 4, 3) - (2, 1, 3)",
     tfkeras2("Subtract", "subtract"), [(2, 4, 3), (2, 1, 3)]),
    ("merge_subtract_broadcast_first", "Subtract (1, 3) - (1, 4, 3): the first input stretches",
     keras3("Subtract", "subtract"), [(1, 3), (1, 4, 3)]),
    ("merge_multiply_rank5", "Multiply of two rank-5 (1, 2, 3, 2, 2)",
     keras3("Multiply", "multiply"), [(1, 2, 3, 2, 2), (1, 2, 3, 2, 2)]),
    ("merge_multiply_three_broadcast", "Multiply (1, 4, 5, 3), (1, 1, 5, 1), (1, 3)",
     keras3("Multiply", "multiply"), [(1, 4, 5, 3), (1, 1, 5, 1), (1, 3)]),
    ("merge_average_two_rank3", "Average of two (2, 4, 3)",
     keras3("Average", "average"), [(2, 4, 3), (2, 4, 3)]),
    ("merge_average_four_broadcast", "Average of four, (2, 3, 1, 2) broadcast among (2, 3, 4, 2)",
     tfkeras2("Average", "average"), [(2, 3, 4, 2), (2, 3, 1, 2), (2, 3, 4, 2), (2, 2)]),
    ("merge_maximum_rank4", "Maximum of two (1, 3, 4, 5)",
     keras3("Maximum", "maximum"), [(1, 3, 4, 5), (1, 3, 4, 5)]),
    ("merge_maximum_three_broadcast", "Maximum of three rank 3, (2, 1, 4) among (2, 3, 4)",
     keras3("Maximum", "maximum"), [(2, 3, 4), (2, 1, 4), (2, 3, 4)]),
    ("merge_minimum_vector_tfkeras", "tf.keras 2 Minimum of two (3, 5)",
     tfkeras2("Minimum", "minimum"), [(3, 5), (3, 5)]),
    ("merge_minimum_broadcast_rank5", "Minimum (1, 2, 3, 4, 2) and (1, 3, 1, 2)",
     keras3("Minimum", "minimum"), [(1, 2, 3, 4, 2), (1, 3, 1, 2)]),
    ("merge_concat_last_axis_rank4", "Concatenate(axis=-1) of (2, 3, 4, 2) and (2, 3, 4, 5)",
     keras3("Concatenate", "concatenate", axis=-1), [(2, 3, 4, 2), (2, 3, 4, 5)]),
    ("merge_concat_axis1_rank4", "Concatenate(axis=1) of (2, 3, 4, 5) and (2, 2, 4, 5)",
     keras3("Concatenate", "concatenate", axis=1), [(2, 3, 4, 5), (2, 2, 4, 5)]),
    ("merge_concat_middle_axis2_three", "Concatenate(axis=2) of three rank 4, 2 + 5 + 1 rows",
     tfkeras2("Concatenate", "concatenate", axis=2), [(1, 3, 2, 4), (1, 3, 5, 4), (1, 3, 1, 4)]),
    ("merge_concat_vector", "Concatenate() of (2, 3) and (2, 4): the default axis -1",
     keras3("Concatenate", "concatenate", axis=-1), [(2, 3), (2, 4)]),
    ("merge_concat_rank3_axis1", "Concatenate(axis=1) of (2, 3, 4) and (2, 5, 4): the steps",
     keras3("Concatenate", "concatenate", axis=1), [(2, 3, 4), (2, 5, 4)]),
    ("merge_concat_rank5_axis_minus2", "Concatenate(axis=-2) of rank 5, (1, 2, 2, 3, 2) and (1, 2, 2, 1, 2)",
     keras3("Concatenate", "concatenate", axis=-2), [(1, 2, 2, 3, 2), (1, 2, 2, 1, 2)]),
    ("merge_concat_keras1_concat_axis", "Keras 1 name concat_axis=1 on rank 3",
     keras1("Concatenate", "merge_1", concat_axis=1), [(1, 2, 3), (1, 4, 3)]),
]


# ---------------------------------------------------------------------------------------
# The parser: every config form -> what the layer computes.

IDENTITIES = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
              "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization")
ELEMENTWISE = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")


def activation(name, y):
    if name in (None, "linear"):
        return y
    fns = {"relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "elu": F.elu,
           "silu": F.silu, "swish": F.silu, "gelu": lambda t: F.gelu(t, approximate="none"),
           "softmax": lambda t: F.softmax(t, dim=-1)}
    return fns[name](y)


def reshape_layer(layer, x):
    name, c = layer["class_name"], layer["config"]
    n = x.shape[0]
    if name == "Flatten":
        if c.get("data_format") == CF and x.dim() > 2:
            x = x.permute(0, *range(2, x.dim()), 1)
        return x.reshape(n, -1)
    if name == "Reshape":
        return x.reshape(n, *c["target_shape"])
    if name == "Permute":
        dims = c["dims"]
        assert sorted(dims) == list(range(1, x.dim())), dims
        return x.permute(0, *dims)
    if name == "RepeatVector":
        assert x.dim() == 2
        return x.unsqueeze(1).expand(n, c["n"], x.shape[1])
    assert name in IDENTITIES, name
    return x


def dense_layer(layer, x, weights):
    c = layer["config"]
    units = c.get("units", c.get("output_dim"))
    use_bias = c.get("use_bias", c.get("bias", True))
    kernel = torch.from_numpy(weights[0]).to(torch.float64)
    assert kernel.shape == (x.shape[-1], units)
    y = torch.tensordot(x, kernel, dims=([-1], [0]))
    if use_bias:
        y = y + torch.from_numpy(weights[1]).to(torch.float64)
    return activation(c.get("activation"), y)


def keras_elemwise_shape(shapes):
    """Keras' _compute_elemwise_op_output_shape over the shapes without the batch."""
    def pair(s1, s2):
        if len(s1) < len(s2):
            s1, s2 = s2, s1
        if not s2:
            return s1
        out = list(s1[:len(s1) - len(s2)])
        for i, j in zip(s1[len(s1) - len(s2):], s2):
            assert i == 1 or j == 1 or i == j, (s1, s2)
            out.append(j if i == 1 else i)
        return tuple(out)
    out = shapes[0][1:]
    for s in shapes[1:]:
        out = pair(out, s[1:])
    return out


def merge_layer(layer, xs):
    name, c = layer["class_name"], layer["config"]
    assert len({x.shape[0] for x in xs}) == 1, "Keras refuses different batch sizes"
    if name == "Concatenate":
        return torch.cat(xs, dim=c.get("axis", c.get("concat_axis", -1)))
    assert name in ELEMENTWISE, name
    if name == "Subtract":
        assert len(xs) == 2
    rank = max(x.dim() for x in xs)
    expanded = []
    for x in xs:
        while x.dim() < rank:
            x = x.unsqueeze(1)  # Keras' ops.expand_dims(x, axis=1)
        expanded.append(x)
    b = torch.broadcast_tensors(*expanded)
    if name == "Add":
        y = sum(b[1:], b[0])
    elif name == "Subtract":
        y = b[0] - b[1]
    elif name == "Multiply":
        y = b[0]
        for t in b[1:]:
            y = y * t
    elif name == "Average":
        y = sum(b[1:], b[0]) / len(b)
    elif name == "Maximum":
        y = torch.stack(b).amax(dim=0)
    else:
        y = torch.stack(b).amin(dim=0)
    assert tuple(y.shape[1:]) == keras_elemwise_shape([tuple(x.shape) for x in xs])
    return y


def f64(a):
    return torch.from_numpy(a).to(torch.float64)


# ---------------------------------------------------------------------------------------

def draw_input(rng, shape):
    return signed_values(rng, shape, 0.25, 2.0)


def write_reshape_case(name, layer, shape):
    x = draw_input(case_rng(name), shape)
    y = reshape_layer(layer, f64(x))
    write_case_folder(name, layer, {"input": x, "expected": as_float32(y)})


def write_dense_case(name, layer, shape):
    rng = case_rng(name)
    x = draw_input(rng, shape)
    c = layer["config"]
    units = c.get("units", c.get("output_dim"))
    features = shape[-1]
    # Kernel ~ 1/sqrt(fan_in), so the activations see values around 1; bias ±0.5.
    weights = [(rng.uniform(-1.0, 1.0, size=(features, units)) * 1.5 / math.sqrt(features)).astype(np.float32)]
    if c.get("use_bias", c.get("bias", True)):
        weights.append(rng.uniform(-0.5, 0.5, size=(units,)).astype(np.float32))
    y = dense_layer(layer, f64(x), weights)
    write_case_folder(name, layer, {"input": x, **numbered("weight", weights),
                                    "expected": as_float32(y)})


def write_merge_case(name, layer, shapes):
    rng = case_rng(name)
    xs = [draw_input(rng, s) for s in shapes]
    y = merge_layer(layer, [f64(x) for x in xs])
    write_case_folder(name, layer, {**numbered("input", xs), "expected": as_float32(y)})


def main():
    cases = ([(n, cov, write_reshape_case, layer, shape) for n, cov, layer, shape in RESHAPE_CASES]
             + [(n, cov, write_dense_case, layer, shape) for n, cov, layer, shape in DENSE_CASES]
             + [(n, cov, write_merge_case, layer, shapes) for n, cov, layer, shapes in MERGE_CASES])
    generate(cases, lambda name, write, *args: write(name, *args), FAMILY_PREFIXES)


if __name__ == "__main__":
    main()
