#!/usr/bin/python3
"""Golden values for Cropping1D/2D/3D and ZeroPadding1D/2D/3D, computed with PyTorch.

The point is independence from convscope: nothing here reads convscope's code. The
Keras argument forms are normalised by the small parser below, written from
shared/SEMANTICS.md, and the values come from torch slicing (crop) and
torch.nn.functional.pad (pad).

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tests/golden/make_golden.py
Each case becomes cases/<name>/{layer.json, input.npy, expected.npy}. Only the crop* and
pad* folders are replaced. The outputs are committed; CI only reads them. Seeding, writing
and the --table printout are in golden_common.py, shared with the other generators.
"""

import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
from golden_common import (CF, CL, DTYPE_POLICY, as_float32, case_rng, generate, is_int,
                           random_signs, signed_values, write_case_folder)


# ---------------------------------------------------------------------------------------
# Cases. `cfg` holds the argument (and data_format / dim_ordering where the case has one);
# keras3() and keras1() add the rest of the config the way each Keras version writes it.

def keras3(class_name, name, dtype="float32", **args):
    return {"class_name": class_name,
            "config": {"name": name, "trainable": True, "dtype": dtype, **args}}


def keras1(class_name, name, **args):
    return {"class_name": class_name, "config": {"name": name, "trainable": True, **args}}


