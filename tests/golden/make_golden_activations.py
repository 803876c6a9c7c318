#!/usr/bin/python3
"""Golden values for the activations, computed with PyTorch.

Covers the Activation layer with every activation name, ReLU, LeakyReLU, ELU,
ThresholdedReLU, Softmax, PReLU, and the `activation` of Conv1D/2D/3D (softmax over the
output's last axis). Nothing here reads convscope's code: configs are read by the small
parser below, written from shared/MODELS.md ("Activations") and Keras' source, and the
values come from torch.nn.functional in float64, saved as float32:

- every function by its torch.nn.functional (or torch) counterpart: F.relu, F.relu6,
  F.leaky_relu, F.elu, F.selu, F.gelu (approximate 'none', and 'tanh' for TensorFlow.js'
  gelu_new), torch.sigmoid, F.hardswish, torch.tanh, F.softplus, F.softsign, F.silu, F.mish,
  torch.exp, F.softmax, F.log_softmax; hard_sigmoid by formula in torch ops, Keras 3's
  relu6(x + 3) / 6 and Keras 2's clip(0.2 x + 0.5, 0, 1);
- ReLU(max_value, negative_slope, threshold) by Keras' formula in torch ops, checked against
  F.relu6, F.leaky_relu and F.threshold where those apply; ThresholdedReLU by F.threshold;
- Softmax over several axes as exp(x - logsumexp(x, axes)), and over one by F.softmax;
- PReLU as torch.where(x > 0, x, alpha * x), alpha broadcast in the Keras layout;
- convolutions by F.conv1d/2d/3d ('valid', stride 1), the kernel permuted from Keras'.

Activations act on the Keras-layout tensor, so a softmax over axis -1 of a channels_first
tensor is over its last spatial axis, as Keras computes it.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tests/golden/make_golden_activations.py
    /usr/bin/python3 tests/golden/make_golden_activations.py --table   # also prints the README table
Each case becomes cases/<name>/{layer.json, input.npy, [weight_<i>.npy,] expected.npy}.
The cases whose values depend on the Keras generation a file's keras_version names go to
generations/<name>/ instead (see the README). Only this script's folders are replaced.
"""

import math
import shutil
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
from golden_common import (CASES_DIR, CF, CL, DTYPE_POLICY, as_float32, case_rng, generate,
                           numbered, signed_values, to_json)

FAMILY_PREFIXES = ("act_",)
GENERATIONS_DIR = CASES_DIR.parent / "generations"

# ---------------------------------------------------------------------------------------
# Configs, as Keras 3 get_config() writes them (tf.keras 2, Keras 1 and TensorFlow.js forms
# where a case says so).


def keras3(class_name, name, **args):
    return {"module": "keras.layers", "class_name": class_name,
            "config": {"name": name, "trainable": True, "dtype": DTYPE_POLICY, **args},
            "registered_name": None}


def plain(class_name, name, **args):
    """tf.keras 2 / Keras 3.0-3.4: a dtype string, no module."""
    return {"class_name": class_name,
            "config": {"name": name, "trainable": True, "dtype": "float32", **args}}


def keras1(class_name, name, **args):
    return {"class_name": class_name, "config": {"name": name, "trainable": True, **args}}


def tfjs(class_name, name, **args):
    # tfjs' toJSON: the class's own keys first, name and trainable last.
    return {"class_name": class_name, "config": {**args, "name": name, "trainable": True}}


def activation(name, act):
    return keras3("Activation", name, activation=act)


def registered(fn):
    """Keras 3's form for a function registered under a package."""
    return {"module": "convscope", "class_name": "function", "config": fn, "registered_name": fn}


def identity_crop(rank, fmt, name):
    return keras3(f"Cropping{rank}D", name, cropping=[[0, 0]] * rank, data_format=fmt)


