#!/usr/bin/python3
"""Golden values for whole models, Sequential and functional, computed with PyTorch.

Each model is written in the JSON one Keras generation writes for it (tf.keras 2
`model.to_json()`, TensorFlow.js `model.toJSON()` and its saved model.json, Keras 1.2.2, Keras 3),
with its weights as Keras get_weights() arrays, an input, the expected output(s) and the facts
Keras' model.summary() prints. The values are computed by reading the written JSON back with
the other generators' parsers and running their torch code layer after layer, in float64
(functional models as graphs: GraphRun below):

- convolutions (all kinds, Keras 1 names too): make_golden_conv.py (Keras padding applied by
  hand with F.pad, kernels permuted from the Keras layouts, Keras 3 activations);
- Cropping / ZeroPadding: make_golden.py (slicing, F.pad);
- UpSampling: make_golden_upsampling.py (repeat_interleave, F.interpolate);
- LearnableCrop: make_golden_learnable_crop.py (F.grid_sample on the box's grid);
- pooling: make_golden_pooling.py; BatchNormalization: make_golden_norm.py; ReLU, Activation
  and Dense's activation: make_golden_activations.py; the merge layers here.

The summary's output shapes come from the Keras formulas (with None for what the input shape
leaves unknown), and are checked against the torch outputs wherever the input shape is known.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tests/golden/make_golden_models.py
    /usr/bin/python3 tests/golden/make_golden_models.py --table   # also prints the README table
Each model becomes models/<name>/{model.json, weights.npz, input.npy, expected.npy (or
expected_0.npy, expected_1.npy, ... in output_layers order), summary.json}. The script owns models/ and replaces all of it. The outputs are committed; CI
only reads them.
"""

import contextlib
import json
import math
import pathlib
import re
import shutil
import sys
import zipfile
import zlib
from dataclasses import dataclass, field

import numpy as np
import torch

sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
import make_golden as crop_pad
import make_golden_conv as convs
import make_golden_activations as activations
import make_golden_learnable_crop as learnable
import make_golden_norm as norm
import make_golden_pooling as pooling
import make_golden_upsampling as upsampling
from golden_common import (CF, CL, as_float32, case_rng, from_channels_first, signed_values,
                           to_channels_first)

MODELS_DIR = pathlib.Path(__file__).resolve().parent / "models"


# ---------------------------------------------------------------------------------------
# Layer recipes: what a layer is, apart from how a generation writes it down.

@dataclass
class Recipe:
    kind: str  # conv, transpose, depthwise, separable, crop, pad, upsample, learnable_crop,
    #            dense, flatten
    rank: int
    args: dict
    box: tuple = None  # LearnableCrop: its weight (y0, x0, h, w), chosen, not drawn


def conv(rank, filters, kernel, strides=1, padding="valid", dilation=1, groups=1,
         activation="linear", use_bias=True):
    return Recipe("conv", rank, dict(filters=filters, kernel=kernel, strides=strides,
                                     padding=padding, dilation=dilation, groups=groups,
                                     activation=activation, use_bias=use_bias))


def transpose(rank, filters, kernel, strides=1, padding="valid", output_padding=None,
              activation="linear", use_bias=True):
    return Recipe("transpose", rank, dict(filters=filters, kernel=kernel, strides=strides,
                                          padding=padding, output_padding=output_padding,
                                          dilation=1, activation=activation, use_bias=use_bias))


def depthwise(kernel, depth_multiplier=1, strides=1, padding="valid", dilation=1,
              activation="linear", use_bias=True):
    return Recipe("depthwise", 2, dict(kernel=kernel, depth_multiplier=depth_multiplier,
                                       strides=strides, padding=padding, dilation=dilation,
                                       activation=activation, use_bias=use_bias))


def separable(filters, kernel, depth_multiplier=1, strides=1, padding="valid",
              activation="linear", use_bias=True):
    return Recipe("separable", 2, dict(filters=filters, kernel=kernel,
                                       depth_multiplier=depth_multiplier, strides=strides,
                                       padding=padding, dilation=1, activation=activation,
                                       use_bias=use_bias))


def crop(rank, cropping):
    return Recipe("crop", rank, dict(cropping=cropping))


def pad(rank, padding):
    return Recipe("pad", rank, dict(padding=padding))


def upsample(rank, size, interpolation="nearest"):
    return Recipe("upsample", rank, dict(size=size, interpolation=interpolation))


def learnable_crop(output_size, box):
    return Recipe("learnable_crop", 2, dict(output_size=list(output_size)), box=tuple(box))


def dense(units):
    return Recipe("dense", 0, dict(units=units))


def flatten():
    return Recipe("flatten", 0, {})


CLASS_STEM = {"conv": "Conv{r}D", "transpose": "Conv{r}DTranspose",
              "depthwise": "DepthwiseConv{r}D", "separable": "SeparableConv{r}D",
              "crop": "Cropping{r}D", "pad": "ZeroPadding{r}D", "upsample": "UpSampling{r}D",
              "learnable_crop": "LearnableCrop", "dense": "Dense", "flatten": "Flatten"}


def class_name(recipe):
    return CLASS_STEM[recipe.kind].format(r=recipe.rank)


def snake_case(name):
    """Keras' to_snake_case: Conv2DTranspose -> conv2d_transpose, UpSampling2D -> up_sampling2d."""
    name = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def as_list(value, rank):
    return list(value) if isinstance(value, (list, tuple)) else [value] * rank


# ---------------------------------------------------------------------------------------
# The generations' JSON. Each writer turns recipes into that generation's layer entries and
# the whole model object; `first_uid` shifts the layer name counters, as in a session that
# had built other models before.

GLOROT = {"class_name": "GlorotUniform", "config": {"seed": None}}
ZEROS = {"class_name": "Zeros", "config": {}}
NO_REG = ("kernel_regularizer", "bias_regularizer", "activity_regularizer",
          "kernel_constraint", "bias_constraint")


def namer(style, first_uid):
    counts = {}

    def name(recipe):
        cls = keras1_class(recipe) if style == "keras1" else class_name(recipe)
        n = counts.get(cls, first_uid)
        counts[cls] = n + 1
        if style == "keras1":
            return f"{cls.lower()}_{n + 1}"
        if style == "tfjs":
            return f"{snake_case(cls)}_{cls}{n + 1}"
        return snake_case(cls) if n == 0 else f"{snake_case(cls)}_{n}"
    return name


def keras2_args(recipe, fmt):
    """The arguments as tf.keras 2, Keras 3 and TensorFlow.js write them (tuples as lists),
    without the base keys and, for convolutions, without activation and the rest."""
    a, r = recipe.args, recipe.rank
    if recipe.kind in ("conv", "transpose", "depthwise", "separable"):
        out = {"filters": a["filters"]} if recipe.kind != "depthwise" else {}
        out.update({"kernel_size": as_list(a["kernel"], r), "strides": as_list(a["strides"], r),
                    "padding": a["padding"], "data_format": fmt,
                    "dilation_rate": as_list(a["dilation"], r)})
        return out
    if recipe.kind == "crop":
        return {"cropping": a["cropping"], **({"data_format": fmt} if r > 1 else {})}
    if recipe.kind == "pad":
        return {"padding": a["padding"], **({"data_format": fmt} if r > 1 else {})}
    if recipe.kind == "upsample":
        if r == 1:
            return {"size": a["size"]}
        out = {"size": as_list(a["size"], r), "data_format": fmt}
        if r == 2:
            out["interpolation"] = a["interpolation"]
        return out
    raise ValueError(recipe.kind)


def tf_keras2_config(recipe, name, fmt, batch_input_shape):
    """tf.keras 2.12 get_config(): name, trainable, [batch_input_shape], dtype, arguments."""
    a = recipe.args
    config = {"name": name, "trainable": True}
    if batch_input_shape is not None:
        config["batch_input_shape"] = batch_input_shape
    config["dtype"] = "float32"
    if recipe.kind == "dense":
        config.update({"units": a["units"], "activation": "linear", "use_bias": True,
                       "kernel_initializer": GLOROT, "bias_initializer": ZEROS,
                       **{k: None for k in NO_REG}})
        return config
    if recipe.kind == "flatten":
        config["data_format"] = fmt
        return config
    config.update(keras2_args(recipe, fmt))
    if recipe.kind in ("conv", "transpose", "depthwise", "separable"):
        # Conv.get_config(); DepthwiseConv drops the kernel keys and adds depthwise ones at
        # the end, SeparableConv adds its keys after Conv's, Conv2DTranspose output_padding.
        config.update({"groups": a.get("groups", 1), "activation": a["activation"],
                       "use_bias": a["use_bias"]})
        if recipe.kind != "depthwise":
            config["kernel_initializer"] = GLOROT
        config["bias_initializer"] = ZEROS
        for key in NO_REG:
            if not (recipe.kind == "depthwise" and key.startswith("kernel")):
                config[key] = None
        if recipe.kind == "depthwise":
            config.update({"depth_multiplier": a["depth_multiplier"],
                           "depthwise_initializer": GLOROT, "depthwise_regularizer": None,
                           "depthwise_constraint": None})
        if recipe.kind == "separable":
            config.update({"depth_multiplier": a["depth_multiplier"],
                           "depthwise_initializer": GLOROT, "pointwise_initializer": GLOROT,
                           "depthwise_regularizer": None, "pointwise_regularizer": None,
                           "depthwise_constraint": None, "pointwise_constraint": None})
        if recipe.kind == "transpose":
            op = a["output_padding"]
            config["output_padding"] = None if op is None else as_list(op, recipe.rank)
    return config


def tf_keras2_model(recipes, fmt, input_shape, name, first_uid, input_layer):
    new_name = namer("keras", first_uid)
    layers = []
    if input_layer:
        layers.append({"class_name": "InputLayer", "config": {
            "batch_input_shape": input_shape, "dtype": "float32", "sparse": False,
            "ragged": False, "name": f"input_{first_uid + 1}"}})
    for i, recipe in enumerate(recipes):
        shape = input_shape if (i == 0 and not input_layer) else None
        layers.append({"class_name": class_name(recipe),
                       "config": tf_keras2_config(recipe, new_name(recipe), fmt, shape)})
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers},
            "keras_version": "2.12.0", "backend": "tensorflow"}