CASES = [
    # --- Cropping1D (Keras 3 has no data_format for it: rows are axis 1) -----------------
    ("crop1d_int_batch2", "int 2 on both ends, batch 2",
     keras3("Cropping1D", "crop", cropping=2), (2, 9, 3), "f4"),
    ("crop1d_pair_asym", "pair (1, 3)",
     keras3("Cropping1D", "crop", cropping=[1, 3]), (1, 8, 4), "f4"),
    ("crop1d_zero", "pair (0, 0): identity",
     keras3("Cropping1D", "crop", cropping=[0, 0]), (1, 5, 2), "f4"),
    ("crop1d_leaves_one_step", "(3, 3) on 7 steps leaves exactly one",
     keras3("Cropping1D", "crop", cropping=[3, 3]), (2, 7, 2), "f4"),
    ("crop1d_cf_pair_batch2",
     "pair (2, 1), channels_first (a data_format Keras 3 does not give Cropping1D)",
     keras3("Cropping1D", "crop", cropping=[2, 1], data_format=CF), (2, 3, 9), "f4"),
    ("crop1d_keras1_pair_i32in", "Keras 1 config, pair (0, 2); int32 input cast to float32",
     keras1("Cropping1D", "crop_k1", cropping=[0, 2]), (1, 6, 3), "i4"),

    # --- Cropping2D ------------------------------------------------------------------------
    ("crop2d_int_cl_odd", "int 1 on 7x5",
     keras3("Cropping2D", "crop", cropping=1, data_format=CL), (1, 7, 5, 2), "f4"),
    ("crop2d_pairs_asym_cl_batch2", "pairs ((2, 0), (1, 3)), batch 2",
     keras3("Cropping2D", "crop", DTYPE_POLICY, cropping=[[2, 0], [1, 3]], data_format=CL),
     (2, 7, 6, 3), "f4"),
    ("crop2d_mixed_cf_batch3", "mixed (2, (0, 3)), channels_first, batch 3",
     keras3("Cropping2D", "crop", cropping=[2, [0, 3]], data_format=CF), (3, 2, 7, 5), "f4"),
    ("crop2d_zero_cf", "int 0: identity, channels_first",
     keras3("Cropping2D", "crop", cropping=0, data_format=CF), (1, 3, 4, 5), "f4"),
    ("crop2d_leaves_one_row_one_col", "((3, 3), (0, 4)) on 7x5 leaves 1x1",
     keras3("Cropping2D", "crop", cropping=[[3, 3], [0, 4]], data_format=CL), (1, 7, 5, 2), "f4"),
    ("crop2d_mixed_cl_f64in", "mixed ((1, 0), 1); float64 input cast to float32",
     keras3("Cropping2D", "crop", cropping=[[1, 0], 1], data_format=CL), (2, 5, 4, 2), "f8"),
    ("crop2d_keras1_th", "Keras 1 pairs, dim_ordering 'th'",
     keras1("Cropping2D", "crop_k1", cropping=[[1, 0], [2, 1]], dim_ordering="th"),
     (2, 3, 6, 7), "f4"),
    ("crop2d_dict_missing_keys_th", "dict {top_pad, right_pad} (missing keys 0), 'th'",
     keras1("Cropping2D", "crop_k1", cropping={"top_pad": 1, "right_pad": 2}, dim_ordering="th"),
     (1, 2, 5, 6), "f4"),

    # --- Cropping3D ------------------------------------------------------------------------
    ("crop3d_int_cl", "int 1 on every axis",
     keras3("Cropping3D", "crop", cropping=1, data_format=CL), (1, 5, 4, 6, 2), "f4"),
    ("crop3d_mixed_cl_batch2", "mixed ((1, 0), 2, (0, 1)), batch 2",
     keras3("Cropping3D", "crop", DTYPE_POLICY, cropping=[[1, 0], 2, [0, 1]], data_format=CL),
     (2, 4, 6, 5, 2), "f4"),
    ("crop3d_pairs_cf_odd_leaves_one", "((0, 2), (1, 1), (2, 0)) on 3x9x4; depth left at 1",
     keras3("Cropping3D", "crop", cropping=[[0, 2], [1, 1], [2, 0]], data_format=CF),
     (1, 2, 3, 9, 4), "f4"),
    ("crop3d_keras1_th", "Keras 1 pairs, dim_ordering 'th'",
     keras1("Cropping3D", "crop_k1", cropping=[[1, 1], [0, 1], [1, 0]], dim_ordering="th"),
     (1, 2, 4, 5, 3), "f4"),
    ("crop3d_keras1_tf", "Keras 1 pairs, dim_ordering 'tf'",
     keras1("Cropping3D", "crop_k1", cropping=[[0, 1], [2, 0], [1, 1]], dim_ordering="tf"),
     (1, 3, 4, 5, 2), "f4"),

    # --- ZeroPadding1D ---------------------------------------------------------------------
    ("pad1d_int_cl_batch2", "int 2, channels_last, batch 2",
     keras3("ZeroPadding1D", "pad", padding=2, data_format=CL), (2, 5, 3), "f4"),
    ("pad1d_pair_asym_cf", "pair (0, 3), channels_first",
     keras3("ZeroPadding1D", "pad", DTYPE_POLICY, padding=[0, 3], data_format=CF), (1, 3, 4), "f4"),
    ("pad1d_zero_cl", "pair (0, 0): identity",
     keras3("ZeroPadding1D", "pad", padding=[0, 0], data_format=CL), (1, 4, 2), "f4"),
    ("pad1d_larger_than_input_cf_batch2", "(6, 5) around 3 steps, channels_first",
     keras3("ZeroPadding1D", "pad", padding=[6, 5], data_format=CF), (2, 2, 3), "f4"),
    ("pad1d_no_data_format", "config without data_format (tf.keras 2): channels_last",
     keras3("ZeroPadding1D", "pad", padding=[1, 2]), (1, 5, 2), "f4"),
    ("pad1d_keras1_dict_left_only", "Keras 1 dict {left_pad: 2}, right_pad missing = 0",
     keras1("ZeroPadding1D", "pad_k1", padding={"left_pad": 2}), (1, 4, 3), "f4"),

    # --- ZeroPadding2D ---------------------------------------------------------------------
    ("pad2d_int_cl_odd", "int 1 around 7x5",
     keras3("ZeroPadding2D", "pad", padding=1, data_format=CL), (1, 7, 5, 2), "f4"),
    ("pad2d_mixed_cf_batch3", "mixed ((2, 0), 1), channels_first, batch 3",
     keras3("ZeroPadding2D", "pad", padding=[[2, 0], 1], data_format=CF), (3, 2, 5, 7), "f4"),
    ("pad2d_pairs_asym_cl_batch2", "pairs ((0, 3), (2, 1)), batch 2",
     keras3("ZeroPadding2D", "pad", DTYPE_POLICY, padding=[[0, 3], [2, 1]], data_format=CL),
     (2, 4, 3, 3), "f4"),
    ("pad2d_larger_than_input_cf", "((5, 4), (3, 6)) around 2x3",
     keras3("ZeroPadding2D", "pad", padding=[[5, 4], [3, 6]], data_format=CF), (1, 1, 2, 3), "f4"),
    ("pad2d_zero_cl", "all-zero pairs: identity",
     keras3("ZeroPadding2D", "pad", padding=[[0, 0], [0, 0]], data_format=CL), (1, 3, 3, 2), "f4"),
    ("pad2d_mixed_cl_i32in", "mixed (1, (0, 2)); int32 input cast to float32",
     keras3("ZeroPadding2D", "pad", padding=[1, [0, 2]], data_format=CL), (1, 3, 4, 2), "i4"),
    ("pad2d_keras1_dict_th", "Keras 1 dict, all four keys, 'th'",
     keras1("ZeroPadding2D", "zp",
            padding={"top_pad": 1, "bottom_pad": 2, "left_pad": 0, "right_pad": 3},
            dim_ordering="th"),
     (1, 2, 4, 5), "f4"),
    ("pad2d_keras1_dict_partial_tf", "Keras 1 dict {bottom_pad, left_pad} (missing keys 0), 'tf'",
     keras1("ZeroPadding2D", "zp", padding={"bottom_pad": 2, "left_pad": 1}, dim_ordering="tf"),
     (2, 3, 4, 2), "f4"),
    ("pad2d_keras1_tuple4_th", "Keras 1 4-tuple (top, bottom, left, right) = (1, 0, 2, 3), 'th'",
     keras1("ZeroPadding2D", "zp", padding=[1, 0, 2, 3], dim_ordering="th"), (1, 3, 5, 4), "f4"),
    ("pad2d_keras1_tuple4_tf", "Keras 1 4-tuple (0, 2, 3, 1), 'tf'",
     keras1("ZeroPadding2D", "zp", padding=[0, 2, 3, 1], dim_ordering="tf"), (2, 3, 3, 2), "f4"),

    # --- ZeroPadding3D ---------------------------------------------------------------------
    ("pad3d_int_cl", "int 1 on every axis",
     keras3("ZeroPadding3D", "pad", padding=1, data_format=CL), (1, 3, 4, 2, 2), "f4"),
    ("pad3d_mixed_cf_odd_batch2", "mixed ((1, 0), 2, (0, 1)) around 3x9x4, channels_first",
     keras3("ZeroPadding3D", "pad", DTYPE_POLICY, padding=[[1, 0], 2, [0, 1]], data_format=CF),
     (2, 2, 3, 9, 4), "f4"),
    ("pad3d_pairs_asym_cl", "pairs ((0, 2), (3, 0), (1, 2)); padding as large as rows and columns",
     keras3("ZeroPadding3D", "pad", padding=[[0, 2], [3, 0], [1, 2]], data_format=CL),
     (1, 2, 3, 2, 3), "f4"),
    ("pad3d_keras1_th", "Keras 1 per-axis symmetric (1, 0, 2), 'th'",
     keras1("ZeroPadding3D", "pad_k1", padding=[1, 0, 2], dim_ordering="th"),
     (1, 2, 3, 4, 2), "f4"),
    ("pad3d_keras1_tf", "Keras 1 per-axis symmetric (0, 1, 1), 'tf'",
     keras1("ZeroPadding3D", "pad_k1", padding=[0, 1, 1], dim_ordering="tf"),
     (2, 2, 3, 3, 2), "f4"),
]


