#!/usr/bin/python3
"""Golden values for LearnableCrop (forward and gradients), computed with PyTorch.

Nothing here reads convscope's code. The config is read by the small parser below, written
from shared/SEMANTICS.md ("Learnable crop"), and the values come from torch in float64,
saved as float32:

- the box (y0, x0, h, w) in input pixels is the weight itself (box_source "weight", one box
  for the whole batch) or, per sample, sigmoid(mean_hw(x) @ W + b) mapped into the image
  (box_source "predicted", with min_size);
- output pixel (i, j) reads the input at y = y0 + (i + 0.5) h / OH - 0.5,
  x = x0 + (j + 0.5) w / OW - 0.5, which is F.grid_sample(mode="bilinear",
  padding_mode="zeros", align_corners=False) on the grid (2x + 1) / W - 1, (2y + 1) / H - 1;
- the gradients are torch.autograd's, of sum(output * G) for a random G saved with the case,
  with respect to the input and to each weight array.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tests/golden/make_golden_learnable_crop.py
    /usr/bin/python3 tests/golden/make_golden_learnable_crop.py --table   # also prints the README table
Each case becomes cases/<name>/{layer.json, input.npy, weight_<i>.npy, expected.npy,
grad_output.npy, expected_grad_input.npy, expected_grad_weight_<i>.npy}. Only the
learnable_crop_* folders are replaced. The outputs are committed; CI only reads them.
Seeding, writing and the --table printout are in golden_common.py, shared with the other
generators.
"""

import math
import sys
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
from golden_common import (CF, CL, as_float32, case_rng, from_channels_first, generate, is_int,
                           numbered, signed_values, to_channels_first, write_case_folder)

# The case folders this script owns (and deletes before writing them again).
FAMILY_PREFIXES = ("learnable_crop_",)

# Bilinear sampling has a kink wherever a sample crosses an integer pixel coordinate: there
# the gradient with respect to the box jumps. Every sample of every case but the integer
# ones keeps at least this far from an integer, so float32 on the GPU lands on the same side
# as float64 here, and finite differences mean something.
MIN_DISTANCE_TO_INTEGER = 0.02


# ---------------------------------------------------------------------------------------
# Configs: the base keys every Keras layer's get_config() writes, then the arguments.

def learnable_crop(output_size, data_format, box_source=None, min_size=None):
    config = {"name": "learnable_crop", "trainable": True, "dtype": "float32",
              "output_size": list(output_size), "data_format": data_format}
    if box_source is not None:
        config["box_source"] = box_source
    if min_size is not None:
        config["min_size"] = list(min_size)
    return {"class_name": "LearnableCrop", "config": config}


def weight_box(output_size, data_format, box_source="weight"):
    return learnable_crop(output_size, data_format, box_source)


def predicted(output_size, data_format, min_size=None):
    return learnable_crop(output_size, data_format, "predicted", min_size)