# TensorFlow.js: getConfig() puts the class's own keys first and the base keys (name,
# trainable, and on the first layer batch_input_shape and dtype) last; its default kernel
# initializer, glorotNormal, serialises as VarianceScaling.
TFJS_INIT = {"class_name": "VarianceScaling",
             "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": None}}


def tfjs_config(recipe, name, fmt, batch_input_shape):
    a, r = recipe.args, recipe.rank
    config = {}
    # tfjs-layers' Conv2DTranspose writes Conv2D's keys (it has no output_padding).
    if recipe.kind in ("conv", "separable", "transpose"):
        config.update({"filters": a["filters"], "kernel_initializer": TFJS_INIT,
                       "kernel_regularizer": None, "kernel_constraint": None})
    if recipe.kind in ("conv", "depthwise", "separable", "transpose"):
        config.update({"kernel_size": as_list(a["kernel"], r),
                       "strides": as_list(a["strides"], r), "padding": a["padding"],
                       "data_format": fmt, "dilation_rate": as_list(a["dilation"], r),
                       "activation": a["activation"], "use_bias": a["use_bias"],
                       "bias_initializer": ZEROS, "bias_regularizer": None,
                       "activity_regularizer": None, "bias_constraint": None})
        if recipe.kind == "separable":
            for key in ("kernel_initializer", "kernel_regularizer", "kernel_constraint"):
                del config[key]
            config.update({"depth_multiplier": a["depth_multiplier"],
                           "depthwise_initializer": TFJS_INIT,
                           "pointwise_initializer": TFJS_INIT, "depthwise_regularizer": None,
                           "pointwise_regularizer": None, "depthwise_constraint": None,
                           "pointwise_constraint": None})
        if recipe.kind == "depthwise":
            config.update({"depth_multiplier": a["depth_multiplier"],
                           "depthwise_initializer": TFJS_INIT, "depthwise_regularizer": None,
                           "depthwise_constraint": None})
    elif recipe.kind in ("crop", "pad", "upsample"):
        config.update(keras2_args(recipe, fmt))
    else:
        raise ValueError(f"no TensorFlow.js writer for {recipe.kind}")
    config.update({"name": name, "trainable": True})
    if batch_input_shape is not None:
        config.update({"batch_input_shape": batch_input_shape, "dtype": "float32"})
    return config


TFJS_WEIGHT_NAMES = {"conv": ["kernel", "bias"], "depthwise": ["depthwise_kernel", "bias"],
                     "separable": ["depthwise_kernel", "pointwise_kernel", "bias"]}


def tfjs_model(recipes, fmt, input_shape, name, first_uid):
    new_name = namer("tfjs", first_uid)
    layers = [{"class_name": class_name(recipe),
               "config": tfjs_config(recipe, new_name(recipe), fmt,
                                     input_shape if i == 0 else None)}
              for i, recipe in enumerate(recipes)]
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers},
            "keras_version": "tfjs-layers 4.10.0", "backend": "tensor_flow.js"}


def tfjs_saved(topology, weight_shapes):
    """The model.json that tf.LayersModel.save() writes: topology, then the manifest."""
    weights = []
    for layer, shapes in zip(topology["config"]["layers"], weight_shapes):
        names = TFJS_WEIGHT_NAMES.get(kind_of(layer["class_name"]), [])
        if shapes and not layer["config"]["use_bias"]:
            names = [n for n in names if n != "bias"]
        for short, shape in zip(names, shapes):
            weights.append({"name": f"{layer['config']['name']}/{short}", "shape": list(shape),
                            "dtype": "float32"})
    return {"modelTopology": topology, "format": "layers-model",
            "generatedBy": "TensorFlow.js tfjs-layers v4.10.0", "convertedBy": None,
            "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": weights}]}


# Keras 1.2.2: its own class and argument names, dim_ordering; no InputLayer in a Sequential,
# the first layer carries batch_input_shape and input_dtype.
def keras1_class(recipe):
    if recipe.kind == "conv":
        atrous = any(d != 1 for d in as_list(recipe.args["dilation"], recipe.rank))
        return f"{'Atrous' if atrous else ''}Convolution{recipe.rank}D"
    if recipe.kind == "separable":
        return "SeparableConvolution2D"
    if recipe.kind in ("crop", "pad", "upsample"):
        return class_name(recipe)
    raise ValueError(f"no Keras 1 writer for {recipe.kind}")


def keras1_config(recipe, name, fmt, batch_input_shape):
    a = recipe.args
    config = {"name": name, "trainable": True}
    if batch_input_shape is not None:
        config.update({"batch_input_shape": batch_input_shape, "input_dtype": "float32"})
    ordering = {CF: "th", CL: "tf"}[fmt]
    if recipe.kind in ("conv", "separable"):
        kernel = as_list(a["kernel"], 2)
        config.update({"nb_filter": a["filters"], "nb_row": kernel[0], "nb_col": kernel[1],
                       "init": "glorot_uniform", "activation": a["activation"],
                       "border_mode": a["padding"], "subsample": as_list(a["strides"], 2)})
        if keras1_class(recipe).startswith("Atrous"):
            config["atrous_rate"] = as_list(a["dilation"], 2)
        if recipe.kind == "separable":
            config.update({"depth_multiplier": a["depth_multiplier"], "dim_ordering": ordering,
                           "depthwise_regularizer": None, "pointwise_regularizer": None,
                           "b_regularizer": None, "activity_regularizer": None,
                           "depthwise_constraint": None, "pointwise_constraint": None,
                           "b_constraint": None})
        else:
            config.update({"dim_ordering": ordering, "W_regularizer": None,
                           "b_regularizer": None, "activity_regularizer": None,
                           "W_constraint": None, "b_constraint": None})
        config["bias"] = a["use_bias"]
    elif recipe.kind == "crop":
        config.update({"cropping": a["cropping"], "dim_ordering": ordering})
    elif recipe.kind == "pad":
        config.update({"padding": a["padding"], "dim_ordering": ordering})
    else:
        config.update({"size": a["size"], "dim_ordering": ordering})
    return config


def python2_order(d):
    """A fixed stand-in for the order a Python 2 dict (Keras 1's get_config) came out in."""
    return {k: d[k] for k in sorted(d, key=lambda k: zlib.crc32(k.encode()))}


def keras1_model(recipes, fmt, input_shape, first_uid, as_written):
    """as_written: the form Keras 1.2.2 really wrote (no `backend`, keys in Python 2 dict
    order); otherwise the tidy form with "backend": "theano"."""
    new_name = namer("keras1", first_uid)
    layers = []
    for i, recipe in enumerate(recipes):
        config = keras1_config(recipe, new_name(recipe), fmt, input_shape if i == 0 else None)
        layers.append({"class_name": keras1_class(recipe),
                       "config": python2_order(config) if as_written else config})
    if as_written:
        return {"class_name": "Sequential", "keras_version": "1.2.2", "config": layers}
    return {"class_name": "Sequential", "config": layers, "keras_version": "1.2.2",
            "backend": "theano"}


# Keras 3: every object carries module / class_name / config / registered_name; built layers
# a build_config. `policy` is the dtype as Keras >= 3.5 writes it, or the plain string of
# Keras 3.0 - 3.4.
DTYPE_POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                "registered_name": None}


def keras3_object(module, class_name_, config):
    return {"module": module, "class_name": class_name_, "config": config,
            "registered_name": None}


K3_GLOROT = keras3_object("keras.initializers", "GlorotUniform", {"seed": None})
K3_ZEROS = keras3_object("keras.initializers", "Zeros", {})


def keras3_config(recipe, name, fmt, dtype):
    a = recipe.args
    config = {"name": name, "trainable": True, "dtype": dtype}
    if recipe.kind == "learnable_crop":
        config.update({"output_size": a["output_size"], "data_format": fmt,
                       "box_source": "weight"})
        return config
    if recipe.kind == "dense":
        config.update({"units": a["units"], "activation": "linear", "use_bias": True,
                       "kernel_initializer": K3_GLOROT, "bias_initializer": K3_ZEROS,
                       **{k: None for k in NO_REG}})
        return config
    args = keras2_args(recipe, fmt)
    if recipe.kind == "conv":
        config.update(args)
        config.update({"groups": a["groups"], "activation": a["activation"],
                       "use_bias": a["use_bias"], "kernel_initializer": K3_GLOROT,
                       "bias_initializer": K3_ZEROS, **{k: None for k in NO_REG}})
    elif recipe.kind == "depthwise":
        config["depth_multiplier"] = a["depth_multiplier"]
        config.update(args)
        config.update({"activation": a["activation"], "use_bias": a["use_bias"],
                       "depthwise_initializer": K3_GLOROT, "bias_initializer": K3_ZEROS,
                       "depthwise_regularizer": None, "bias_regularizer": None,
                       "activity_regularizer": None, "depthwise_constraint": None,
                       "bias_constraint": None})
    elif recipe.kind == "separable":
        config["depth_multiplier"] = a["depth_multiplier"]
        config.update(args)
        config.update({"activation": a["activation"], "use_bias": a["use_bias"],
                       "depthwise_initializer": K3_GLOROT, "pointwise_initializer": K3_GLOROT,
                       "bias_initializer": K3_ZEROS, "depthwise_regularizer": None,
                       "pointwise_regularizer": None, "bias_regularizer": None,
                       "activity_regularizer": None, "depthwise_constraint": None,
                       "pointwise_constraint": None, "bias_constraint": None})
    else:
        config.update(args)
    return config


