#!/usr/bin/python3
"""Golden values for the pooling layers, computed with PyTorch.

MaxPooling1D/2D/3D, AveragePooling1D/2D/3D and GlobalMaxPooling / GlobalAveragePooling
1D/2D/3D. Nothing here reads convscope's code: configs are normalised by the small parser
below, written from shared/MODELS.md ("Pooling") and shared/SEMANTICS.md ("data_format",
"Keras 1 names"), and the values come from torch in float64, saved as float32:

- 'valid': F.max_poolNd / F.avg_poolNd with the window and strides, no padding;
- 'same': out = ceil(L / s) per axis, total padding max((out - 1) s + p - L, 0), before =
  total // 2, the rest after. Max pads explicitly with -inf (F.pad), then pools 'valid', so a
  padded position never wins. Average follows TensorFlow: the sum of the real elements
  divided by their count, computed as F.avg_poolNd of the zero-padded input over
  F.avg_poolNd of a zero-padded tensor of ones (both times the window volume, which cancels);
  where the padding is symmetric the script asserts that torch's own padding
  (count_include_pad=False for average) gives the same;
- global: amax / mean over the spatial axes, with keepdims as asked.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tests/golden/make_golden_pooling.py
    /usr/bin/python3 tests/golden/make_golden_pooling.py --table   # also prints the README table
Each case becomes cases/<name>/{layer.json, input.npy, expected.npy}. Only the folders of
this family (pool_*) are replaced. Seeding, writing and the --table printout are in
golden_common.py, shared with the other generators.
"""

import math
import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
from golden_common import (CF, CL, DTYPE_POLICY, as_float32, case_rng, from_channels_first,
                           generate, is_int, signed_values, to_channels_first,
                           write_case_folder)

FAMILY_PREFIXES = ("pool_",)


# ---------------------------------------------------------------------------------------
# Configs as Keras writes them. Keras 3 (BasePooling.get_config): pool_size, padding,
# strides as tuples (lists in JSON), data_format; global pooling: data_format, keepdims.

def snake(class_name):
    out = ""
    for i, ch in enumerate(class_name):
        if ch.isupper() and i and not class_name[i - 1].isupper():
            out += "_"
        out += ch.lower()
    return out


def keras3(class_name, dtype="float32", **args):
    return {"class_name": class_name,
            "config": {"name": snake(class_name), "trainable": True, "dtype": dtype, **args}}


def window3(class_name, pool, strides, padding, fmt, dtype="float32"):
    return keras3(class_name, dtype, pool_size=pool, padding=padding, strides=strides,
                  data_format=fmt)


def global3(class_name, fmt, keepdims, dtype="float32"):
    return keras3(class_name, dtype, data_format=fmt, keepdims=keepdims)


def bare(class_name, **args):
    # Keras 1 and TensorFlow.js: name, trainable and the layer's own keys only.
    return {"class_name": class_name,
            "config": {"name": class_name.lower() + "_1", "trainable": True, **args}}


