#!/usr/bin/python3
"""Golden values for UpSampling1D/2D/3D, computed with PyTorch.

Nothing here reads convscope's code: configs are normalised by the small parser below,
written from shared/SEMANTICS.md ("UpSampling", "data_format"), and the values come from
torch in float64, saved as float32:

- nearest: torch.repeat_interleave along each spatial axis, checked against
  F.interpolate(mode="nearest") with the output size given;
- linear / bilinear / trilinear: F.interpolate(mode=..., align_corners=False) with the
  output size given (torch then maps with in/out, exactly 1/size for integer factors),
  checked against the same call with scale_factor.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tests/golden/make_golden_upsampling.py
    /usr/bin/python3 tests/golden/make_golden_upsampling.py --table   # also prints the README table
Each case becomes cases/<name>/{layer.json, input.npy, expected.npy}. Only the folders of
the families written here are replaced. The outputs are committed; CI only reads them.
Seeding, writing and the --table printout are in golden_common.py, shared with the other
generators.
"""

import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
from golden_common import (CF, CL, DTYPE_POLICY, as_float32, case_rng, from_channels_first,
                           generate, is_int, signed_values, to_channels_first,
                           write_case_folder)

# The case folders this script owns (and deletes before writing them again).
FAMILY_PREFIXES = ("upsampling1d_", "upsampling2d_", "upsampling3d_", "keras1_upsampling")

# The one linear mode each rank takes: Keras' 'bilinear' for 2D, convscope's extensions
# 'linear' (1D) and 'trilinear' (3D). They are also torch's mode names.
LINEAR_MODE = {1: "linear", 2: "bilinear", 3: "trilinear"}


# ---------------------------------------------------------------------------------------
# Configs. keras3() writes the base keys the way Keras 3 get_config() does, then the
# arguments in the order given: UpSampling1D has `size` only, UpSampling2D `size`,
# `data_format`, `interpolation`, UpSampling3D `size`, `data_format`. Anything beyond that
# is a convscope extension, listed in the README.

def keras3(class_name, dtype="float32", **args):
    name = "up_sampling" + class_name[-2:].lower()  # Keras 3's default: to_snake_case
    return {"class_name": class_name,
            "config": {"name": name, "trainable": True, "dtype": dtype, **args}}


def keras1(class_name, **args):
    # Keras 1: UpSampling1D(length), UpSampling2D/3D(size, dim_ordering).
    return {"class_name": class_name,
            "config": {"name": class_name.lower() + "_1", "trainable": True, **args}}