def keras3_model(recipes, fmt, input_shape, name, first_uid, dtype):
    new_name = namer("keras", first_uid)
    layers = [keras3_object("keras.layers", "InputLayer", {
        "batch_shape": input_shape, "dtype": "float32", "sparse": False,
        "name": "input_layer" if first_uid == 0 else f"input_layer_{first_uid}"})]
    shape = input_shape
    for recipe in recipes:
        cls, config = class_name(recipe), keras3_config(recipe, new_name(recipe), fmt, dtype)
        if recipe.kind == "learnable_crop":
            entry = {"module": "convscope", "class_name": cls, "config": config,
                     "registered_name": "convscope>LearnableCrop"}
        else:
            entry = keras3_object("keras.layers", cls, config)
        entry["build_config"] = {"input_shape": shape}
        layers.append(entry)
        shape = parse_layer(entry).output_shape(shape)
    config = {"name": name, "trainable": True, "dtype": dtype, "layers": layers,
              "build_input_shape": input_shape}
    model = keras3_object("keras", "Sequential", config)
    model["build_config"] = {"input_shape": input_shape}
    return model


# ---------------------------------------------------------------------------------------
# Reading a model back: the layer entries and the declared input shape, whatever the form.

def model_layers(doc):
    """(declared batch input shape, layer entries without the InputLayer)."""
    if "modelTopology" in doc:
        doc = doc["modelTopology"]
    config = doc["config"]
    layers = config if isinstance(config, list) else config["layers"]
    if layers[0]["class_name"] == "InputLayer":
        c = layers[0]["config"]
        return c.get("batch_shape", c.get("batch_input_shape")), layers[1:]
    return layers[0]["config"]["batch_input_shape"], layers


KERAS1_TO_KERAS3 = {"Convolution1D": "Conv1D", "Convolution2D": "Conv2D",
                    "Convolution3D": "Conv3D", "AtrousConvolution1D": "Conv1D",
                    "AtrousConvolution2D": "Conv2D", "SeparableConvolution2D": "SeparableConv2D",
                    "Deconvolution2D": "Conv2DTranspose"}


def kind_of(cls):
    if cls.endswith("Transpose") or cls == "Deconvolution2D":
        return "transpose"
    for stem, kind in (("DepthwiseConv", "depthwise"), ("SeparableConv", "separable"),
                       ("Conv", "conv"), ("AtrousConv", "conv"), ("Cropping", "crop"),
                       ("ZeroPadding", "pad"), ("UpSampling", "upsample"),
                       ("LearnableCrop", "learnable_crop"), ("Dense", "dense"),
                       ("Flatten", "flatten")):
        if cls.startswith(stem):
            return kind
    raise ValueError(f"unknown layer class {cls}")


def spatial_axes(shape, fmt):
    rank = len(shape) - 2
    return list(range(1, 1 + rank)) if fmt == CL else list(range(2, 2 + rank))


def channel_axis(shape, fmt):
    return len(shape) - 1 if fmt == CL else 1


def with_spatial(shape, fmt, lengths, channels):
    out = list(shape)
    for axis, n in zip(spatial_axes(shape, fmt), lengths):
        out[axis] = n
    out[channel_axis(shape, fmt)] = channels
    return out


@dataclass
class ParsedLayer:
    """One layer entry, read back with the other generators' parsers: its output shape by the
    Keras formulas (None stays None), its weight shapes and its torch forward."""
    entry: dict
    kind: str
    spec: object = None
    fmt: str = CL
    extra: dict = field(default_factory=dict)

    @property
    def name(self):
        return self.entry["config"]["name"]

    @property
    def keras3_class(self):
        cls = self.entry["class_name"]
        return KERAS1_TO_KERAS3.get(cls, cls)

    # --- shapes -------------------------------------------------------------------------
    def output_shape(self, shape):
        k, s = self.kind, self.spec
        if k in ("conv", "depthwise", "separable", "transpose"):
            lengths = []
            for axis, n in enumerate(shape[a] for a in spatial_axes(shape, self.fmt)):
                if n is None:
                    lengths.append(None)
                elif k == "transpose":
                    op = None if s.output_padding is None else s.output_padding[axis]
                    lengths.append(convs.transpose_window(n, s.kernel[axis], s.strides[axis],
                                                          s.dilation[axis], s.padding, op)[1])
                else:
                    lengths.append(convs.conv_padding(n, s.kernel[axis], s.strides[axis],
                                                      s.dilation[axis], s.padding)[2])
            in_ch = shape[channel_axis(shape, self.fmt)]
            out_ch = in_ch * s.depth_multiplier if k == "depthwise" else s.filters
            return with_spatial(shape, self.fmt, lengths, out_ch)
        if k in ("crop", "pad"):
            sign = -1 if k == "crop" else 1
            lengths = [None if shape[a] is None else shape[a] + sign * (b + e)
                       for a, (b, e) in zip(spatial_axes(shape, self.fmt), self.extra["pairs"])]
            return with_spatial(shape, self.fmt, lengths, shape[channel_axis(shape, self.fmt)])
        if k == "upsample":
            lengths = [None if shape[a] is None else shape[a] * f
                       for a, f in zip(spatial_axes(shape, self.fmt), self.extra["factors"])]
            return with_spatial(shape, self.fmt, lengths, shape[channel_axis(shape, self.fmt)])
        if k == "learnable_crop":
            return with_spatial(shape, self.fmt, s.output_size,
                                shape[channel_axis(shape, self.fmt)])
        if k == "dense":
            return list(shape[:-1]) + [self.extra["units"]]
        if k == "flatten":
            rest = shape[1:]
            return [shape[0], None if None in rest else math.prod(rest)]
        raise ValueError(k)

    def weight_shapes(self, shape):
        """[(shape, fan_in or None for a bias)] in get_weights() order."""
        if self.kind in ("conv", "depthwise", "separable", "transpose"):
            shapes, fan_in = convs.weight_shapes(self.spec, shape[channel_axis(shape, self.fmt)])
            return list(zip(shapes, fan_in))
        if self.kind == "learnable_crop":
            return [([4], None)]
        if self.kind == "dense":
            return [([shape[-1], self.extra["units"]], shape[-1]), ([self.extra["units"]], None)]
        return []

    # --- values, float64 ----------------------------------------------------------------
    def forward(self, x, weights):
        """x in the model's layout (batch first); weights as float64 tensors."""
        k, s = self.kind, self.spec
        if k == "dense":
            return x @ weights[0] + weights[1]
        if k == "flatten":
            return x.reshape(x.shape[0], -1)
        xc = to_channels_first(x, self.fmt)
        if k in ("conv", "depthwise", "separable", "transpose"):
            bias = weights[-1] if s.use_bias else None
            kernels = weights[:-1] if s.use_bias else weights
            y = {"conv": convs.forward_conv, "depthwise": convs.forward_depthwise,
                 "separable": convs.forward_separable,
                 "transpose": convs.forward_transpose}[k](xc, s, *kernels)
            if bias is not None:
                y = y + bias.reshape(1, -1, *[1] * s.rank)
            y = convs.keras3_activation(s.activation, y)
        elif k == "crop":
            y = crop_pad.crop(xc, self.extra["pairs"], CF)
        elif k == "pad":
            y = crop_pad.pad(xc, self.extra["pairs"], CF)
        elif k == "upsample":
            y = (upsampling.linear if self.extra["linear"] else upsampling.nearest)(
                xc, self.extra["factors"])
        elif k == "learnable_crop":
            boxes = weights[0].unsqueeze(0).expand(xc.shape[0], 4)
            y = learnable.crop(xc, boxes, s.output_size)
        return from_channels_first(y, self.fmt)


def parse_layer(entry):
    kind = kind_of(entry["class_name"])
    c = entry["config"]
    if kind in ("conv", "depthwise", "separable", "transpose"):
        spec = convs.parse(entry)
        return ParsedLayer(entry, kind, spec, spec.data_format)
    if kind in ("crop", "pad"):
        _, pairs, fmt = crop_pad.normalise(entry)
        return ParsedLayer(entry, kind, fmt=fmt, extra={"pairs": pairs})
    if kind == "upsample":
        _, factors, linear, fmt = upsampling.parse(entry)
        return ParsedLayer(entry, kind, fmt=fmt, extra={"factors": factors, "linear": linear})
    if kind == "learnable_crop":
        spec = learnable.parse(entry)
        assert spec.box_source == "weight", "models here use a weight box only"
        return ParsedLayer(entry, kind, spec, spec.data_format)
    if kind == "dense":
        return ParsedLayer(entry, kind, extra={"units": c["units"]})
    return ParsedLayer(entry, kind, fmt=c.get("data_format") or CL)


# ---------------------------------------------------------------------------------------
# Models: (name, what it covers, form, data_format, declared input shape, batch, concrete
# input shape where the declared one has None, recipes, options).

@dataclass
class Model:
    name: str
    covers: str
    form: str  # tf_keras2, tf_keras2_no_input, tfjs, tfjs_saved, tfjs_saved_no_dm, keras1, keras1_as_written,
    #            keras3, keras3_dtype_str
    data_format: str
    input_shape: list  # batch first, batch None
    batch: int
    layers: list
    model_name: str = "sequential"
    first_uid: int = 0
    concrete: list = None  # the input's spatial sizes where input_shape has None
    error: str = None  # bad_* models: the error convscope has to report
    drop_last_weight: bool = False