# (name, what it covers, layer, input shape in the layer's data_format (batch first),
#  box (y0, x0, h, w) for box_source "weight", or None for "predicted")
CASES = [
    # --- box_source "weight": one box for the whole batch ----------------------------------
    ("learnable_crop_int_box_equals_output_cl",
     "integer box (2, 1, 4, 5), size = output: exactly x[2:6, 1:6]",
     weight_box([4, 5], CL), (1, 8, 8, 3), (2.0, 1.0, 4.0, 5.0)),
    ("learnable_crop_int_box_equals_output_cf_batch2",
     "integer box (1, 3, 2, 4) on 4x8, channels_first, batch 2: exactly x[1:3, 3:7]",
     weight_box([2, 4], CF), (2, 1, 4, 8), (1.0, 3.0, 2.0, 4.0)),
    ("learnable_crop_frac_shift_same_size_cl",
     "fractional shift, box size = output size: a pure subpixel translation",
     weight_box([4, 3], CL), (1, 7, 6, 2), (1.3, 2.6, 4.0, 3.0)),
    ("learnable_crop_frac_downscale_cl",
     "box 5.4 x 6.9 sampled to 3x4 (downscale), 3 channels",
     weight_box([3, 4], CL), (1, 7, 9, 3), (0.7, 1.25, 5.4, 6.9)),
    ("learnable_crop_frac_upscale_aniso_cf",
     "box 2.2 x 1.9 sampled to 5x6 (upscale, different per axis), channels_first",
     weight_box([5, 6], CF), (1, 2, 6, 5), (1.35, 0.8, 2.2, 1.9)),
    ("learnable_crop_aniso_1x6_strip_cl",
     "output 1x6: one row across a wide box, 1 channel",
     weight_box([1, 6], CL), (1, 5, 7, 1), (1.9, 0.45, 1.3, 5.7)),
    ("learnable_crop_aniso_5x2_cf_batch2",
     "output 5x2, tall box, channels_first, batch 2 (box gradient sums over the batch)",
     weight_box([5, 2], CF), (2, 3, 8, 5), (0.15, 1.4, 6.6, 2.2)),
    ("learnable_crop_out_1x1_cl",
     "output 1x1: one sample at the box centre",
     weight_box([1, 1], CL), (1, 4, 5, 3), (0.9, 1.3, 2.2, 2.1)),
    ("learnable_crop_partly_outside_top_left_cl",
     "box from (-1.7, -2.3): zeros come in from the top and left",
     weight_box([4, 4], CL), (1, 6, 6, 2), (-1.7, -2.3, 5.2, 4.6)),
    ("learnable_crop_partly_outside_bottom_right_cf_batch2",
     "box past the bottom and right edges, channels_first, batch 2",
     weight_box([3, 5], CF), (2, 3, 6, 7), (3.4, 4.2, 5.3, 6.2)),
    ("learnable_crop_box_contains_image_cl_batch3",
     "box larger than the image on every side, batch 3",
     weight_box([6, 5], CL), (3, 5, 4, 3), (-1.5, -1.1, 7.8, 6.4)),
    ("learnable_crop_entirely_outside_above_cl",
     "box entirely above the image: output, input and box gradients all zero",
     weight_box([3, 3], CL), (1, 5, 5, 2), (-6.3, 1.2, 3.9, 3.3)),
    ("learnable_crop_entirely_outside_right_cf_batch2",
     "box entirely right of the image, channels_first, batch 2: all zero",
     weight_box([2, 4], CF), (2, 1, 4, 6), (0.7, 7.15, 2.5, 3.1)),
    ("learnable_crop_default_box_source_cf",
     "no box_source key: the default 'weight'; downscale, 1 channel",
     learnable_crop([3, 2], CF), (1, 1, 6, 6), (0.55, 1.15, 4.1, 3.7)),

    # --- box_source "predicted": a box per sample from the input ---------------------------
    ("learnable_crop_predicted_cl_batch3",
     "predicted, no min_size key (default [1, 1]), batch 3, 3 channels",
     predicted([3, 4], CL), (3, 7, 6, 3), None),
    ("learnable_crop_predicted_min_size_cf_batch2",
     "predicted, min_size [3, 4], channels_first, batch 2",
     predicted([2, 6], CF, [3, 4]), (2, 2, 8, 7), None),
    ("learnable_crop_predicted_c1_upscale_cl_batch4",
     "predicted, min_size [2, 2], 1 channel, batch 4, output larger than the boxes",
     predicted([6, 6], CL, [2, 2]), (4, 5, 5, 1), None),
    ("learnable_crop_predicted_min_size_1x1_aniso_cf_batch2",
     "predicted, min_size [1, 1] written out, output 5x2, channels_first, batch 2",
     predicted([5, 2], CF, [1, 1]), (2, 3, 6, 6), None),
    ("learnable_crop_predicted_min_size_full_image_cl_batch2",
     "predicted, min_size = input size: the box is the whole image, W and b get no gradient",
     predicted([3, 4], CL, [6, 7]), (2, 6, 7, 2), None),
]


# ---------------------------------------------------------------------------------------
# The parser: config -> Spec.

@dataclass
class Spec:
    output_size: list
    data_format: str
    box_source: str
    min_size: list  # predicted mode only


def parse(layer):
    class_name, c = layer["class_name"], layer["config"]
    if class_name != "LearnableCrop":
        raise ValueError(f"not a LearnableCrop: {class_name}")
    size = c["output_size"]
    if len(size) != 2 or not all(is_int(v) and v >= 1 for v in size):
        raise ValueError(f"output_size {size!r} is not two positive ints")
    fmt = c.get("data_format") or CL
    if fmt not in (CL, CF):
        raise ValueError(f"data_format {fmt!r}")
    source = c.get("box_source", "weight")
    if source not in ("weight", "predicted"):
        raise ValueError(f"box_source {source!r}")
    if source == "weight" and "min_size" in c:
        raise ValueError("min_size is for box_source 'predicted' only")
    min_size = list(c.get("min_size", [1, 1]))
    return Spec(list(size), fmt, source, min_size)


# ---------------------------------------------------------------------------------------
# The values, in torch float64, channels first. Boxes are (N, 4) rows (y0, x0, h, w).

def predicted_boxes(x, kernel, bias, min_size):
    _, _, H, W = x.shape
    mh, mw = min_size
    g = x.mean(dim=(2, 3))  # (N, C)
    s = torch.sigmoid(g @ kernel + bias)  # (N, 4)
    h = mh + (H - mh) * s[:, 2]
    w = mw + (W - mw) * s[:, 3]
    y0 = (H - h) * s[:, 0]
    x0 = (W - w) * s[:, 1]
    return torch.stack([y0, x0, h, w], dim=1)


def sample_positions(boxes, output_size):
    """(N, OH) row and (N, OW) column positions in input pixels."""
    OH, OW = output_size
    i = torch.arange(OH, dtype=torch.float64)
    j = torch.arange(OW, dtype=torch.float64)
    y0, x0, h, w = boxes.unbind(1)
    ys = y0[:, None] + (i[None, :] + 0.5) * h[:, None] / OH - 0.5
    xs = x0[:, None] + (j[None, :] + 0.5) * w[:, None] / OW - 0.5
    return ys, xs