def sequential(layers, input_shape, keras_version=None):
    """A Keras 3 Sequential with an InputLayer (or a tf.keras 2 one with keras_version)."""
    if keras_version is None:
        first = {"module": "keras.layers", "class_name": "InputLayer",
                 "config": {"batch_shape": [None, *input_shape[1:]], "dtype": "float32",
                            "sparse": False, "name": "input_layer"},
                 "registered_name": None}
        return {"module": "keras", "class_name": "Sequential",
                "config": {"name": "sequential", "trainable": True, "dtype": DTYPE_POLICY,
                           "layers": [first, *layers]},
                "registered_name": None}
    first = {"class_name": "InputLayer",
             "config": {"batch_input_shape": [None, *input_shape[1:]], "dtype": "float32",
                        "sparse": False, "ragged": False, "name": "input_1"}}
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [first, *layers]},
            "keras_version": keras_version, "backend": "tensorflow"}


def sandwich(layer, rank, input_shape):
    """`layer` between two zero crops in channels_first: the model's tensors are then
    channels_first (a lone rank-free layer reads its .npy as channels_last)."""
    first, second = f"cropping{rank}d", f"cropping{rank}d_1"  # Keras' names for the two
    return sequential([identity_crop(rank, CF, first), layer, identity_crop(rank, CF, second)], input_shape)


def conv(rank, name, filters, kernel, act, fmt):
    return keras3(f"Conv{rank}D", name, filters=filters, kernel_size=[kernel] * rank,
                  strides=[1] * rank, padding="valid", data_format=fmt,
                  dilation_rate=[1] * rank, groups=1, activation=act, use_bias=True)


# ---------------------------------------------------------------------------------------
# The functions.

def hard_sigmoid_keras3(x):
    return F.relu6(x + 3.0) / 6.0


def hard_sigmoid_keras2(x):
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


FUNCTIONS = {
    "linear": lambda x: x,
    "relu": F.relu,
    "relu6": F.relu6,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),  # keras.activations.leaky_relu's default
    "elu": F.elu,
    "selu": F.selu,
    "gelu": F.gelu,
    "gelu_new": lambda x: F.gelu(x, approximate="tanh"),  # TensorFlow.js' name
    "sigmoid": torch.sigmoid,
    "hard_silu": F.hardswish,
    "hard_swish": F.hardswish,
    "tanh": torch.tanh,
    "softplus": F.softplus,
    "softsign": F.softsign,
    "silu": F.silu,
    "swish": F.silu,
    "mish": F.mish,
    "exponential": torch.exp,
    "softmax": lambda x: F.softmax(x, dim=-1),
    "log_softmax": lambda x: F.log_softmax(x, dim=-1),
    "hard_sigmoid_keras2": hard_sigmoid_keras2,
}


def function_of(act, generation):
    """An `activation` value -> its torch function."""
    if act is None:
        return FUNCTIONS["linear"]
    if isinstance(act, dict):
        assert act["class_name"] == "function"
        act = act["config"]
    act = act.removeprefix("convscope>").replace("gelu_approximate", "gelu_new")
    if act == "hard_sigmoid":
        return hard_sigmoid_keras3 if generation >= 3 else hard_sigmoid_keras2
    return FUNCTIONS[act]


def keras_relu(x, max_value=None, negative_slope=0.0, threshold=0.0):
    """Keras' relu(x, negative_slope, max_value, threshold): x * (x > threshold), clipped to
    [0, max_value], minus negative_slope * relu(threshold - x)."""
    negative = F.relu(threshold - x) if negative_slope != 0 else torch.zeros_like(x)
    y = x * (x > threshold).to(x.dtype) if threshold != 0 else F.relu(x)
    if max_value is not None:
        y = torch.clamp(y, 0.0, max_value)
    y = y - negative_slope * negative
    # Where torch has the function itself, it agrees.
    if max_value is None and threshold == 0:
        assert torch.equal(y, F.leaky_relu(x, negative_slope))
    if max_value == 6 and threshold == 0 and negative_slope == 0:
        assert torch.equal(y, F.relu6(x))
    if max_value is None and negative_slope == 0:
        assert torch.equal(y, F.threshold(x, threshold, 0.0))
    return y