MODELS = [
    Model("tf_keras2_conv_depthwise_pad_cl",
          "tf.keras 2 with InputLayer: Conv2D same relu, DepthwiseConv2D dm 2 s 2 same, "
          "ZeroPadding2D asymmetric, Conv2D dilated valid tanh",
          "tf_keras2", CL, [None, 14, 14, 3], 1, [
              conv(2, 6, 3, padding="same", activation="relu"),
              depthwise(3, depth_multiplier=2, strides=2, padding="same"),
              pad(2, [[1, 0], [2, 1]]),
              conv(2, 4, 2, dilation=2, activation="tanh")]),
    Model("tf_keras2_transpose_bilinear_batch2",
          "tf.keras 2, batch_input_shape on the first layer (no InputLayer): Conv2D elu, "
          "Conv2DTranspose s 2 same, Cropping2D, UpSampling2D bilinear, 1x1 Conv2D sigmoid; "
          "batch 2",
          "tf_keras2_no_input", CL, [None, 6, 5, 4], 2, [
              conv(2, 5, 3, padding="same", activation="elu"),
              transpose(2, 4, 3, strides=2, padding="same", activation="relu"),
              crop(2, [[1, 2], [0, 1]]),
              upsample(2, [2, 2], "bilinear"),
              conv(2, 2, 1, activation="sigmoid")],
          model_name="sequential_1", first_uid=2),
    Model("tf_keras2_unknown_spatial_batch2",
          "tf.keras 2, InputLayer [null, null, null, 3]: summary spatial dims null; input "
          "11x9, batch 2; Conv2D s 2 same, SeparableConv2D valid, UpSampling2D bilinear, "
          "ZeroPadding2D, Conv2D same",
          "tf_keras2", CL, [None, None, None, 3], 2, [
              conv(2, 4, 3, strides=2, padding="same", activation="relu"),
              separable(5, 3),
              upsample(2, [2, 2], "bilinear"),
              pad(2, [[1, 1], [0, 2]]),
              conv(2, 2, 3, padding="same", activation="tanh")],
          concrete=[11, 9]),
    Model("tf_keras2_groups_transpose_op_cf",
          "tf.keras 2 channels_first, no InputLayer: Conv2D groups 2, Conv2DTranspose "
          "k (3, 2) s (2, 3) output_padding (1, 2), Cropping2D, Conv2D s 2 softplus",
          "tf_keras2_no_input", CF, [None, 4, 7, 6], 1, [
              conv(2, 4, 3, padding="same", groups=2, activation="relu"),
              transpose(2, 3, [3, 2], strides=[2, 3], output_padding=[1, 2]),
              crop(2, [[3, 2], [4, 4]]),
              conv(2, 2, 3, strides=2, activation="softplus")],
          model_name="sequential_2", first_uid=4),
    Model("tfjs_separable_upsample_crop",
          "TensorFlow.js toJSON(): Conv2D same relu, SeparableConv2D dm 2 valid, "
          "UpSampling2D nearest, Cropping2D, Conv2D s 2",
          "tfjs", CL, [None, 10, 10, 3], 1, [
              conv(2, 4, 3, padding="same", activation="relu"),
              separable(6, 3, depth_multiplier=2, activation="relu"),
              upsample(2, [2, 2]),
              crop(2, [[1, 2], [3, 0]]),
              conv(2, 2, 3, strides=2)],
          model_name="sequential_3"),
    Model("tfjs_saved_model_json_nobias_batch2",
          "TensorFlow.js saved model.json (modelTopology + weightsManifest): Conv2D s 2 "
          "valid, DepthwiseConv2D same tanh, ZeroPadding2D, Conv2D without bias; batch 2",
          "tfjs_saved", CL, [None, 13, 12, 2], 2, [
              conv(2, 4, 3, strides=2, activation="relu"),
              depthwise(3, padding="same", activation="tanh"),
              pad(2, [[1, 1], [1, 1]]),
              conv(2, 3, 2, use_bias=False)],
          model_name="sequential_2", first_uid=2),
    Model("tfjs_saved_separable_dm2_no_depth_multiplier",
          "TensorFlow.js saved model.json as tfjs-layers writes it, depth_multiplier left out of "
          "the configs (tfjs issue 6083): SeparableConv2D depth multiplier 2, DepthwiseConv2D "
          "depth multiplier 2; convscope reads both from the kernels' shapes in the manifest",
          "tfjs_saved_no_dm", CL, [None, 9, 8, 3], 1, [
              separable(4, 3, depth_multiplier=2, padding="same", activation="relu"),
              depthwise(3, depth_multiplier=2)],
          model_name="sequential_4", first_uid=4),
    Model("keras1_atrous_full_th",
          "Keras 1 'th' (tidy form, backend theano): Convolution2D same, AtrousConvolution2D "
          "atrous_rate 2 border_mode full, ZeroPadding2D (1, 2), Cropping2D, UpSampling2D "
          "(2, 1), Convolution2D subsample 2",
          "keras1", CF, [None, 3, 9, 9], 1, [
              conv(2, 4, 3, padding="same", activation="relu"),
              conv(2, 3, 3, padding="full", dilation=2, activation="tanh"),
              pad(2, [1, 2]),
              crop(2, [[2, 1], [0, 3]]),
              upsample(2, [2, 1]),
              conv(2, 2, 3, strides=2)]),
    Model("keras1_as_written_separable_tf_batch2",
          "Keras 1.2.2 as it wrote it (no backend, shuffled keys) 'tf': Convolution2D "
          "subsample 2, SeparableConvolution2D dm 2, ZeroPadding2D dict, UpSampling2D, 1x1 "
          "Convolution2D sigmoid; batch 2",
          "keras1_as_written", CL, [None, 11, 13, 2], 2, [
              conv(2, 5, 3, strides=2, activation="relu"),
              separable(4, 3, depth_multiplier=2, padding="same"),
              pad(2, {"top_pad": 1, "bottom_pad": 0, "left_pad": 2, "right_pad": 1}),
              upsample(2, [2, 2]),
              conv(2, 3, 1, activation="sigmoid")],
          first_uid=2),
    Model("keras3_conv1d_causal_upsample_crop_batch2",
          "Keras 3 (dtype strings, 3.0-3.4): Conv1D causal dilation 2, UpSampling1D, "
          "Cropping1D (1, 3), Conv1D k 5 s 2 same; batch 2",
          "keras3_dtype_str", CL, [None, 16, 3], 2, [
              conv(1, 4, 3, padding="causal", dilation=2, activation="relu"),
              upsample(1, 2),
              crop(1, [1, 3]),
              conv(1, 2, 5, strides=2, padding="same", activation="tanh")]),
    Model("keras3_conv3d_cf",
          "Keras 3 channels_first 3D, named model: Conv3D k (3, 2, 3) same, UpSampling3D "
          "(1, 2, 2), Cropping3D, Conv3D k 2 s 2 valid sigmoid",
          "keras3", CF, [None, 2, 5, 6, 4], 1, [
              conv(3, 3, [3, 2, 3], padding="same", activation="relu"),
              upsample(3, [1, 2, 2]),
              crop(3, [[1, 0], [2, 3], [1, 1]]),
              conv(3, 2, 2, strides=2, activation="sigmoid")],
          model_name="volume_head"),
    Model("keras3_learnable_crop_batch2",
          "Keras 3 with convscope's LearnableCrop (box weight) between Conv2D layers, then "
          "UpSampling2D bilinear; batch 2",
          "keras3", CL, [None, 16, 16, 3], 2, [
              conv(2, 4, 3, padding="same", activation="relu"),
              learnable_crop([6, 7], [2.3, 3.6, 9.4, 8.1]),
              conv(2, 3, 3),
              upsample(2, [2, 2], "bilinear")],
          model_name="sequential_4", first_uid=1),
    Model("keras3_channels_first_bilinear_batch2",
          "Keras 3 channels_first: ZeroPadding2D, Conv2D k (3, 2) s (2, 1) leaky_relu, "
          "DepthwiseConv2D even k 2 same dm 2 gelu, UpSampling2D (2, 3) bilinear, "
          "Cropping2D; batch 2",
          "keras3", CF, [None, 3, 10, 8], 2, [
              pad(2, [[1, 1], [2, 0]]),
              conv(2, 6, [3, 2], strides=[2, 1], activation="leaky_relu"),
              depthwise(2, depth_multiplier=2, padding="same", activation="gelu"),
              upsample(2, [2, 3], "bilinear"),
              crop(2, [[2, 1], [4, 5]])],
          model_name="sequential_1"),
    Model("bad_dense_flatten",
          "error: Dense (layer 2) and Flatten (layer 3) after a Conv2D; tf.keras 2, no "
          "InputLayer",
          "tf_keras2_no_input", CL, [None, 8, 8, 3], 1, [
              conv(2, 4, 3, padding="same", activation="relu"),
              dense(5),
              flatten()],
          error="Dense"),
    Model("bad_weights_one_short",
          "error: weights.npz holds 3 arrays where the model takes 4 (the last bias is "
          "missing); Keras 3",
          "keras3", CL, [None, 8, 7, 3], 1, [
              conv(2, 4, 3, padding="same", activation="relu"),
              conv(2, 2, 3)],
          error="weights", drop_last_weight=True),
]


def model_json(m):
    fmt, shape, name = m.data_format, m.input_shape, m.model_name
    if m.form in ("tf_keras2", "tf_keras2_no_input"):
        return tf_keras2_model(m.layers, fmt, shape, name, m.first_uid,
                               input_layer=m.form == "tf_keras2")
    if m.form in ("tfjs", "tfjs_saved", "tfjs_saved_no_dm"):
        return tfjs_model(m.layers, fmt, shape, name, m.first_uid)
    if m.form in ("keras1", "keras1_as_written"):
        return keras1_model(m.layers, fmt, shape, m.first_uid, m.form == "keras1_as_written")
    if m.form in ("keras3", "keras3_dtype_str"):
        dtype = DTYPE_POLICY if m.form == "keras3" else "float32"
        return keras3_model(m.layers, fmt, shape, name, m.first_uid, dtype)
    raise ValueError(m.form)


# ---------------------------------------------------------------------------------------
# Running a model: the input and the weights drawn from the model's own generator, in
# get_weights() order, then the layers one after the other in float64.