def crop(x, boxes, output_size):
    N, _, H, W = x.shape
    OH, OW = output_size
    ys, xs = sample_positions(boxes, output_size)
    # align_corners=False: normalised u maps to pixel ((u + 1) * size - 1) / 2.
    gy = (2 * ys + 1) / H - 1
    gx = (2 * xs + 1) / W - 1
    grid = torch.stack([gx[:, None, :].expand(N, OH, OW),
                        gy[:, :, None].expand(N, OH, OW)], dim=-1)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def compute(spec, x_np, weights_np, grad_out_np):
    """(output, grad input, [grad weight...]) as float32, in the layer's layouts."""
    fmt = spec.data_format
    x = to_channels_first(torch.from_numpy(x_np).to(torch.float64), fmt).requires_grad_(True)
    weights = [torch.from_numpy(w).to(torch.float64).requires_grad_(True) for w in weights_np]
    if spec.box_source == "weight":
        boxes = weights[0].unsqueeze(0).expand(x.shape[0], 4)  # one box, shared
    else:
        boxes = predicted_boxes(x, weights[0], weights[1], spec.min_size)
    y = crop(x, boxes, spec.output_size)
    assert list(y.shape[2:]) == spec.output_size
    g = to_channels_first(torch.from_numpy(grad_out_np).to(torch.float64), fmt)
    grads = torch.autograd.grad((y * g).sum(), [x, *weights])
    return (as_float32(from_channels_first(y, fmt)),
            as_float32(from_channels_first(grads[0], fmt)),
            [as_float32(t) for t in grads[1:]], boxes.detach())


# ---------------------------------------------------------------------------------------
# Checks on the cases themselves.

def integer_box(box):
    return box is not None and all(float(v).is_integer() for v in box)


def check_integer_crop(spec, x_np, y_np, grad_out_np, grad_in_np, box):
    """An integer box as large as the output is plain slicing, forward and backward."""
    y0, x0, h, w = (int(v) for v in box)
    assert [h, w] == spec.output_size, "integer cases take a box the size of the output"
    x, y, grad_out, grad_in = (to_channels_first(torch.from_numpy(a), spec.data_format)
                               for a in (x_np, y_np, grad_out_np, grad_in_np))
    assert torch.equal(y, x[:, :, y0:y0 + h, x0:x0 + w]), "integer crop is not x[y0:y0+h, ...]"
    # The input gradient is G put back in place: every weight exactly 1 or 0.
    want = torch.zeros_like(x)
    want[:, :, y0:y0 + h, x0:x0 + w] = grad_out
    assert torch.equal(grad_in, want)


def check_away_from_integers(name, spec, boxes):
    ys, xs = sample_positions(boxes, spec.output_size)
    for pos in (ys, xs):
        distance = (pos - pos.round()).abs().min().item()
        assert distance >= MIN_DISTANCE_TO_INTEGER, f"{name}: a sample {distance} from an integer"


# ---------------------------------------------------------------------------------------
# Arrays: seeded per case by name, so adding a case changes no other. Inputs are nonzero
# everywhere and of both signs, so a zero that came in from outside cannot pass for an input
# value. The predicted-mode kernel is large enough that the samples of a batch get boxes
# visibly apart.

def make_arrays(name, spec, shape, box):
    rng = case_rng(name)
    x = signed_values(rng, shape, 0.25, 2.0)
    channels = shape[-1] if spec.data_format == CL else shape[1]
    if spec.box_source == "weight":
        weights = [np.array(box, dtype=np.float32)]
    else:
        kernel = rng.uniform(-1.0, 1.0, size=(channels, 4)) * 6.0 / math.sqrt(channels)
        bias = rng.uniform(-1.0, 1.0, size=(4,))
        weights = [kernel.astype(np.float32), bias.astype(np.float32)]
    n = shape[0]
    out_shape = ((n, *spec.output_size, channels) if spec.data_format == CL
                 else (n, channels, *spec.output_size))
    grad_out = rng.uniform(-1.0, 1.0, size=out_shape).astype(np.float32)
    return x, weights, grad_out


def write_case(name, layer, shape, box):
    spec = parse(layer)
    if (box is None) != (spec.box_source == "predicted"):
        raise ValueError(f"{name}: a box goes with box_source 'weight' only")
    x, weights, grad_out = make_arrays(name, spec, shape, box)
    y, grad_in, grad_weights, boxes = compute(spec, x, weights, grad_out)
    if integer_box(box):
        check_integer_crop(spec, x, y, grad_out, grad_in, box)
    else:
        check_away_from_integers(name, spec, boxes)
    write_case_folder(name, layer, {
        "input": x, **numbered("weight", weights), "expected": y, "grad_output": grad_out,
        "expected_grad_input": grad_in, **numbered("expected_grad_weight", grad_weights)})


def main():
    generate(CASES, write_case, FAMILY_PREFIXES)


if __name__ == "__main__":
    main()