def softmax_over(x, axes, log=False):
    rank = x.dim()
    dims = list(range(rank)) if axes is None else sorted({a % rank for a in axes})
    if len(dims) == 1:
        return (F.log_softmax if log else F.softmax)(x, dim=dims[0])
    shifted = x - torch.logsumexp(x, dim=dims, keepdim=True)
    return shifted if log else torch.exp(shifted)


def prelu(x, alpha, shared_axes):
    a = torch.from_numpy(alpha).to(torch.float64)
    expected_shape = list(x.shape[1:])
    for i in shared_axes or []:
        expected_shape[i - 1] = 1
    assert list(a.shape) == expected_shape
    return torch.where(x > 0, x, a * x)  # broadcast over the batch and the shared axes


# ---------------------------------------------------------------------------------------
# The parser: one layer config -> a function of (Keras-layout tensor, the weights it takes).

def layer_function(layer, generation):
    cls, c = layer["class_name"], layer["config"]
    if cls == "Activation":
        f = function_of(c["activation"], generation)
        return (lambda x, w: f(x)), 0
    if cls == "ReLU":
        return (lambda x, w: keras_relu(x, c.get("max_value"), c.get("negative_slope", 0.0),
                                        c.get("threshold", 0.0))), 0
    if cls == "LeakyReLU":
        slope = c.get("alpha", c.get("negative_slope", 0.3))
        return (lambda x, w: F.leaky_relu(x, slope)), 0
    if cls == "ELU":
        return (lambda x, w: F.elu(x, c.get("alpha", 1.0))), 0
    if cls == "ThresholdedReLU":
        return (lambda x, w: F.threshold(x, c.get("theta", 1.0), 0.0)), 0
    if cls == "Softmax":
        axis = c.get("axis", -1)
        if axis is None and generation < 3:
            axis = -1  # tf.nn.softmax reads None as the last axis
        axes = None if axis is None else (axis if isinstance(axis, list) else [axis])
        return (lambda x, w: softmax_over(x, axes)), 0
    if cls == "PReLU":
        shared = c.get("shared_axes")
        shared = [shared] if isinstance(shared, int) else shared
        return (lambda x, w: prelu(x, w[0], shared)), 1
    if cls.startswith("Cropping"):
        assert all(v == 0 for pair in c["cropping"] for v in pair), "only identity crops here"
        return (lambda x, w: x), 0
    if cls.startswith("Conv"):
        rank = int(cls[4])
        act = function_of(c.get("activation"), generation)
        fmt = c.get("data_format", CL)

        def run(x, w):
            kernel = torch.from_numpy(w[0]).to(torch.float64)
            kernel = kernel.permute(rank + 1, rank, *range(rank))  # (k..., in, out) -> (out, in, k...)
            bias = torch.from_numpy(w[1]).to(torch.float64)
            xc = x.movedim(-1, 1) if fmt == CL else x
            y = [F.conv1d, F.conv2d, F.conv3d][rank - 1](xc, kernel, bias)
            y = y.movedim(1, -1) if fmt == CL else y
            return act(y)  # on the Keras layout: softmax over its last axis
        return run, 2
    raise ValueError(cls)


def generation_of(doc):
    version = doc.get("keras_version", "")
    return int(version[0]) if version[:1].isdigit() else 3


def layers_of(doc):
    if doc["class_name"] != "Sequential":
        return [doc]
    layers = doc["config"] if isinstance(doc["config"], list) else doc["config"]["layers"]  # Keras 1: a list
    return [l for l in layers if l["class_name"] != "InputLayer"]