# ---------------------------------------------------------------------------------------
# The argument parser: every Keras form -> ((before, after) per spatial axis, data_format).

def side_pair(item):
    if is_int(item):
        return (item, item)
    if isinstance(item, list) and len(item) == 2 and all(is_int(v) for v in item):
        return (item[0], item[1])
    raise ValueError(f"{item!r} is neither an int nor a pair")


DICT_KEYS = {1: [("left_pad", "right_pad")],
             2: [("top_pad", "bottom_pad"), ("left_pad", "right_pad")]}


def side_pairs(class_name, value, rank):
    if is_int(value):
        return [(value, value)] * rank
    if isinstance(value, dict):
        keys = DICT_KEYS[rank]
        unknown = set(value) - {k for pair in keys for k in pair}
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}")
        return [(value.get(b, 0), value.get(a, 0)) for b, a in keys]
    if rank == 1:
        return [side_pair(value)]
    if class_name == "ZeroPadding2D" and len(value) == 4:  # Keras 1: (top, bottom, left, right)
        return [(value[0], value[1]), (value[2], value[3])]
    if len(value) != rank:
        raise ValueError(f"{value!r} has {len(value)} items for a {rank}D layer")
    return [side_pair(item) for item in value]


def data_format(config):
    if config.get("data_format") is not None:
        return config["data_format"]
    return {"th": CF, "tf": CL}.get(config.get("dim_ordering"), CL)