# (name, what it covers, layer, input shape in the layer's data_format, batch first)
CASES = [
    # --- MaxPooling -------------------------------------------------------------------------
    ("pool_max1d_p2_cl_odd_batch2", "pool 2, strides 2 on 7 steps (floor), batch 2",
     window3("MaxPooling1D", [2], [2], "valid", CL), (2, 7, 3)),
    ("pool_max1d_p3_s1_same_cf", "pool 3, stride 1, 'same', channels_first",
     window3("MaxPooling1D", [3], [1], "same", CF), (1, 2, 8)),
    ("pool_max1d_p2_s3_valid", "stride 3 > pool 2: every third step skipped",
     window3("MaxPooling1D", [2], [3], "valid", CL), (1, 10, 2)),
    ("pool_max2d_p2_cl_odd_batch2", "2x2 on 7x5: the last row and column dropped, batch 2",
     window3("MaxPooling2D", [2, 2], [2, 2], "valid", CL, DTYPE_POLICY), (2, 7, 5, 3)),
    ("pool_max2d_p3_s2_same_cf", "3x3, strides 2, 'same' on 9x8, channels_first",
     window3("MaxPooling2D", [3, 3], [2, 2], "same", CF), (1, 3, 9, 8)),
    ("pool_max2d_p2x4_s1_same_even", "even pool (2, 4), strides 1, 'same': the odd pad after",
     window3("MaxPooling2D", [2, 4], [1, 1], "same", CL), (1, 6, 7, 2)),
    ("pool_max2d_p3_s1_same_1x1", "pool 3 'same' on a 1x1 map: every window one real element",
     window3("MaxPooling2D", [3, 3], [1, 1], "same", CL), (2, 1, 1, 3)),
    ("pool_max2d_p1_s2_cf", "pool 1, strides 2: subsampling, channels_first",
     window3("MaxPooling2D", [1, 1], [2, 2], "valid", CF), (1, 2, 5, 6)),
    ("pool_max2d_p2x3_s3x4_valid", "strides (3, 4) > pool (2, 3) on 11x10",
     window3("MaxPooling2D", [2, 3], [3, 4], "valid", CL), (1, 11, 10, 2)),
    ("pool_max2d_strides_null", "strides null: the window, (3, 2)",
     window3("MaxPooling2D", [3, 2], None, "valid", CL), (1, 7, 6, 2)),
    ("pool_max3d_p2_cl_batch2", "2x2x2 on 5x4x6, batch 2",
     window3("MaxPooling3D", [2, 2, 2], [2, 2, 2], "valid", CL), (2, 5, 4, 6, 2)),
    ("pool_max3d_p3x1x2_s1x2x1_same_cf", "(3, 1, 2), strides (1, 2, 1), 'same', channels_first",
     window3("MaxPooling3D", [3, 1, 2], [1, 2, 1], "same", CF), (1, 2, 4, 5, 3)),

    # --- AveragePooling ---------------------------------------------------------------------
    ("pool_avg1d_p3_s2_same_cl_batch2", "pool 3, stride 2, 'same': edge windows average 2",
     window3("AveragePooling1D", [3], [2], "same", CL), (2, 9, 3)),
    ("pool_avg1d_p4_s1_same_even", "even pool 4 'same', stride 1: 1 pad before, 2 after",
     window3("AveragePooling1D", [4], [1], "same", CL), (1, 7, 2)),
    ("pool_avg1d_p2_valid_cf", "pool 2 on 9 steps, channels_first",
     window3("AveragePooling1D", [2], [2], "valid", CF), (1, 3, 9)),
    ("pool_avg2d_p2_cl_batch2", "2x2 on 6x5, batch 2",
     window3("AveragePooling2D", [2, 2], [2, 2], "valid", CL, DTYPE_POLICY), (2, 6, 5, 3)),
    ("pool_avg2d_p3_s2_same_cl_odd", "3x3, strides 2, 'same' on 7x9",
     window3("AveragePooling2D", [3, 3], [2, 2], "same", CL), (1, 7, 9, 2)),
    ("pool_avg2d_p4x2_s1_same_cf", "even pool (4, 2), strides 1, 'same', channels_first",
     window3("AveragePooling2D", [4, 2], [1, 1], "same", CF), (1, 2, 6, 5)),
    ("pool_avg2d_p5_s3_same_small", "pool 5 > the 4x4 input, strides 3, 'same'",
     window3("AveragePooling2D", [5, 5], [3, 3], "same", CL), (1, 4, 4, 2)),
    ("pool_avg2d_p2x3_s3x4_valid", "strides (3, 4) > pool (2, 3) on 11x10, channels_first",
     window3("AveragePooling2D", [2, 3], [3, 4], "valid", CF), (2, 2, 11, 10)),
    ("pool_avg3d_p2_valid_cf", "2x2x2 on 5x4x3, channels_first",
     window3("AveragePooling3D", [2, 2, 2], [2, 2, 2], "valid", CF), (1, 2, 5, 4, 3)),
    ("pool_avg3d_p3_s2_same_cl", "3x3x3, strides 2, 'same' on 5x6x7",
     window3("AveragePooling3D", [3, 3, 3], [2, 2, 2], "same", CL), (1, 5, 6, 7, 2)),

    # --- Global pooling ---------------------------------------------------------------------
    ("pool_globalmax1d_cl_batch2", "GlobalMaxPooling1D -> (batch, channels)",
     global3("GlobalMaxPooling1D", CL, False), (2, 9, 3)),
    ("pool_globalavg1d_cf_keepdims", "GlobalAveragePooling1D, keepdims, channels_first",
     global3("GlobalAveragePooling1D", CF, True), (2, 3, 7)),
    ("pool_globalmax2d_cf_keepdims", "GlobalMaxPooling2D, keepdims, channels_first",
     global3("GlobalMaxPooling2D", CF, True), (1, 4, 5, 6)),
    ("pool_globalavg2d_cl_batch2", "GlobalAveragePooling2D -> (batch, channels), batch 2",
     global3("GlobalAveragePooling2D", CL, False, DTYPE_POLICY), (2, 5, 7, 3)),
    ("pool_globalavg2d_61x67_keepdims", "GlobalAveragePooling2D on 61x67, keepdims",
     global3("GlobalAveragePooling2D", CL, True), (1, 61, 67, 2)),
    ("pool_globalmax2d_61x67_cf", "GlobalMaxPooling2D on 61x67, channels_first",
     global3("GlobalMaxPooling2D", CF, False), (1, 2, 61, 67)),
    ("pool_globalavg2d_1x1_cf", "GlobalAveragePooling2D on a 1x1 map: the input itself",
     global3("GlobalAveragePooling2D", CF, False), (2, 3, 1, 1)),
    ("pool_globalmax3d_cl_keepdims", "GlobalMaxPooling3D, keepdims",
     global3("GlobalMaxPooling3D", CL, True), (1, 3, 4, 5, 2)),
    ("pool_globalavg3d_cf", "GlobalAveragePooling3D -> (batch, channels), channels_first",
     global3("GlobalAveragePooling3D", CF, False), (2, 2, 3, 4, 5)),

    # --- Other spellings: aliases, padding in capitals, TensorFlow.js, Keras 1 --------------
    ("pool_alias_maxpool2d_same", "class MaxPool2D (Keras 3 alias), 'same'",
     window3("MaxPool2D", [2, 2], [2, 2], "same", CL), (1, 5, 7, 2)),
    ("pool_alias_avgpool1d_same", "class AvgPool1D (Keras 3 alias), 'same'",
     window3("AvgPool1D", [3], [2], "same", CL), (1, 8, 2)),
    ("pool_alias_globalavgpool2d", "class GlobalAvgPool2D (Keras 3 alias)",
     global3("GlobalAvgPool2D", CL, False), (1, 4, 3, 2)),
    ("pool_padding_uppercase_same", "padding 'SAME': Keras lowercases it",
     window3("AveragePooling2D", [3, 3], [2, 2], "SAME", CL), (1, 5, 6, 2)),
    ("pool_tfjs_max1d_same", "TensorFlow.js MaxPooling1D: pool_size, padding, strides only",
     bare("MaxPooling1D", pool_size=[3], padding="same", strides=[2]), (1, 9, 2)),
    ("pool_tfjs_globalavg1d", "TensorFlow.js GlobalAveragePooling1D: no arguments",
     bare("GlobalAveragePooling1D"), (2, 6, 3)),
    ("pool_keras1_max1d_same", "Keras 1 MaxPooling1D(pool_length=3, stride=1, border_mode='same')",
     bare("MaxPooling1D", pool_length=3, stride=1, border_mode="same"), (1, 7, 2)),
    ("pool_keras1_avg1d_stride_null", "Keras 1 AveragePooling1D(pool_length=2, stride=None)",
     bare("AveragePooling1D", pool_length=2, stride=None, border_mode="valid"), (2, 7, 3)),
    ("pool_keras1_max2d_th_same", "Keras 1 MaxPooling2D, border_mode 'same', 'th'",
     bare("MaxPooling2D", pool_size=[3, 2], strides=[2, 2], border_mode="same", dim_ordering="th"),
     (1, 2, 7, 6)),
    ("pool_keras1_avg2d_tf_same", "Keras 1 AveragePooling2D, border_mode 'same', 'tf'",
     bare("AveragePooling2D", pool_size=[2, 3], strides=[1, 2], border_mode="same", dim_ordering="tf"),
     (1, 5, 7, 2)),
    ("pool_keras1_avg3d_th", "Keras 1 AveragePooling3D, 'th'",
     bare("AveragePooling3D", pool_size=[2, 2, 1], strides=None, border_mode="valid", dim_ordering="th"),
     (1, 2, 4, 5, 3)),
    ("pool_keras1_globalmax2d_th", "Keras 1 GlobalMaxPooling2D(dim_ordering='th')",
     bare("GlobalMaxPooling2D", dim_ordering="th"), (2, 3, 4, 5)),
]