def weight_shapes(layer, x_shape):
    """(shape, largest magnitude) of each weight array, in get_weights() order. Kernels are
    scaled by 3 / sqrt(fan_in), so that convolution outputs reach the curved parts."""
    cls, c = layer["class_name"], layer["config"]
    if cls == "PReLU":
        shape = list(x_shape[1:])
        shared = c.get("shared_axes")
        for i in ([shared] if isinstance(shared, int) else shared or []):
            shape[i - 1] = 1
        return [(shape, 1.5)]
    if cls.startswith("Conv"):
        fmt = c.get("data_format", CL)
        channels = x_shape[-1] if fmt == CL else x_shape[1]
        kernel = [*c["kernel_size"], channels, c["filters"]]
        return [(kernel, 3.0 / math.sqrt(math.prod(kernel[:-1]))), ([c["filters"]], 1.0)]
    return []


def output_shape(layer, x_shape):
    if not layer["class_name"].startswith("Conv"):
        return list(x_shape)
    c = layer["config"]
    rank, fmt = int(layer["class_name"][4]), c.get("data_format", CL)
    spatial = x_shape[1:1 + rank] if fmt == CL else x_shape[2:]
    spatial = [n - k + 1 for n, k in zip(spatial, c["kernel_size"])]
    return [x_shape[0], *spatial, c["filters"]] if fmt == CL else [x_shape[0], c["filters"], *spatial]


# ---------------------------------------------------------------------------------------
# Inputs: ±(0.05 ... 4), the first values of the flattened array replaced by extremes where a
# case asks: where float32 formulas overflow, cancel or sit on a corner.

EXTREMES = [-80.0, 80.0, -20.0, 20.0, -1e-3, 1e-3, 0.0, -3.0, 3.0, 6.0, -2.5, 2.5, 0.5]


def make_input(rng, shape, extremes):
    x = signed_values(rng, shape, 0.05, 4.0)
    flat = x.reshape(-1)
    for i, v in enumerate(extremes[:flat.size]):
        flat[i] = v
    return x


def write_case(name, doc, shape, extremes=(), folder=CASES_DIR):
    rng = case_rng(name)
    x_np = make_input(rng, shape, list(extremes))
    generation = generation_of(doc)
    weights, y = [], torch.from_numpy(x_np).to(torch.float64)
    for layer in layers_of(doc):
        f, count = layer_function(layer, generation)
        mine = [signed_values(rng, s, 0.05, scale) for s, scale in weight_shapes(layer, list(y.shape))]
        assert len(mine) == count
        before = list(y.shape)
        y = f(y, mine)
        assert list(y.shape) == output_shape(layer, before)
        weights += mine
    out = folder / name
    out.mkdir(parents=True)
    (out / "layer.json").write_text(to_json(doc) + "\n")
    np.save(out / "input.npy", x_np)
    for key, a in numbered("weight", weights).items():
        np.save(out / f"{key}.npy", a)
    with np.errstate(over="ignore"):  # exponential's inf past 88.72 is the expected value
        np.save(out / "expected.npy", as_float32(y))


SHAPES = [(3, 7), (2, 5, 3), (2, 3, 4, 5), (1, 2, 3, 4, 2)]  # vector, 1D, 2D, 3D


def activation_cases():
    names = ["linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid",
             "hard_sigmoid", "hard_silu", "hard_swish", "tanh", "softplus", "softsign", "silu",
             "swish", "mish", "exponential", "softmax", "log_softmax", "gelu_new"]
    cases = []
    for i, n in enumerate(names):
        shape = SHAPES[i % len(SHAPES)]
        rank = len(shape) - 2
        covers = f"Activation('{n}') on {'a vector' if rank == 0 else f'{rank}D'} {shape}, extremes ±80 ±20"
        cases.append((f"act_{n}_{'vector' if rank == 0 else f'{rank}d'}", covers, activation("activation", n),
                      shape, EXTREMES))
    return cases