# (name, what it covers, layer, input shape in the layer's data_format, batch first)
CASES = [
    # --- UpSampling1D, Keras 3 form: `size` (an int) and nothing else ----------------------
    ("upsampling1d_size2_batch2", "size 2, batch 2",
     keras3("UpSampling1D", size=2), (2, 5, 3)),
    ("upsampling1d_size3_odd", "size 3 on 7 steps",
     keras3("UpSampling1D", size=3), (1, 7, 2)),
    ("upsampling1d_size1_identity", "size 1: identity",
     keras3("UpSampling1D", size=1), (1, 4, 3)),
    ("upsampling1d_size4_length1_batch2", "size 4 on a 1-step input, batch 2",
     keras3("UpSampling1D", size=4), (2, 1, 3)),
    ("upsampling1d_no_size", "no `size` key: the default 2",
     keras3("UpSampling1D"), (1, 3, 2)),

    # --- UpSampling1D, convscope extension: data_format and interpolation 'linear' -------
    ("upsampling1d_nearest_cf_batch2", "nearest, size 2, channels_first, batch 2",
     keras3("UpSampling1D", size=2, data_format=CF, interpolation="nearest"), (2, 3, 5)),
    ("upsampling1d_linear_size3_cl_batch2", "linear, size 3, channels_last, batch 2",
     keras3("UpSampling1D", size=3, data_format=CL, interpolation="linear"), (2, 5, 3)),
    ("upsampling1d_linear_size2_cf_odd", "linear, size 2 on 7 steps, channels_first",
     keras3("UpSampling1D", size=2, data_format=CF, interpolation="linear"), (1, 3, 7)),
    ("upsampling1d_linear_size4_length2_cf", "linear, size 4 on 2 steps: clamped at both ends",
     keras3("UpSampling1D", size=4, data_format=CF, interpolation="linear"), (1, 2, 2)),
    ("upsampling1d_linear_size5_length1_cl", "linear, size 5 on 1 step: every output the input",
     keras3("UpSampling1D", size=5, data_format=CL, interpolation="linear"), (1, 1, 3)),

    # --- UpSampling2D -----------------------------------------------------------------------
    ("upsampling2d_nearest_2x2_cl_batch2", "nearest, size (2, 2) on 5x3, batch 2",
     keras3("UpSampling2D", size=[2, 2], data_format=CL, interpolation="nearest"),
     (2, 5, 3, 2)),
    ("upsampling2d_nearest_int3_cf", "nearest, size as int 3, channels_first",
     keras3("UpSampling2D", size=3, data_format=CF, interpolation="nearest"), (1, 2, 3, 4)),
    ("upsampling2d_nearest_aniso_3x1_cl_odd", "nearest, size (3, 1) on 5x3: columns kept",
     keras3("UpSampling2D", size=[3, 1], data_format=CL, interpolation="nearest"),
     (1, 5, 3, 2)),
    ("upsampling2d_nearest_aniso_1x2_cf_batch2", "nearest, size (1, 2) on 1x7, batch 2",
     keras3("UpSampling2D", DTYPE_POLICY, size=[1, 2], data_format=CF,
            interpolation="nearest"),
     (2, 3, 1, 7)),
    ("upsampling2d_no_args_defaults", "no size, data_format, interpolation: 2x2 nearest, channels_last",
     keras3("UpSampling2D"), (1, 3, 2, 2)),
    ("upsampling2d_bilinear_2x2_cl_batch2", "bilinear, size (2, 2) on 5x3, batch 2",
     keras3("UpSampling2D", size=[2, 2], data_format=CL, interpolation="bilinear"),
     (2, 5, 3, 3)),
    ("upsampling2d_bilinear_int4_1x1_cf", "bilinear, size 4 on 1x1: every output the input",
     keras3("UpSampling2D", size=4, data_format=CF, interpolation="bilinear"), (1, 3, 1, 1)),
    ("upsampling2d_bilinear_4x4_2x1_cl", "bilinear, size (4, 4) on 2x1: rows clamped, one column",
     keras3("UpSampling2D", size=[4, 4], data_format=CL, interpolation="bilinear"),
     (1, 2, 1, 2)),
    ("upsampling2d_bilinear_aniso_3x1_cf_odd", "bilinear, size (3, 1) on 5x3, channels_first",
     keras3("UpSampling2D", size=[3, 1], data_format=CF, interpolation="bilinear"),
     (1, 2, 5, 3)),
    ("upsampling2d_bilinear_aniso_1x4_cl_batch3", "bilinear, size (1, 4) on 3x5, batch 3",
     keras3("UpSampling2D", DTYPE_POLICY, size=[1, 4], data_format=CL,
            interpolation="bilinear"),
     (3, 3, 5, 2)),
    ("upsampling2d_bilinear_aniso_2x3_cf_1x7", "bilinear, size (2, 3) on 1x7 (one row)",
     keras3("UpSampling2D", size=[2, 3], data_format=CF, interpolation="bilinear"),
     (1, 2, 1, 7)),

    # --- UpSampling3D (Keras 3: size, data_format; 'trilinear' is convscope's) -------------
    ("upsampling3d_nearest_2x2x2_cl", "nearest, size (2, 2, 2) on 3x2x4",
     keras3("UpSampling3D", size=[2, 2, 2], data_format=CL), (1, 3, 2, 4, 2)),
    ("upsampling3d_nearest_aniso_1x2x3_cf_batch2", "nearest, size (1, 2, 3) on 3x1x5, batch 2",
     keras3("UpSampling3D", size=[1, 2, 3], data_format=CF), (2, 2, 3, 1, 5)),
    ("upsampling3d_nearest_int3_cl_depth1", "nearest, size as int 3 on 1x2x3",
     keras3("UpSampling3D", DTYPE_POLICY, size=3, data_format=CL), (1, 1, 2, 3, 2)),
    ("upsampling3d_trilinear_2x2x2_cl_batch2", "trilinear, size (2, 2, 2) on 3x2x4, batch 2",
     keras3("UpSampling3D", size=[2, 2, 2], data_format=CL, interpolation="trilinear"),
     (2, 3, 2, 4, 2)),
    ("upsampling3d_trilinear_aniso_1x2x3_cf", "trilinear, size (1, 2, 3) on 3x1x5: depth kept, one row",
     keras3("UpSampling3D", size=[1, 2, 3], data_format=CF, interpolation="trilinear"),
     (1, 2, 3, 1, 5)),
    ("upsampling3d_trilinear_aniso_4x1x2_cl_tiny", "trilinear, size (4, 1, 2) on 2x3x1",
     keras3("UpSampling3D", size=[4, 1, 2], data_format=CL, interpolation="trilinear"),
     (1, 2, 3, 1, 3)),

    # --- Keras 1 ---------------------------------------------------------------------------
    ("keras1_upsampling1d_length3", "Keras 1 UpSampling1D, length 3",
     keras1("UpSampling1D", length=3), (2, 4, 3)),
    ("keras1_upsampling2d_th", "Keras 1 UpSampling2D, size (2, 3), 'th'",
     keras1("UpSampling2D", size=[2, 3], dim_ordering="th"), (1, 2, 3, 4)),
    ("keras1_upsampling2d_tf", "Keras 1 UpSampling2D, size (3, 1), 'tf'",
     keras1("UpSampling2D", size=[3, 1], dim_ordering="tf"), (2, 2, 5, 2)),
    ("keras1_upsampling3d_th", "Keras 1 UpSampling3D, size (1, 2, 2), 'th'",
     keras1("UpSampling3D", size=[1, 2, 2], dim_ordering="th"), (1, 2, 3, 2, 3)),
    ("keras1_upsampling3d_tf", "Keras 1 UpSampling3D, size (2, 1, 3), 'tf'",
     keras1("UpSampling3D", size=[2, 1, 3], dim_ordering="tf"), (1, 2, 3, 2, 2)),
]