def run_model(m, doc):
    declared, entries = model_layers(doc)
    assert declared == m.input_shape, (declared, m.input_shape)
    rng = case_rng(m.name)
    concrete = iter(m.concrete or [])
    shape = [m.batch] + [n if n is not None else next(concrete) for n in declared[1:]]
    x_np = signed_values(rng, shape, 0.25, 1.25)
    x = torch.from_numpy(x_np).to(torch.float64)
    groups, rows, symbolic = [], [], list(declared)
    for recipe, entry in zip(m.layers, entries):
        layer = parse_layer(entry)
        drawn = []
        for w_shape, fan in layer.weight_shapes(list(x.shape)):
            if recipe.box is not None:
                drawn.append(np.array(recipe.box, dtype=np.float32))
            else:
                scale = 0.5 if fan is None else 1.5 / math.sqrt(fan)
                drawn.append((rng.uniform(-1.0, 1.0, size=w_shape) * scale).astype(np.float32))
        x = layer.forward(x, [torch.from_numpy(w).to(torch.float64) for w in drawn])
        symbolic = layer.output_shape(symbolic)
        # The formula and torch agree wherever the input shape is known.
        assert len(symbolic) == x.dim(), (m.name, layer.name)
        for want, got in zip(symbolic[1:], x.shape[1:]):
            assert want is None or want == got, (m.name, layer.name, symbolic, x.shape)
        if not m.concrete:
            assert None not in symbolic[1:]
        groups.append(drawn)
        rows.append({"name": layer.name, "class_name": layer.keras3_class,
                     "output_shape": symbolic, "params": sum(w.size for w in drawn)})
    summary = {"name": summary_name(doc), "layers": rows,
               "total_params": sum(r["params"] for r in rows)}
    return x_np, groups, as_float32(x), summary


def summary_name(doc):
    if "modelTopology" in doc:
        doc = doc["modelTopology"]
    if isinstance(doc["config"], list):
        # Keras 1 wrote no model name into a Sequential's JSON; Keras 3 calls an unnamed
        # Sequential "sequential".
        return "sequential"
    return doc["config"]["name"]


# ---------------------------------------------------------------------------------------
# Functional models. A model is built call by call (FnBuilder), written in its generation's
# JSON, then read back and run by GraphRun, which knows only what the JSON says: the layers
# in config order, each call's inbound node in either form, nested models, output_layers.

MODEL_CLASSES = ("Sequential", "Functional", "Model")
MERGES = {"Add": lambda xs: sum(xs[1:], xs[0]), "Subtract": lambda xs: xs[0] - xs[1],
          "Multiply": lambda xs: math.prod(xs[1:], start=xs[0]),
          "Concatenate": None}  # Concatenate reads its axis
POOLING = tuple(f"{stem}Pooling{r}D" for stem in ("Max", "Average", "GlobalAverage", "GlobalMax")
                for r in (1, 2, 3))
IDENTITIES = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D")  # at inference
CONV_KINDS = ("conv", "transpose", "depthwise", "separable", "crop", "pad", "upsample")


def entry_name(entry):
    return entry.get("name", entry["config"]["name"])


def config_layers(doc):
    config = doc["config"]
    return config if isinstance(config, list) else config["layers"]


def triples(value):
    """input_layers / output_layers: a list of triples, one triple, or a dict of them."""
    if isinstance(value, dict):
        return [tuple(v) for v in value.values()]
    if value and isinstance(value[0], str):
        return [tuple(value)]
    return [tuple(v) for v in value]