CASES = [
    *activation_cases(),
    ("act_exponential_overflow", "exponential at 88, 89, 100 (inf past 88.72, as float32 Keras), -104 (0)",
     activation("activation", "exponential"), (1, 6), [88.0, 89.0, 100.0, -104.0, -88.0, 50.0]),
    ("act_softplus_large", "softplus at ±100 and ±1e30: x and 0, no overflow",
     activation("activation", "softplus"), (1, 6), [100.0, -100.0, 1e30, -1e30, 30.0, -30.0]),
    ("act_hard_sigmoid_keras2_registered", "Keras 2's hard_sigmoid in Keras 3 JSON: convscope's registered function",
     activation("activation", registered("convscope>hard_sigmoid_keras2")), (2, 3, 4, 5), EXTREMES),
    ("act_activation_serialized_function", "Keras 3's serialized function form {'class_name': 'function', 'config': 'mish'}",
     activation("activation", {"module": "keras.activations", "class_name": "function", "config": "mish",
                               "registered_name": "mish"}), (2, 5, 3), EXTREMES),
    ("act_activation_none", "Activation(None): linear",
     plain("Activation", "activation", activation=None), (2, 5)),
    ("act_activation_keras1_softmax", "Keras 1 Activation('softmax')",
     keras1("Activation", "activation_1", activation="softmax"), (2, 6)),
    ("act_tfjs_gelu_new", "TensorFlow.js Activation('gelu_new'): gelu's tanh form",
     tfjs("Activation", "activation_Activation1", activation="gelu_new"), (2, 4, 3), EXTREMES),

    # --- ReLU -----------------------------------------------------------------------------
    ("act_relu_layer_default_vector", "ReLU() on a vector",
     keras3("ReLU", "re_lu", max_value=None, negative_slope=0.0, threshold=0.0), (3, 7), EXTREMES),
    ("act_relu_layer_max6_2d", "ReLU(max_value=6): relu6",
     keras3("ReLU", "re_lu", max_value=6.0, negative_slope=0.0, threshold=0.0), (2, 3, 4, 5), EXTREMES),
    ("act_relu_layer_slope_threshold_max_1d", "ReLU(2.5, 0.1, 0.5): x == 0.5 and 2.5 hit exactly",
     keras3("ReLU", "re_lu", max_value=2.5, negative_slope=0.1, threshold=0.5), (2, 5, 3),
     [0.5, 2.5, 0.0, -0.5, 1.0, 3.0, 0.25]),
    ("act_relu_layer_threshold_3d", "ReLU(threshold=1.0): F.threshold; x == 1 gives 0",
     keras3("ReLU", "re_lu", max_value=None, negative_slope=0.0, threshold=1.0), (1, 2, 3, 4, 2),
     [1.0, 0.5, 1.5, -1.0]),
    ("act_relu_layer_negative_slope", "ReLU(negative_slope=0.2): leaky",
     keras3("ReLU", "re_lu", max_value=None, negative_slope=0.2, threshold=0.0), (2, 3, 4, 5), EXTREMES),
    ("act_relu_layer_tfjs_max_value", "TensorFlow.js ReLU({maxValue: 1.5})",
     tfjs("ReLU", "re_lu_ReLU1", max_value=1.5), (2, 5, 3)),

    # --- LeakyReLU, ELU, ThresholdedReLU ---------------------------------------------------
    ("act_leaky_relu_keras3_default", "LeakyReLU(): negative_slope 0.3",
     keras3("LeakyReLU", "leaky_re_lu"), (2, 3, 4, 5), EXTREMES),
    ("act_leaky_relu_keras3_slope", "LeakyReLU(negative_slope=0.05)",
     keras3("LeakyReLU", "leaky_re_lu", negative_slope=0.05), (2, 5, 3)),
    ("act_leaky_relu_tf_keras2_alpha", "tf.keras 2 LeakyReLU(alpha=0.1)",
     plain("LeakyReLU", "leaky_re_lu", alpha=0.1), (3, 7)),
    ("act_elu_alpha_half", "ELU(alpha=0.5)",
     keras3("ELU", "elu", alpha=0.5), (2, 3, 4, 5), EXTREMES),
    ("act_elu_keras1_default", "Keras 1 ELU(alpha=1.0)",
     keras1("ELU", "elu_1", alpha=1.0), (2, 5, 3)),
    ("act_thresholded_relu_keras2", "tf.keras 2 ThresholdedReLU(theta=0.7); x == 0.7 gives 0",
     plain("ThresholdedReLU", "thresholded_re_lu", theta=0.7), (2, 5, 3), [0.7, 0.69, 0.71, -0.7]),

    # --- Softmax ---------------------------------------------------------------------------
    ("act_softmax_layer_vector", "Softmax() on a vector",
     keras3("Softmax", "softmax", axis=-1), (3, 7), EXTREMES),
    ("act_softmax_layer_axis1_2d", "Softmax(axis=1): over rows of a channels_last image",
     keras3("Softmax", "softmax", axis=1), (2, 4, 3, 5)),
    ("act_softmax_layer_axes_1_2_2d", "Softmax(axis=[1, 2]): over rows and columns",
     keras3("Softmax", "softmax", axis=[1, 2]), (2, 4, 3, 5)),
    ("act_softmax_layer_axes_1_3_3d", "Softmax(axis=[1, 3]): two axes apart",
     keras3("Softmax", "softmax", axis=[1, 3]), (2, 3, 2, 4, 3)),
    ("act_softmax_layer_axis0_batch", "Softmax(axis=0): over the batch",
     keras3("Softmax", "softmax", axis=0), (3, 5, 2)),
    ("act_softmax_layer_axis_none_keras3", "Softmax(axis=None) in Keras 3: every axis, the batch included",
     keras3("Softmax", "softmax", axis=None), (2, 3, 4)),
    ("act_softmax_layer_cf_last_axis", "Softmax(axis=-1) on channels_first (N, C, H, W): over W",
     sandwich(keras3("Softmax", "softmax", axis=-1), 2, (2, 3, 4, 5)), (2, 3, 4, 5)),
    ("act_softmax_layer_cf_channels", "Softmax(axis=1) on channels_first: over the channels",
     sandwich(keras3("Softmax", "softmax", axis=1), 3, (1, 4, 2, 3, 2)), (1, 4, 2, 3, 2)),
    ("act_log_softmax_cf_last_axis", "Activation('log_softmax') on channels_first: over W",
     sandwich(activation("activation", "log_softmax"), 2, (1, 3, 2, 6)), (1, 3, 2, 6)),

    # --- PReLU -----------------------------------------------------------------------------
    ("act_prelu_shared_1_2_2d", "PReLU(shared_axes=[1, 2]): one alpha per channel",
     keras3("PReLU", "p_re_lu", alpha_initializer={"module": "keras.initializers", "class_name": "Zeros",
                                                   "config": {}, "registered_name": None},
            alpha_regularizer=None, alpha_constraint=None, shared_axes=[1, 2]), (2, 4, 3, 5)),
    ("act_prelu_none_vector", "PReLU() on a vector: one alpha per feature",
     keras3("PReLU", "p_re_lu", shared_axes=None), (3, 7)),
    ("act_prelu_full_1d", "PReLU() on 1D: alpha of shape (steps, channels)",
     keras3("PReLU", "p_re_lu"), (2, 5, 3)),
    ("act_prelu_shared_1_3_3d", "PReLU(shared_axes=[1, 3]) on 3D",
     keras3("PReLU", "p_re_lu", shared_axes=[1, 3]), (1, 2, 3, 4, 2)),
    ("act_prelu_cf_shared_2_3", "PReLU(shared_axes=[2, 3]) on channels_first: alpha (C, 1, 1)",
     sandwich(keras3("PReLU", "p_re_lu", shared_axes=[2, 3]), 2, (2, 3, 4, 5)), (2, 3, 4, 5)),
    ("act_prelu_keras1_init", "Keras 1 PReLU(init='zero', shared_axes=[1])",
     keras1("PReLU", "prelu_1", init="zero", shared_axes=[1]), (2, 5, 3)),

    # --- A convolution's activation --------------------------------------------------------
    ("act_conv2d_softmax_cl", "Conv2D softmax, channels_last: over the filters",
     conv(2, "conv2d", 4, 2, "softmax", CL), (2, 5, 4, 3)),
    ("act_conv2d_softmax_cf", "Conv2D softmax, channels_first: over W, as Keras does",
     conv(2, "conv2d", 4, 2, "softmax", CF), (2, 3, 5, 4)),
    ("act_conv1d_log_softmax_cf", "Conv1D log_softmax, channels_first: over the steps",
     conv(1, "conv1d", 3, 3, "log_softmax", CF), (1, 2, 9)),
    ("act_conv2d_mish_cf", "Conv2D mish, channels_first",
     conv(2, "conv2d", 3, 3, "mish", CF), (1, 2, 5, 6)),
    ("act_conv3d_hard_silu_cl", "Conv3D hard_silu, channels_last",
     conv(3, "conv3d", 2, 2, "hard_silu", CL), (1, 3, 4, 3, 2)),
]