# ---------------------------------------------------------------------------------------
# The parser: every config form -> what the layer computes.

ALIASES = {"MaxPool": "MaxPooling", "AvgPool": "AveragePooling",
           "GlobalMaxPool": "GlobalMaxPooling", "GlobalAvgPool": "GlobalAveragePooling"}


def parse(layer):
    name, c = layer["class_name"], layer["config"]
    rank = int(name[-2])
    stem = name[:-2]
    stem = ALIASES.get(stem, stem)
    is_global = stem.startswith("Global")
    op = "max" if "Max" in stem else "avg"
    if c.get("data_format") is not None:
        fmt = c["data_format"]
    else:
        fmt = {"th": CF, "tf": CL}.get(c.get("dim_ordering"), CL)
    if is_global:
        return {"global": True, "op": op, "rank": rank, "fmt": fmt,
                "keepdims": bool(c.get("keepdims", False))}

    def per_axis(value, what):
        v = [value] * rank if is_int(value) else list(value)
        if len(v) != rank or not all(is_int(x) and x >= 1 for x in v):
            raise ValueError(f"{name}: {what} {value!r}")
        return v

    pool = per_axis(c.get("pool_size", c.get("pool_length", 2)), "pool_size")
    strides = c.get("strides", c.get("stride"))
    strides = pool if strides is None else per_axis(strides, "strides")
    padding = str(c.get("padding", c.get("border_mode", "valid"))).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"{name}: padding {padding!r}")
    return {"global": False, "op": op, "rank": rank, "fmt": fmt, "pool": pool,
            "strides": strides, "padding": padding}