def node_refs(node):
    """The (layer, node, tensor) triples one inbound node reads, in order."""
    if isinstance(node, list):  # Keras 2, tf.keras, TensorFlow.js: [[name, node, tensor, kwargs]]
        return [tuple(ref[:3]) for ref in node]
    refs = []  # Keras 3: {"args": [tensor or [tensors]], "kwargs": {}}

    def walk(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            refs.append(tuple(value["config"]["keras_history"]))
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(node["args"])
    return refs


def generation_of(doc):
    version = doc.get("keras_version", "3")
    return 2 if version.startswith(("2", "tfjs")) else int(version[0])


def bn_names(c):
    return (["gamma"] if c.get("scale", True) else []) + (["beta"] if c.get("center", True)
                                                          else []) + ["moving_mean",
                                                                      "moving_variance"]


def leaf_weight_shapes(entry, shapes):
    """[(weight name, shape, fan_in or None)] in get_weights() order, for input shapes."""
    cls, c = entry["class_name"], entry["config"]
    if cls == "BatchNormalization":
        names = bn_names(c)
        return [(n, s, None) for n, s in zip(names, norm.weight_shapes(entry, shapes[0], names))]
    if cls == "Dense":
        fan = shapes[0][-1]
        out = [("kernel", [fan, c["units"]], fan)]
        return out + ([("bias", [c["units"]], None)] if c.get("use_bias", True) else [])
    if cls in MERGES or cls in POOLING or cls in IDENTITIES or cls in ("ReLU", "Activation", "Flatten"):
        return []
    layer = parse_layer(entry)
    assert layer.kind in CONV_KINDS, cls
    names = TFJS_WEIGHT_NAMES.get(layer.kind, ["kernel", "bias"])
    if layer.spec is not None and not layer.spec.use_bias:
        names = names[:-1]
    return [(n, s, fan) for n, (s, fan) in zip(names, layer.weight_shapes(shapes[0]))]


def leaf_forward(entry, xs, w, generation):
    """One call of a layer: xs in the model's layout (batch first), w float64 tensors."""
    cls, c = entry["class_name"], entry["config"]
    if cls == "Concatenate":
        return torch.cat(xs, dim=c.get("axis", -1))
    if cls in MERGES:
        return MERGES[cls](xs)
    (x,) = xs
    if cls in IDENTITIES:
        return x
    if cls == "BatchNormalization":
        return norm.batch_norm(c, x, w, bn_names(c))
    if cls in ("ReLU", "Activation"):
        return activations.layer_function(entry, generation)[0](x, w)
    if cls in POOLING:
        a = pooling.parse(entry)
        xc = to_channels_first(x, a["fmt"])
        if not a["global"]:
            return from_channels_first(pooling.window_pool(xc, a), a["fmt"])
        y = pooling.global_pool(xc, a)
        return from_channels_first(y, a["fmt"]) if a["keepdims"] else y.flatten(1)
    if cls == "Dense":
        y = x @ w[0] + (w[1] if len(w) > 1 else 0)
        return activations.function_of(c.get("activation"), generation)(y)
    return parse_layer(entry).forward(x, w)


class GraphRun:
    """Runs a model document on torch float64. Each layer's weights are drawn on its first
    call, from the CRC-32 of "<seed name>/<layer path>" (so that the draw does not depend on
    the order the graph is walked in); later calls of the layer reuse them."""

    def __init__(self, seed_name, generation, zeros=False):
        self.seed_name, self.generation, self.zeros = seed_name, generation, zeros
        self.weights = {}  # layer path -> [np.float32 arrays]
        self.calls = {}  # layer path -> [output shape of each call]
        self.names = {}  # layer path -> the weights' names (TensorFlow.js' manifest)

    def model(self, doc, xs, path=()):
        layers = config_layers(doc)
        if doc["class_name"] == "Sequential":
            x = xs[0]
            for entry in layers:
                if entry["class_name"] != "InputLayer":
                    x = self.layer(entry, [x], path)
            return [x]
        by_name = {entry_name(e): e for e in layers}
        memo = dict(zip(triples(doc["config"]["input_layers"]), xs))

        def value(ref):
            if ref not in memo:
                name, node, tensor = ref
                assert tensor == 0, ref
                entry = by_name[name]
                inputs = [value(r) for r in node_refs(entry["inbound_nodes"][node])]
                memo[ref] = self.layer(entry, inputs, path)
            return memo[ref]
        return [value(ref) for ref in triples(doc["config"]["output_layers"])]

    def layer(self, entry, xs, path):
        key = path + (entry_name(entry),)
        if entry["class_name"] in MODEL_CLASSES:
            outputs = self.model(entry, xs, key)
            assert len(outputs) == 1, "nested models here have one output"
            y = outputs[0]
        else:
            if key not in self.weights:
                self.weights[key] = self.draw(entry, key, [list(x.shape) for x in xs])
            w = [torch.from_numpy(a).to(torch.float64) for a in self.weights[key]]
            y = leaf_forward(entry, xs, w, self.generation)
        self.calls.setdefault(key, []).append([None] + list(y.shape[1:]))
        return y

    def draw(self, entry, key, shapes):
        rng = case_rng(self.seed_name + "/" + "/".join(key))
        out, wanted = [], leaf_weight_shapes(entry, shapes)
        self.names[key] = [name for name, _, _ in wanted]
        for name, shape, fan in wanted:
            if self.zeros:
                out.append(np.zeros(shape, dtype=np.float32))
            elif entry["class_name"] == "BatchNormalization":
                out.append(norm.draw(rng, name, shape))
            else:
                scale = 0.5 if fan is None else 1.5 / math.sqrt(fan)
                out.append((rng.uniform(-1.0, 1.0, size=shape) * scale).astype(np.float32))
        return out


def weight_order(doc, path=()):
    """The layer paths in get_weights() order: config order, nested models in place."""
    for entry in config_layers(doc):
        key = path + (entry_name(entry),)
        if entry["class_name"] in MODEL_CLASSES:
            yield from weight_order(entry, key)
        elif entry["class_name"] != "InputLayer":
            yield key


def declared_input(doc):
    layers = config_layers(doc)
    if doc["class_name"] == "Sequential":
        first = layers[0]
    else:
        name = triples(doc["config"]["input_layers"])[0][0]
        first = next(e for e in layers if entry_name(e) == name)
    assert first["class_name"] == "InputLayer"
    c = first["config"]
    return c.get("batch_shape", c.get("batch_input_shape"))


# --- Writing a functional model: the layer configs and entries each generation writes -----

TFJS_VERSION = {"keras_version": "tfjs-layers 4.10.0", "backend": "tensor_flow.js"}
TF_KERAS2_VERSION = {"keras_version": "2.12.0", "backend": "tensorflow"}


def base_config(form, name):
    """The keys every layer's get_config() starts with (TensorFlow.js puts them last)."""
    if form == "tfjs":
        return {}
    return {"name": name, "trainable": True,
            "dtype": DTYPE_POLICY if form == "keras3" else "float32"}


def finish(form, name, config):
    if form == "tfjs":
        config.update({"name": name, "trainable": True})
    return config


def recipe_config(form, recipe, name, fmt):
    if form == "tf_keras2":
        return tf_keras2_config(recipe, name, fmt, None)
    if form == "keras3":
        return keras3_config(recipe, name, fmt, DTYPE_POLICY)
    return tfjs_config(recipe, name, fmt, None)


def dense_config(form, name, units, activation):
    config = base_config(form, name)
    if form == "tfjs":
        config.update({"units": units, "activation": activation, "use_bias": True,
                       "kernel_initializer": TFJS_INIT, "bias_initializer": ZEROS,
                       "kernel_regularizer": None, "bias_regularizer": None,
                       "activity_regularizer": None, "kernel_constraint": None,
                       "bias_constraint": None})
    else:
        init = (K3_GLOROT, K3_ZEROS) if form == "keras3" else (GLOROT, ZEROS)
        config.update({"units": units, "activation": activation, "use_bias": True,
                       "kernel_initializer": init[0], "bias_initializer": init[1],
                       **{k: None for k in NO_REG}})
    return finish(form, name, config)


def bn_config(form, name, fmt, rank):
    if form == "keras3":
        config = norm.bn3(axis=-1 if fmt == CL else 1)["config"]
    else:  # tf.keras 2: the axis list build() made
        config = norm.bn_tfkeras(axis=[rank + 1 if fmt == CL else 1])["config"]
    config["name"] = name
    return config


def simple_config(form, name, **args):
    """ReLU, Activation, merges, pooling, Flatten: the base keys, then the layer's own."""
    return finish(form, name, {**base_config(form, name), **args})


def pool_args(pool, fmt):
    return {"pool_size": [pool, pool], "padding": "valid", "strides": [pool, pool],
            "data_format": fmt}


class Tensor:
    """A call's output while a model is built: its layer, node index and Keras shape."""

    def __init__(self, layer, node, shape):
        self.layer, self.node, self.shape = layer, node, shape


class FnBuilder:
    """Builds one functional model's layer list call by call, as `form` (tf_keras2, keras3,
    tfjs) writes it; shapes come from running each call on zeros (GraphRun)."""

    def __init__(self, form, fmt):
        self.form, self.fmt = form, fmt
        self.layers, self.entries = [], {}
        self.probe = GraphRun("shapes", 3, zeros=True)
        self.values = {}  # (layer, node) -> a zero tensor of the call's output shape

    def input(self, batch_shape, name):
        config = {"batch_shape" if self.form == "keras3" else "batch_input_shape": batch_shape,
                  "dtype": "float32", "sparse": False}
        if self.form == "tf_keras2":
            config["ragged"] = False
        config["name"] = name
        if self.form == "keras3":
            entry = {**keras3_object("keras.layers", "InputLayer", config), "name": name,
                     "inbound_nodes": []}
        elif self.form == "tfjs":
            entry = {"name": name, "class_name": "InputLayer", "config": config,
                     "inbound_nodes": []}
        else:
            entry = {"class_name": "InputLayer", "config": config, "name": name,
                     "inbound_nodes": []}
        self.layers.append(entry)
        self.values[(name, 0)] = torch.zeros([1] + batch_shape[1:], dtype=torch.float64)
        return Tensor(name, 0, batch_shape)

    def call(self, class_name_, config, *inputs, module="keras.layers"):
        """A call of the layer named config["name"]; a second call with the same name reuses
        the layer (a shared layer), whatever config it is given."""
        name = config["name"]
        shapes = [t.shape for t in inputs]
        if name not in self.entries:
            entry = self.entry(class_name_, config, shapes, module)
            self.entries[name] = entry
            self.layers.append(entry)
        entry = self.entries[name]
        node = len(entry["inbound_nodes"])
        entry["inbound_nodes"].append(self.inbound_node(inputs))
        y = self.probe.layer(entry, [self.values[(t.layer, t.node)] for t in inputs], ())
        self.values[(name, node)] = y
        return Tensor(name, node, [None] + list(y.shape[1:]))

    def entry(self, class_name_, config, shapes, module):
        if self.form == "tfjs":
            return {"name": config["name"], "class_name": class_name_, "config": config,
                    "inbound_nodes": []}
        if self.form == "tf_keras2":
            return {"class_name": class_name_, "config": config, "name": config["name"],
                    "inbound_nodes": []}
        registered = "Functional" if class_name_ == "Functional" else None
        entry = {"module": module, "class_name": class_name_, "config": config,
                 "registered_name": registered,
                 "build_config": {"input_shape": shapes[0] if len(shapes) == 1 else shapes},
                 "name": config["name"], "inbound_nodes": []}
        return entry

    def inbound_node(self, inputs):
        if self.form != "keras3":
            return [[t.layer, t.node, 0, {}] for t in inputs]
        tensors = [{"class_name": "__keras_tensor__",
                    "config": {"shape": t.shape, "dtype": "float32",
                               "keras_history": [t.layer, t.node, 0]}} for t in inputs]
        return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": {}}

    def model(self, name, inputs, outputs):
        """The Functional's config, and the whole document as model.to_json() writes it."""
        config = {"name": name}
        if self.form == "keras3":
            config["trainable"] = True
        config.update({"layers": self.layers,
                       "input_layers": [[t.layer, t.node, 0] for t in inputs],
                       "output_layers": [[t.layer, t.node, 0] for t in outputs]})
        if self.form == "keras3":
            return {"module": "keras.src.models.functional", "class_name": "Functional",
                    "config": config, "registered_name": "Functional",
                    "build_config": {"input_shape": None}}
        if self.form == "tfjs":
            return {"class_name": "Model", "config": config, **TFJS_VERSION}
        return {"class_name": "Functional", "config": config, **TF_KERAS2_VERSION}

    # The layers, as this builder's generation writes them.
    def conv(self, name, filters, kernel, x, strides=1, padding="same", activation="linear",
             use_bias=True, rank=2):
        recipe = conv(rank, filters, kernel, strides, padding, activation=activation,
                      use_bias=use_bias)
        return self.call(f"Conv{rank}D", recipe_config(self.form, recipe, name, self.fmt), x)

    def transpose(self, name, filters, kernel, strides, x, padding="valid", activation="linear"):
        recipe = transpose(2, filters, kernel, strides, padding, activation=activation)
        return self.call("Conv2DTranspose", recipe_config(self.form, recipe, name, self.fmt), x)

    def crop(self, name, cropping, x):
        return self.call("Cropping2D", recipe_config(self.form, crop(2, cropping), name, self.fmt), x)

    def pool(self, name, op, rank, size, x):
        """MaxPooling / AveragePooling of `rank`, 'valid', strides the window's."""
        args = {"pool_size": [size] * rank, "padding": "valid", "strides": [size] * rank,
                "data_format": self.fmt}
        return self.call(f"{op}Pooling{rank}D", simple_config(self.form, name, **args), x)

    def global_pool(self, name, op, rank, x):
        args = {"data_format": self.fmt}
        if self.form != "tfjs":
            args["keepdims"] = False
        return self.call(f"Global{op}Pooling{rank}D", simple_config(self.form, name, **args), x)

    def dropout(self, name, rate, x):
        return self.call("Dropout", simple_config(self.form, name, rate=rate, noise_shape=None,
                                                  seed=None), x)

    def upsample(self, name, size, x):
        recipe = upsample(2, [size, size])
        return self.call("UpSampling2D", recipe_config(self.form, recipe, name, self.fmt), x)

    def bn(self, name, x):
        return self.call("BatchNormalization", bn_config(self.form, name, self.fmt, 2), x)

    def relu(self, name, x):
        return self.call("ReLU", simple_config(self.form, name, max_value=None,
                                               negative_slope=0.0, threshold=0.0), x)

    def activation(self, name, act, x):
        return self.call("Activation", simple_config(self.form, name, activation=act), x)

    def merge(self, class_name_, name, *xs, axis=None):
        args = {} if axis is None else {"axis": axis}
        return self.call(class_name_, simple_config(self.form, name, **args), *xs)

    def max_pool(self, name, pool, x):
        return self.call("MaxPooling2D", simple_config(self.form, name,
                                                       **pool_args(pool, self.fmt)), x)

    def gap(self, name, x):
        args = {"data_format": self.fmt}
        if self.form != "tfjs":
            args["keepdims"] = False
        return self.call("GlobalAveragePooling2D", simple_config(self.form, name, **args), x)

    def flatten(self, name, x):
        return self.call("Flatten", simple_config(self.form, name, data_format=self.fmt), x)

    def dense(self, name, units, x, activation="linear"):
        return self.call("Dense", dense_config(self.form, name, units, activation), x)


# --- The functional models ------------------------------------------------------------

def resnet_block():
    b = FnBuilder("tf_keras2", CL)
    x = b.input([None, 8, 8, 3], "input_1")
    y = b.conv("conv2d", 4, 3, x, use_bias=False)
    y = b.activation("activation", "relu", b.bn("batch_normalization", y))
    y = b.bn("batch_normalization_1", b.conv("conv2d_1", 4, 3, y, use_bias=False))
    shortcut = b.conv("conv2d_2", 4, 1, x)
    y = b.relu("re_lu", b.merge("Add", "add", y, shortcut))
    y = b.dense("dense", 5, b.gap("global_average_pooling2d", y), activation="softmax")
    return b.model("resnet_block", [x], [y])


def unet_mini():
    b = FnBuilder("keras3", CL)
    x = b.input([None, 8, 8, 2], "input_layer")
    skip = b.conv("conv2d", 4, 3, x, activation="relu")
    y = b.conv("conv2d_1", 6, 3, b.max_pool("max_pooling2d", 2, skip), activation="relu")
    y = b.merge("Concatenate", "concatenate", b.upsample("up_sampling2d", 2, y), skip, axis=-1)
    y = b.conv("conv2d_2", 3, 3, y, activation="sigmoid")
    return b.model("unet_mini", [x], [y])


def shared_conv():
    b = FnBuilder("tf_keras2", CL)
    x = b.input([None, 6, 7, 3], "input_1")
    pre = b.conv("conv2d", 4, 1, x)
    once = b.conv("conv2d_1", 4, 3, pre, activation="tanh")
    twice = b.conv("conv2d_1", 4, 3, once, activation="tanh")  # the same layer again
    y = b.merge("Multiply", "multiply", b.merge("Subtract", "subtract", twice, pre), once)
    return b.model("model", [x], [y])


def siamese_backbone():
    """tf.keras 2: a Sequential backbone (its own InputLayer) called on the input and on a
    1x1 conv of it."""
    b = FnBuilder("tf_keras2", CL)
    inner = [{"class_name": "InputLayer", "config": {
                 "batch_input_shape": [None, 8, 8, 2], "dtype": "float32", "sparse": False,
                 "ragged": False, "name": "input_2"}},
             {"class_name": "Conv2D", "config": recipe_config(
                 "tf_keras2", conv(2, 3, 3, activation="relu"), "conv2d_1", CL)},
             {"class_name": "MaxPooling2D", "config": simple_config(
                 "tf_keras2", "max_pooling2d", **pool_args(2, CL))}]
    backbone = {"name": "backbone", "layers": inner}
    x = b.input([None, 8, 8, 2], "input_1")
    left = b.call("Sequential", backbone, x)
    right = b.call("Sequential", backbone, b.conv("conv2d", 2, 1, x))
    y = b.flatten("flatten", b.merge("Subtract", "subtract", left, right))
    return b.model("siamese", [x], [b.dense("dense", 3, y, activation="tanh")])


def transfer_learning():
    """Keras 3: Sequential([Input, base, GlobalAveragePooling2D, Dense]) with a Functional
    base, as fine-tuning code builds it."""
    base = FnBuilder("keras3", CL)
    x = base.input([None, 8, 8, 3], "input_layer")
    y = base.relu("re_lu", base.bn("batch_normalization",
                                    base.conv("conv2d", 4, 3, x, strides=2, use_bias=False)))
    y = base.conv("conv2d_1", 6, 3, y, activation="relu")
    base_doc = base.model("base", [x], [y])
    shape = [None, 8, 8, 3]
    probe = GraphRun("shapes", 3, zeros=True)
    value = torch.zeros([1] + shape[1:], dtype=torch.float64)
    layers = [keras3_object("keras.layers", "InputLayer", {
        "batch_shape": shape, "dtype": "float32", "sparse": False, "name": "input_layer_1"})]
    for entry in (base_doc,
                  keras3_object("keras.layers", "GlobalAveragePooling2D", simple_config(
                      "keras3", "global_average_pooling2d", data_format=CL, keepdims=False)),
                  keras3_object("keras.layers", "Dense", dense_config("keras3", "dense", 4,
                                                                      "softmax"))):
        entry = dict(entry, build_config={"input_shape": [None] + list(value.shape[1:])})
        value = probe.layer(entry, [value], ())
        layers.append(entry)
    model = keras3_object("keras", "Sequential", {
        "name": "sequential", "trainable": True, "dtype": DTYPE_POLICY, "layers": layers,
        "build_input_shape": shape})
    model["build_config"] = {"input_shape": shape}
    return model


def two_outputs():
    b = FnBuilder("keras3", CL)
    x = b.input([None, 7, 6, 3], "input_layer")
    trunk = b.conv("conv2d", 5, 3, x, activation="relu")
    mask = b.conv("conv2d_1", 2, 1, trunk, activation="sigmoid")
    scores = b.dense("dense", 3, b.gap("global_average_pooling2d", trunk), activation="softmax")
    return b.model("two_heads", [x], [scores, mask])  # not config order


def tfjs_saved_graph():
    b = FnBuilder("tfjs", CL)
    x = b.input([None, 8, 8, 3], "input1")
    y = b.conv("conv2d_Conv2D1", 4, 3, x, activation="relu")
    y = b.merge("Add", "add_Add1", y, b.conv("conv2d_Conv2D2", 4, 3, y))
    y = b.max_pool("max_pooling2d_MaxPooling2D1", 2, y)
    side = b.conv("conv2d_Conv2D3", 2, 3, x, strides=2, use_bias=False)
    y = b.merge("Concatenate", "concatenate_Concatenate1", y, side, axis=-1)
    y = b.gap("global_average_pooling2d_GlobalAveragePooling2D1", y)
    return b.model("model1", [x], [b.dense("dense_Dense1", 3, y, activation="softmax")])


def channels_first():
    b = FnBuilder("keras3", CF)
    x = b.input([None, 3, 8, 6], "input_layer")
    first = b.conv("conv2d", 4, 3, x, activation="relu")
    normed = b.bn("batch_normalization", first)
    y = b.conv("conv2d_1", 4, 3, b.max_pool("max_pooling2d", 2, normed))
    y = b.merge("Add", "add", b.upsample("up_sampling2d", 2, y), normed)
    y = b.merge("Concatenate", "concatenate", y, first, axis=1)
    return b.model("functional_cf", [x], [b.conv("conv2d_2", 2, 1, y, activation="tanh")])


def vgg_style():
    """TensorFlow.js: two conv blocks (Conv2D relu, BatchNormalization, Conv2D relu,
    MaxPooling2D), Flatten, Dropout, Dense relu, Dense softmax."""
    b = FnBuilder("tfjs", CL)
    x = b.input([None, 12, 12, 3], "input1")
    y = b.conv("conv2d_Conv2D1", 4, 3, x, activation="relu")
    y = b.conv("conv2d_Conv2D2", 4, 3, b.bn("batch_normalization_BatchNormalization1", y),
               activation="relu")
    y = b.pool("max_pooling2d_MaxPooling2D1", "Max", 2, 2, y)
    y = b.conv("conv2d_Conv2D3", 6, 3, y, activation="relu", padding="valid")
    y = b.pool("max_pooling2d_MaxPooling2D2", "Max", 2, 2, y)
    y = b.dropout("dropout_Dropout1", 0.5, b.flatten("flatten_Flatten1", y))
    y = b.dense("dense_Dense1", 8, y, activation="relu")
    return b.model("vgg_style", [x], [b.dense("dense_Dense2", 4, y, activation="softmax")])


def unet_transpose_crop():
    """TensorFlow.js: a U-Net step that upsamples with Conv2DTranspose and crops the skip to
    fit (Cropping2D), then concatenates them, as the original U-Net does."""
    b = FnBuilder("tfjs", CL)
    x = b.input([None, 12, 12, 2], "input1")
    skip = b.conv("conv2d_Conv2D1", 4, 3, x, activation="relu")
    y = b.pool("max_pooling2d_MaxPooling2D1", "Max", 2, 2, skip)
    y = b.conv("conv2d_Conv2D2", 6, 3, y, activation="relu", padding="valid")
    y = b.transpose("conv2d_transpose_Conv2DTranspose1", 4, 2, 2, y)
    cropped = b.crop("cropping2d_Cropping2D1", [[2, 2], [2, 2]], skip)
    y = b.merge("Concatenate", "concatenate_Concatenate1", y, cropped, axis=-1)
    return b.model("unet_transpose", [x], [b.conv("conv2d_Conv2D3", 3, 1, y, activation="sigmoid")])


def sequence_classifier():
    """TensorFlow.js: Conv1D relu, MaxPooling1D, Conv1D relu, GlobalAveragePooling1D, Dense
    softmax over a (20, 3) sequence."""
    b = FnBuilder("tfjs", CL)
    x = b.input([None, 20, 3], "input1")
    y = b.conv("conv1d_Conv1D1", 6, 3, x, activation="relu", padding="valid", rank=1)
    y = b.pool("max_pooling1d_MaxPooling1D1", "Max", 1, 2, y)
    y = b.conv("conv1d_Conv1D2", 8, 3, y, activation="relu", rank=1)
    y = b.global_pool("global_average_pooling1d_GlobalAveragePooling1D1", "Average", 1, y)
    return b.model("sequence_classifier", [x], [b.dense("dense_Dense1", 3, y, activation="softmax")])


def volume_classifier():
    """TensorFlow.js: Conv3D relu, MaxPooling3D, Conv3D, GlobalMaxPooling3D, Dense softmax
    over a (6, 8, 8, 2) volume."""
    b = FnBuilder("tfjs", CL)
    x = b.input([None, 6, 8, 8, 2], "input1")
    y = b.conv("conv3d_Conv3D1", 4, 3, x, activation="relu", rank=3)
    y = b.pool("max_pooling3d_MaxPooling3D1", "Max", 3, 2, y)
    y = b.conv("conv3d_Conv3D2", 4, 3, y, rank=3)
    y = b.global_pool("global_max_pooling3d_GlobalMaxPooling3D1", "Max", 3, y)
    return b.model("volume_classifier", [x], [b.dense("dense_Dense1", 2, y, activation="softmax")])


@dataclass
class FnModel:
    name: str
    covers: str
    build: object  # () -> the model document
    batch: int = 1


FUNCTIONAL = [
    FnModel("tf_keras2_fn_resnet_block_batch2",
            "tf.keras 2 Functional, a ResNet basic block: Conv2D (no bias), "
            "BatchNormalization, Activation relu, Conv2D, BatchNormalization, 1x1 Conv2D "
            "shortcut, Add, ReLU, GlobalAveragePooling2D, Dense softmax; batch 2",
            resnet_block, 2),
    FnModel("keras3_fn_unet_mini",
            "Keras 3 Functional, a U-Net step: Conv2D relu, MaxPooling2D, Conv2D relu, "
            "UpSampling2D, Concatenate (axis -1) with the skip, Conv2D sigmoid", unet_mini),
    FnModel("tf_keras2_fn_shared_conv_batch2",
            "tf.keras 2: one Conv2D (tanh) called twice (nodes 0 and 1, one set of weights), "
            "Subtract, Multiply with the first call; summary: total params only; batch 2",
            shared_conv, 2),
    FnModel("tf_keras2_fn_nested_sequential_siamese",
            "tf.keras 2 Functional with a nested Sequential backbone (Conv2D relu, "
            "MaxPooling2D) called twice, on the input and on a 1x1 Conv2D of it; Subtract, "
            "Flatten, Dense tanh; the backbone's weights first, in place",
            siamese_backbone),
    FnModel("keras3_seq_transfer_functional_base_batch2",
            "Keras 3 Sequential holding a Functional base (Conv2D s 2 no bias, "
            "BatchNormalization, ReLU, Conv2D relu), then GlobalAveragePooling2D and Dense "
            "softmax: the transfer-learning pattern, a chain once flattened; batch 2",
            transfer_learning, 2),
    FnModel("keras3_fn_two_outputs_batch2",
            "Keras 3 Functional, two outputs: output_layers [dense (GlobalAveragePooling2D, "
            "Dense softmax), conv2d_1 (1x1 Conv2D sigmoid)], not in config order: "
            "expected_0.npy, expected_1.npy; batch 2", two_outputs, 2),
    FnModel("tfjs_fn_saved_model_json",
            "TensorFlow.js saved model.json, class_name Model: Conv2D relu, Conv2D, Add, "
            "MaxPooling2D, a strided Conv2D (no bias) branch from the input, Concatenate, "
            "GlobalAveragePooling2D, Dense softmax", tfjs_saved_graph),
    FnModel("keras3_fn_channels_first_batch2",
            "Keras 3 Functional channels_first: Conv2D relu, BatchNormalization axis 1, "
            "MaxPooling2D, Conv2D, UpSampling2D, Add, Concatenate axis 1, 1x1 Conv2D tanh; "
            "batch 2", channels_first, 2),
    FnModel("tfjs_fn_vgg_style_batch2",
            "TensorFlow.js Model, VGG-style: Conv2D relu, BatchNormalization, Conv2D relu, "
            "MaxPooling2D, Conv2D relu (valid), MaxPooling2D, Flatten, Dropout, Dense relu, "
            "Dense softmax; batch 2", vgg_style, 2),
    FnModel("tfjs_fn_unet_transpose_crop",
            "TensorFlow.js Model, a U-Net step: Conv2D relu, MaxPooling2D, Conv2D relu (valid), "
            "Conv2DTranspose 2x2 stride 2, Cropping2D of the skip, Concatenate, 1x1 Conv2D "
            "sigmoid", unet_transpose_crop),
    FnModel("tfjs_fn_conv1d_sequence_classifier_batch2",
            "TensorFlow.js Model, a sequence classifier: Conv1D relu (valid), MaxPooling1D, "
            "Conv1D relu, GlobalAveragePooling1D, Dense softmax; batch 2", sequence_classifier, 2),
    FnModel("tfjs_fn_conv3d_volume_classifier",
            "TensorFlow.js Model, a volume classifier: Conv3D relu, MaxPooling3D, Conv3D, "
            "GlobalMaxPooling3D, Dense softmax", volume_classifier),
]


def tfjs_graph_saved(topology, run, order):
    weights = [{"name": f"{key[-1]}/{short}", "shape": list(a.shape), "dtype": "float32"}
               for key in order for short, a in zip(run.names.get(key, []),
                                                   run.weights.get(key, []))]
    return {"modelTopology": topology, "format": "layers-model",
            "generatedBy": "TensorFlow.js tfjs-layers v4.10.0", "convertedBy": None,
            "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": weights}]}