# Values that depend on the Keras generation of the file: written to generations/, which the
# activation test reads with the generation keras_version names, as the model parser will.
GENERATION_CASES = [
    ("act_gen2_hard_sigmoid", "tf.keras 2 file: Activation('hard_sigmoid') is clip(0.2x + 0.5, 0, 1)",
     sequential([plain("Activation", "activation", activation="hard_sigmoid")], (2, 3, 4, 5), "2.12.0"),
     (2, 3, 4, 5), EXTREMES),
    ("act_gen2_conv_hard_sigmoid", "tf.keras 2 file: Conv2D(activation='hard_sigmoid')",
     sequential([plain("Conv2D", "conv2d", filters=3, kernel_size=[2, 2], strides=[1, 1], padding="valid",
                       data_format=CL, dilation_rate=[1, 1], groups=1, activation="hard_sigmoid",
                       use_bias=True)], (1, 4, 5, 2), "2.12.0"),
     (1, 4, 5, 2)),
    ("act_gen2_softmax_axis_none", "tf.keras 2 file: Softmax(axis=None) is over the last axis",
     sequential([plain("Softmax", "softmax", axis=None)], (2, 3, 4), "2.12.0"), (2, 3, 4)),
    ("act_gen2_leaky_relu_negative_alpha", "tf.keras 2 file: LeakyReLU(alpha=-0.5), which Keras 2 computes",
     sequential([plain("LeakyReLU", "leaky_re_lu", alpha=-0.5)], (3, 7), "2.12.0"), (3, 7)),
    ("act_gen1_hard_sigmoid", "Keras 1 file: Activation('hard_sigmoid') as Theano's, clip(0.2x + 0.5, 0, 1)",
     {"class_name": "Sequential", "config": [keras1("Activation", "activation_1", activation="hard_sigmoid",
                                                    batch_input_shape=[None, 6], input_dtype="float32")],
      "keras_version": "1.2.2", "backend": "theano"},
     (2, 6), EXTREMES),
]


def main():
    generate(CASES, write_case, FAMILY_PREFIXES)
    if GENERATIONS_DIR.exists():
        for folder in GENERATIONS_DIR.iterdir():
            if folder.is_dir() and folder.name.startswith(FAMILY_PREFIXES):
                shutil.rmtree(folder)
    for name, _, doc, shape, *extremes in GENERATION_CASES:
        write_case(name, doc, shape, *extremes, folder=GENERATIONS_DIR)
    if "--table" in sys.argv:
        print()
        for name, covers, *_ in GENERATION_CASES:
            print(f"| `{name}` | {covers} |")
    print(f"wrote {len(GENERATION_CASES)} cases to {GENERATIONS_DIR}", file=sys.stderr)


if __name__ == "__main__":
    main()