# ---------------------------------------------------------------------------------------
# The values, in torch float64, channels first.

POOL = {("max", 1): F.max_pool1d, ("max", 2): F.max_pool2d, ("max", 3): F.max_pool3d,
        ("avg", 1): F.avg_pool1d, ("avg", 2): F.avg_pool2d, ("avg", 3): F.avg_pool3d}


def same_pads(lengths, pool, strides):
    """(before, after) per spatial axis: TensorFlow's 'same'."""
    pads = []
    for n, p, s in zip(lengths, pool, strides):
        out = math.ceil(n / s)
        total = max((out - 1) * s + p - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def torch_pad(pads):
    """F.pad's argument: the last axis first."""
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]
    return flat


def window_pool(x, a):
    op, rank, pool, strides = a["op"], a["rank"], a["pool"], a["strides"]
    fn = POOL[(op, rank)]
    if a["padding"] == "valid":
        return fn(x, pool, strides)
    pads = same_pads(x.shape[2:], pool, strides)
    if op == "max":
        y = fn(F.pad(x, torch_pad(pads), value=-math.inf), pool, strides)
    else:
        padded_sum = fn(F.pad(x, torch_pad(pads)), pool, strides)
        padded_count = fn(F.pad(torch.ones_like(x), torch_pad(pads)), pool, strides)
        y = padded_sum / padded_count  # the window volume cancels
    out = [math.ceil(n / s) for n, s in zip(x.shape[2:], strides)]
    assert list(y.shape[2:]) == out, (list(y.shape), out)
    # Symmetric padding within torch's limit (at most half the window): torch's own padding
    # must agree, -inf for max and count_include_pad=False for average.
    if all(b == e and b <= p // 2 for (b, e), p in zip(pads, pool)):
        padding = [b for b, _ in pads]
        if op == "max":
            check = fn(x, pool, strides, padding)
        else:
            check = fn(x, pool, strides, padding, count_include_pad=False)
        if list(check.shape) == list(y.shape):
            assert torch.allclose(check, y, rtol=0, atol=1e-12), "torch's own padding disagrees"
    return y


def global_pool(x, a):
    dims = tuple(range(2, x.dim()))
    y = x.amax(dim=dims, keepdim=True) if a["op"] == "max" else x.mean(dim=dims, keepdim=True)
    return y


def expected(layer, x_np):
    a = parse(layer)
    x = to_channels_first(torch.from_numpy(x_np).to(torch.float64), a["fmt"])
    if not a["global"]:
        return as_float32(from_channels_first(window_pool(x, a), a["fmt"]))
    y = global_pool(x, a)
    if not a["keepdims"]:
        return as_float32(y.reshape(y.shape[0], y.shape[1]))  # (batch, channels) either way
    return as_float32(from_channels_first(y, a["fmt"]))


# ---------------------------------------------------------------------------------------

def write_case(name, layer, shape):
    x = signed_values(case_rng(name), shape, 0.25, 2.0)
    write_case_folder(name, layer, {"input": x, "expected": expected(layer, x)})


def main():
    generate(CASES, write_case, FAMILY_PREFIXES)


if __name__ == "__main__":
    main()