def run_functional(fm, doc):
    """The input, the weights in get_weights() order, the outputs in output_layers order and
    the summary: a row per layer of the outer model as Keras lists it (a nested model one
    row, a shared layer's output shape "multiple"), no InputLayer row."""
    declared = declared_input(doc)
    assert None not in declared[1:], "functional models here declare their whole shape"
    x = signed_values(case_rng(fm.name), [fm.batch] + declared[1:], 0.25, 1.25)
    run = GraphRun(fm.name, generation_of(doc))
    outputs = run.model(doc, [torch.from_numpy(x).to(torch.float64)])
    order = list(weight_order(doc))
    assert set(run.weights) <= set(order), "a layer with weights outside the config"
    rows = []
    for entry in config_layers(doc):
        if entry["class_name"] == "InputLayer":
            continue
        key = (entry_name(entry),)
        calls = run.calls[key]
        params = sum(a.size for k, ws in run.weights.items() if k[:1] == key for a in ws)
        rows.append({"name": key[0], "class_name": entry["class_name"],
                     "output_shape": calls[0] if len(calls) == 1 else "multiple",
                     "params": int(params)})
    summary = {"name": doc["config"]["name"], "layers": rows,
               "total_params": sum(r["params"] for r in rows)}
    return x, run, order, [as_float32(y) for y in outputs], summary