def normalise(layer):
    class_name, config = layer["class_name"], layer["config"]
    rank = int(class_name[-2])
    key = "cropping" if class_name.startswith("Cropping") else "padding"
    pairs = side_pairs(class_name, config[key], rank)
    if any(v < 0 for pair in pairs for v in pair):
        raise ValueError(f"negative amount in {pairs}")
    return key, pairs, data_format(config)


# ---------------------------------------------------------------------------------------
# The values, in torch, in the layer's own layout.

def spatial_dims(ndim, fmt):
    rank = ndim - 2
    return list(range(1, 1 + rank)) if fmt == CL else list(range(2, 2 + rank))


def crop(x, pairs, fmt):
    index = [slice(None)] * x.dim()
    for dim, (before, after) in zip(spatial_dims(x.dim(), fmt), pairs):
        n = x.shape[dim]
        if before + after >= n:
            raise ValueError(f"crop ({before}, {after}) leaves nothing of {n}")
        index[dim] = slice(before, n - after)
    return x[tuple(index)]


def pad(x, pairs, fmt):
    # F.pad lists (before, after) from the last dimension backwards; for channels_last
    # the channel axis comes last and gets (0, 0).
    flat = [0, 0] if fmt == CL else []
    for before, after in reversed(pairs):
        flat += [before, after]
    return F.pad(x, flat, mode="constant", value=0.0)


def expected(layer, x_np):
    key, pairs, fmt = normalise(layer)
    x = torch.from_numpy(x_np).to(torch.float32)
    y = crop(x, pairs, fmt) if key == "cropping" else pad(x, pairs, fmt)
    return as_float32(y)


# ---------------------------------------------------------------------------------------
# Inputs: nonzero everywhere, so that a padded zero cannot pass for an input value and a
# crop off by one shows. Seeded per case by name, so adding a case changes no other.

def make_input(name, shape, dtype):
    rng = case_rng(name)
    if dtype == "i4":
        # Odd values above 2**24 have no float32 of their own: the cast has to round.
        sign = random_signs(rng, shape)
        magnitude = rng.integers(1, 1 << 26, size=shape) | 1
        return (sign * magnitude).astype(np.int32)
    # float64 keeps bits that float32 drops
    return signed_values(rng, shape, 0.25, 2.0, np.float64 if dtype == "f8" else np.float32)


def write_case(name, layer, shape, dtype):
    x = make_input(name, shape, dtype)
    write_case_folder(name, layer, {"input": x, "expected": expected(layer, x)})


def main():
    # Only this script's own cases: the other generators share the folder.
    generate(CASES, write_case, ("crop", "pad"))


if __name__ == "__main__":
    main()