# ---------------------------------------------------------------------------------------
# The parser: every config form -> (rank, factor per spatial axis, linear?, data_format).

def parse(layer):
    class_name, c = layer["class_name"], layer["config"]
    rank = int(class_name[-2])
    size = c.get("size", c.get("length", 2))  # Keras 1 UpSampling1D called it `length`
    factors = [size] * rank if is_int(size) else list(size)
    if len(factors) != rank or not all(is_int(f) and f >= 1 for f in factors):
        raise ValueError(f"{class_name}: size {size!r} is not {rank} positive ints")
    mode = c.get("interpolation") or "nearest"
    if mode not in ("nearest", LINEAR_MODE[rank]):
        raise ValueError(f"{class_name}: interpolation {mode!r}")
    if c.get("data_format") is not None:
        fmt = c["data_format"]
    else:
        fmt = {"th": CF, "tf": CL}.get(c.get("dim_ordering"), CL)
    return rank, factors, mode != "nearest", fmt


# ---------------------------------------------------------------------------------------
# The values, in torch float64, channels first.

def nearest(x, factors):
    y = x
    for axis, f in enumerate(factors):
        y = y.repeat_interleave(f, dim=2 + axis)
    out = [n * f for n, f in zip(x.shape[2:], factors)]
    check = F.interpolate(x, size=out, mode="nearest")
    assert torch.equal(y, check), "repeat_interleave and interpolate(nearest) disagree"
    return y


def linear(x, factors):
    rank = len(factors)
    out = [n * f for n, f in zip(x.shape[2:], factors)]
    y = F.interpolate(x, size=out, mode=LINEAR_MODE[rank], align_corners=False)
    by_scale = F.interpolate(x, scale_factor=[float(f) for f in factors],
                             mode=LINEAR_MODE[rank], align_corners=False)
    assert torch.equal(y, by_scale), "interpolate by size and by scale_factor disagree"
    return y


def expected(layer, x_np):
    rank, factors, is_linear, fmt = parse(layer)
    x = to_channels_first(torch.from_numpy(x_np).to(torch.float64), fmt)
    y = linear(x, factors) if is_linear else nearest(x, factors)
    assert list(y.shape[2:]) == [n * f for n, f in zip(x.shape[2:], factors)]
    return as_float32(from_channels_first(y, fmt))


# ---------------------------------------------------------------------------------------
# Inputs: nonzero everywhere and of both signs, seeded per case by name, so adding a case
# changes no other.

def make_input(name, shape):
    return signed_values(case_rng(name), shape, 0.25, 2.0)


def write_case(name, layer, shape):
    x = make_input(name, shape)
    write_case_folder(name, layer, {"input": x, "expected": expected(layer, x)})


def main():
    generate(CASES, write_case, FAMILY_PREFIXES)


if __name__ == "__main__":
    main()