def write_shards(folder, doc, weights):
    """The shard files the manifest names, as tf.LayersModel.save() writes them: every weight
    as little-endian float32, back to back in manifest order, the group's bytes split across
    its paths (tfjs splits at 4 MiB; these models are far smaller, so one shard each)."""
    data = b"".join(np.ascontiguousarray(w, dtype="<f4").tobytes() for w in weights)
    manifest = doc["weightsManifest"]
    assert len(manifest) == 1 and len(manifest[0]["paths"]) == 1, "one group of one shard here"
    assert sum(math.prod(w["shape"]) for w in manifest[0]["weights"]) * 4 == len(data)
    (folder / manifest[0]["paths"][0]).write_bytes(data)


def write_functional(fm):
    doc = fm.build()
    x, run, order, outputs, summary = run_functional(fm, doc)
    form = fm.name.split("_fn_")[0].split("_seq_")[0]
    if form == "tfjs":
        doc = tfjs_graph_saved(doc, run, order)
    folder = MODELS_DIR / fm.name
    folder.mkdir(parents=True)
    (folder / "model.json").write_text(
        json.dumps(doc, separators=(",", ":")) if form == "tfjs" else json.dumps(doc))
    save_weights(folder / "weights.npz", [w for key in order for w in run.weights.get(key, [])])
    if form == "tfjs":
        write_shards(folder, doc, [w for key in order for w in run.weights.get(key, [])])
    np.save(folder / "input.npy", x)
    if len(outputs) == 1:
        np.save(folder / "expected.npy", outputs[0])
    else:
        for i, y in enumerate(outputs):
            np.save(folder / f"expected_{i}.npy", y)
    (folder / "summary.json").write_text(summary_text(summary))


# ---------------------------------------------------------------------------------------
# Writing.

@contextlib.contextmanager
def fixed_zip_time():
    """np.savez stamps each member with the current time; fix it to the zip epoch so that two
    runs give the same bytes. Nothing else about np.savez's output changes."""
    real = zipfile.time

    class FixedTime:
        @staticmethod
        def time():
            return 0.0

        @staticmethod
        def localtime(_=None):
            return (1980, 1, 1, 0, 0, 0, 1, 1, 0)

    zipfile.time = FixedTime
    try:
        yield
    finally:
        zipfile.time = real


def save_weights(path, weights):
    with fixed_zip_time():
        np.savez(path, *weights)
    with np.load(path) as back:
        assert list(back.keys()) == [f"arr_{i}" for i in range(len(weights))]


def summary_text(summary):
    """summary.json with one layer row a line."""
    if "error" in summary:
        return json.dumps(summary) + "\n"
    rows = ",\n".join("    " + json.dumps(r) for r in summary["layers"])
    return (f'{{\n  "name": {json.dumps(summary["name"])},\n  "layers": [\n{rows}\n  ],\n'
            f'  "total_params": {summary["total_params"]}\n}}\n')


def model_text(m, doc):
    # As each generation writes it: Python's json.dumps, or JavaScript's JSON.stringify.
    if m.form.startswith("tfjs"):
        return json.dumps(doc, separators=(",", ":"))
    return json.dumps(doc)


def write_model(m):
    doc = model_json(m)
    x, groups, y, summary = run_model(m, doc)
    if m.form in ("tfjs_saved", "tfjs_saved_no_dm"):
        doc = tfjs_saved(doc, [[w.shape for w in group] for group in groups])
    if m.form == "tfjs_saved_no_dm":
        # What tfjs-layers writes (tfjs issue 6083): no depth_multiplier in the configs, after
        # the run above used it.
        for layer in doc["modelTopology"]["config"]["layers"]:
            layer["config"].pop("depth_multiplier", None)
    weights = [w for group in groups for w in group]
    if m.drop_last_weight:
        weights = weights[:-1]
    folder = MODELS_DIR / m.name
    folder.mkdir(parents=True)
    (folder / "model.json").write_text(model_text(m, doc))
    if weights:
        save_weights(folder / "weights.npz", weights)
    if m.form in ("tfjs_saved", "tfjs_saved_no_dm"):
        write_shards(folder, doc, [w for group in groups for w in group])
    np.save(folder / "input.npy", x)
    if m.error is None:
        np.save(folder / "expected.npy", y)
        (folder / "summary.json").write_text(summary_text(summary))
    else:
        (folder / "summary.json").write_text(summary_text({"error": m.error}))


def main():
    torch.set_num_threads(1)  # one summation order, whatever the machine
    names = [m.name for m in MODELS + FUNCTIONAL]
    if len(set(names)) != len(names):
        sys.exit("duplicate model names")
    if MODELS_DIR.exists():
        shutil.rmtree(MODELS_DIR)  # the script owns models/: a removed model must not linger
    for m in MODELS:
        write_model(m)
    for m in FUNCTIONAL:
        write_functional(m)
    if "--table" in sys.argv:
        for m in MODELS + FUNCTIONAL:
            print(f"| `{m.name}` | {m.covers} |")
    print(f"wrote {len(names)} models to {MODELS_DIR}", file=sys.stderr)


if __name__ == "__main__":
    main()
