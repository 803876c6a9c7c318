#!/usr/bin/python3
"""Golden values for the normalisation family, computed with PyTorch: BatchNormalization,
LayerNormalization, Rescaling, Normalization, CenterCrop and Resizing.

Nothing here reads convscope's code. Configs are read by the small parser below, written
from Keras' own source (keras/src/layers/normalization/*.py, keras/src/layers/preprocessing/
rescaling.py, normalization.py, image_preprocessing/center_crop.py, resizing.py, the
TensorFlow backend's image.resize and keras/src/utils/image_utils.py smart_resize) and
shared/MODELS.md. The values come from torch in float64, saved as float32:

- BatchNormalization: F.batch_norm(training=False) with the normalised axis moved to 1;
  several axes (tf.keras) by the formula with the weights' own broadcast shape.
- LayerNormalization: F.layer_norm over the normalised axes moved last; rms_scaling by
  Keras 3's formula x * rsqrt(var + eps) * gamma with torch.var(unbiased=False).
- Rescaling and Normalization: their formulas with torch broadcasting.
- Resizing and CenterCrop: F.interpolate(mode="bilinear", align_corners=False) and
  mode="nearest-exact" with the output size given, after slicing (crop_to_aspect_ratio,
  CenterCrop) or F.pad with the fill value (pad_to_aspect_ratio). Each resize is checked
  against a NumPy transcription of tf.image.resize's half-pixel kernels (TensorFlow's
  compute_interpolation_weights and its nearest-neighbour scaler, in float32), so the torch
  modes are shown to be the ones Keras' TensorFlow backend computes.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tests/golden/make_golden_norm.py
    /usr/bin/python3 tests/golden/make_golden_norm.py --table   # also prints the README table
Only the norm_* folders are replaced; the outputs are committed and CI only reads them.
"""

import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
from golden_common import (CF, CL, DTYPE_POLICY, as_float32, case_rng, generate,
                           numbered, signed_values, write_case_folder)

FAMILY_PREFIXES = ("norm_",)

BACKEND_EPSILON = 1e-7  # keras.backend.epsilon(): Normalization's floor on the std


# ---------------------------------------------------------------------------------------
# Configs as Keras writes them.

def keras3(class_name, name, dtype="float32", **args):
    return {"class_name": class_name,
            "config": {"name": name, "trainable": True, "dtype": dtype, **args}}


def bn3(**args):
    # Keras 3 get_config(): axis (an int), momentum, epsilon, center, scale, the initializer,
    # regularizer and constraint keys, synchronized (and renorm* from 3.14 on).
    zeros = {"module": "keras.initializers", "class_name": "Zeros", "config": {},
             "registered_name": None}
    ones = {"module": "keras.initializers", "class_name": "Ones", "config": {},
            "registered_name": None}
    base = {"axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
            "beta_initializer": zeros, "gamma_initializer": ones,
            "moving_mean_initializer": zeros, "moving_variance_initializer": ones,
            "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None,
            "gamma_constraint": None, "synchronized": False}
    base.update(args)
    return keras3("BatchNormalization", "batch_normalization", DTYPE_POLICY, **base)


def bn_tfkeras(**args):
    # tf.keras 2 writes axis as the list build() made of it, and renorm* only when on.
    base = {"axis": [3], "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
            "beta_initializer": {"class_name": "Zeros", "config": {}},
            "gamma_initializer": {"class_name": "Ones", "config": {}},
            "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
            "moving_variance_initializer": {"class_name": "Ones", "config": {}},
            "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None,
            "gamma_constraint": None}
    base.update(args)
    return keras3("BatchNormalization", "batch_normalization", **base)


def bn_keras1(**args):
    return {"class_name": "BatchNormalization",
            "config": {"name": "batchnormalization_1", "trainable": True, "epsilon": 0.001,
                       "mode": 0, "momentum": 0.99, "gamma_regularizer": None,
                       "beta_regularizer": None, **args}}


def ln3(**args):
    base = {"axis": -1, "epsilon": 0.001, "center": True, "scale": True, "rms_scaling": False}
    base.update(args)
    return keras3("LayerNormalization", "layer_normalization", DTYPE_POLICY, **base)


def resizing3(**args):
    base = {"height": 4, "width": 4, "interpolation": "bilinear", "crop_to_aspect_ratio": False,
            "pad_to_aspect_ratio": False, "fill_mode": "constant", "fill_value": 0.0,
            "antialias": False, "data_format": CL}
    base.update(args)
    return keras3("Resizing", "resizing", DTYPE_POLICY, **base)


def center_crop3(**args):
    return keras3("CenterCrop", "center_crop", DTYPE_POLICY, **{"data_format": CL, **args})


# Weights to draw, by name: gamma/beta/means of both signs, variances positive.
def draw(rng, name, shape):
    if name in ("moving_variance", "variance", "moving_stddev", "renorm_stddev"):
        return rng.uniform(0.2, 2.0, size=shape).astype(np.float32)
    if name == "count":
        return np.array(rng.integers(10, 1000), dtype=np.int64)  # Keras saves an int64 scalar
    return rng.uniform(-1.5, 1.5, size=shape).astype(np.float32)


# (name, what it covers, layer, input shape batch first (Keras order), weight names)
CASES = [
    # --- BatchNormalization ----------------------------------------------------------------
    ("norm_bn_vector_batch3", "Keras 3, (batch, features), batch 3", bn3(), (3, 7),
     ["gamma", "beta", "moving_mean", "moving_variance"]),
    ("norm_bn_2d_cl_batch2", "Keras 3, axis -1 of a channels_last image, batch 2", bn3(),
     (2, 5, 7, 3), ["gamma", "beta", "moving_mean", "moving_variance"]),
    ("norm_bn_2d_cf_axis1", "axis 1 (a channels_first model's), epsilon 1e-5", bn3(axis=1, epsilon=1e-5),
     (2, 3, 5, 4), ["gamma", "beta", "moving_mean", "moving_variance"]),
    ("norm_bn_1d_steps_axis1", "axis 1 of (batch, steps, channels): per step", bn3(axis=1),
     (2, 6, 4), ["gamma", "beta", "moving_mean", "moving_variance"]),
    ("norm_bn_3d_no_center", "center=False: no beta, 3D input", bn3(center=False),
     (1, 3, 4, 5, 2), ["gamma", "moving_mean", "moving_variance"]),
    ("norm_bn_no_scale_no_center", "center=scale=False: moving statistics alone, axis -2",
     bn3(axis=-2, center=False, scale=False), (2, 4, 6, 3), ["moving_mean", "moving_variance"]),
    ("norm_bn_tfkeras_axis_list", "tf.keras: axis [3], fused None, epsilon 1.001e-5",
     bn_tfkeras(axis=[3], fused=None, epsilon=1.001e-5), (2, 4, 3, 5),
     ["gamma", "beta", "moving_mean", "moving_variance"]),
    ("norm_bn_tfkeras_two_axes", "tf.keras: axis [1, 3], weights (1, 4, 1, 3)",
     bn_tfkeras(axis=[1, 3]), (2, 4, 5, 3), ["gamma", "beta", "moving_mean", "moving_variance"]),
    ("norm_bn_tfkeras_renorm", "tf.keras renorm=True: 7 weights, inference uses the moving ones",
     bn_tfkeras(axis=[3], renorm=True, renorm_clipping={}, renorm_momentum=0.99), (1, 3, 4, 2),
     ["gamma", "beta", "moving_mean", "moving_variance", "moving_stddev", "renorm_mean",
      "renorm_stddev"]),
    ("norm_bn_keras1_axis1", "Keras 1 mode 0, axis 1, beta_init / gamma_init",
     bn_keras1(axis=1, beta_init="zero", gamma_init="one"), (2, 3, 4, 4),
     ["gamma", "beta", "moving_mean", "moving_variance"]),

    # --- LayerNormalization ----------------------------------------------------------------
    ("norm_ln_vector", "Keras 3, (batch, features)", ln3(), (3, 10), ["gamma", "beta"]),
    ("norm_ln_1d_last", "axis -1 of (batch, steps, channels)", ln3(epsilon=1e-6), (2, 7, 5),
     ["gamma", "beta"]),
    ("norm_ln_2d_all_axes_big", "axis [1, 2, 3] on 1x5x33x47: one group of 7755",
     ln3(axis=[1, 2, 3]), (1, 5, 33, 47), ["gamma", "beta"]),
    ("norm_ln_2d_spatial_axes", "axis [1, 2] (rows and columns), batch 2",
     ln3(axis=[1, 2], center=False), (2, 4, 6, 3), ["gamma"]),
    ("norm_ln_2d_unsorted_axes", "axis [3, 1]: sorted, gamma (4, 3)",
     ln3(axis=[3, 1]), (2, 4, 5, 3), ["gamma", "beta"]),
    ("norm_ln_rms_scaling", "rms_scaling=True: no mean subtracted, no beta",
     ln3(axis=-1, rms_scaling=True), (2, 3, 6), ["gamma"]),
    ("norm_ln_no_center_no_scale", "center=scale=False on a 3D input, axis [-1, 2]",
     ln3(axis=[-1, 2], center=False, scale=False), (1, 2, 3, 4, 5), []),
    ("norm_ln_tfkeras_list", "tf.keras: axis [3] as a list, string dtype",
     keras3("LayerNormalization", "layer_normalization", axis=[3], epsilon=0.001, center=True,
            scale=True), (2, 3, 4, 6), ["gamma", "beta"]),

    # --- Rescaling -------------------------------------------------------------------------
    ("norm_rescaling_scalar", "scale 1/255, offset 0",
     keras3("Rescaling", "rescaling", DTYPE_POLICY, scale=1 / 255, offset=0.0), (2, 4, 5, 3), []),
    ("norm_rescaling_offset", "scale 1/127.5, offset -1 (inputs to [-1, 1])",
     keras3("Rescaling", "rescaling", scale=1 / 127.5, offset=-1), (1, 3, 4, 3), []),
    ("norm_rescaling_list_channels", "per-channel lists over the last axis",
     keras3("Rescaling", "rescaling", scale=[0.5, 2.0, -1.0], offset=[1.0, 0.0, 0.25]),
     (2, 3, 4, 3), []),
    ("norm_rescaling_numpy_scale", "Keras 3's serialised __numpy__ scale, shape (4, 1)",
     keras3("Rescaling", "rescaling", DTYPE_POLICY,
            scale={"class_name": "__numpy__",
                   "config": {"value": [[0.5], [1.0], [1.5], [2.0]], "dtype": "float32"}},
            offset=0.5), (1, 2, 4, 5), []),

    # --- Normalization ---------------------------------------------------------------------
    ("norm_normalization_config_lists", "mean and variance lists in the config, axis -1",
     keras3("Normalization", "normalization", DTYPE_POLICY, axis=[-1], invert=False,
            mean=[0.485, 0.456, 0.406], variance=[0.052441, 0.050176, 0.050625]),
     (2, 4, 5, 3), []),
    ("norm_normalization_axis_none_scalar", "axis None, scalar mean and variance",
     keras3("Normalization", "normalization", axis=None, invert=False, mean=2.5, variance=4.0),
     (3, 6), []),
    ("norm_normalization_zero_variance", "a zero variance: the std floor 1e-7",
     keras3("Normalization", "normalization", axis=[-1], invert=False, mean=[0.0, 1.0],
            variance=[1.0, 0.0]), (2, 3, 2), []),
    ("norm_normalization_adapted", "adapted: weights mean, variance, count (int64), axis [1, -1]",
     keras3("Normalization", "normalization", DTYPE_POLICY, axis=[1, -1], invert=False,
            mean=None, variance=None), (2, 4, 5, 3), ["mean", "variance", "count"]),
    ("norm_normalization_invert", "invert=True with adapted weights, axis 1",
     keras3("Normalization", "normalization", axis=[1], invert=True, mean=None, variance=None),
     (2, 3, 4, 5), ["mean", "variance", "count"]),
    ("norm_normalization_mean_rank_below_axes", "axis [1, 3], mean of shape (3,): right-aligned",
     keras3("Normalization", "normalization", axis=[1, 3], invert=False, mean=[1.0, -1.0, 0.5],
            variance=[2.0, 0.5, 1.0]), (2, 4, 2, 3), []),
    ("norm_normalization_tfkeras26", "tf.keras 2.6: no invert key",
     keras3("Normalization", "normalization", axis=[-1], mean=[0.5, -0.5], variance=[0.25, 4.0]),
     (2, 3, 2), []),

    # --- Resizing --------------------------------------------------------------------------
    ("norm_resizing_bilinear_up", "bilinear 5x7 -> 9x13, batch 2", resizing3(height=9, width=13),
     (2, 5, 7, 3), []),
    ("norm_resizing_bilinear_down_cf", "bilinear 9x13 -> 4x5, channels_first",
     resizing3(height=4, width=5, data_format=CF), (1, 2, 9, 13), []),
    ("norm_resizing_nearest_up", "nearest 3x4 -> 7x9",
     resizing3(height=7, width=9, interpolation="nearest"), (2, 3, 4, 2), []),
    ("norm_resizing_nearest_down", "nearest 11x10 -> 4x3",
     resizing3(height=4, width=3, interpolation="nearest"), (1, 11, 10, 2), []),
    ("norm_resizing_crop_aspect", "crop_to_aspect_ratio: 6x10 -> 4x4 from the middle 6x6",
     resizing3(height=4, width=4, crop_to_aspect_ratio=True), (1, 6, 10, 3), []),
    ("norm_resizing_crop_aspect_cf_nearest", "crop_to_aspect_ratio, nearest, 9x5 -> 3x5, channels_first",
     resizing3(height=3, width=5, interpolation="nearest", crop_to_aspect_ratio=True,
               data_format=CF), (2, 2, 9, 5), []),
    ("norm_resizing_pad_aspect", "pad_to_aspect_ratio, fill 0.5: 6x10 padded to 10x10 -> 8x8",
     resizing3(height=8, width=8, pad_to_aspect_ratio=True, fill_value=0.5), (1, 6, 10, 2), []),
    ("norm_resizing_pad_aspect_odd", "pad_to_aspect_ratio, odd difference: 10x5 -> 7x9, 5 wide padded to 11 not 12",
     resizing3(height=7, width=9, pad_to_aspect_ratio=True, interpolation="nearest",
               fill_value=-2.0, data_format=CF), (1, 2, 10, 5), []),
    ("norm_resizing_identity", "the input's own size", resizing3(height=5, width=7),
     (1, 5, 7, 2), []),
    ("norm_resizing_tfkeras", "tf.keras 2 / TensorFlow.js keys, nearest",
     keras3("Resizing", "resizing", height=6, width=2, interpolation="nearest",
            crop_to_aspect_ratio=False), (1, 3, 5, 2), []),

    # --- CenterCrop ------------------------------------------------------------------------
    ("norm_centercrop_crop", "7x9 -> 3x4: rows 2-4, columns 2-5", center_crop3(height=3, width=4),
     (2, 7, 9, 3), []),
    ("norm_centercrop_crop_cf", "8x5 -> 3x4, channels_first: an odd difference starts low",
     center_crop3(height=3, width=4, data_format=CF), (2, 3, 8, 5), []),
    ("norm_centercrop_smaller", "3x4 -> 6x5: smaller both ways, smart_resize",
     center_crop3(height=6, width=5), (1, 3, 4, 2), []),
    ("norm_centercrop_mixed_cf", "7x3 -> 4x5: taller, narrower; smart_resize, channels_first",
     center_crop3(height=4, width=5, data_format=CF), (2, 2, 7, 3), []),
    ("norm_centercrop_equal", "5x6 -> 5x6: identity", center_crop3(height=5, width=6),
     (1, 5, 6, 2), []),
]


# ---------------------------------------------------------------------------------------
# The parser: config -> what the layer does.

def axes_of(value, rank, default=-1):
    """Keras axes made positive: an int, a list, or None (Normalization's empty tuple)."""
    if value is None:
        return []
    items = [value] if isinstance(value, int) else list(value)
    return sorted(a + rank if a < 0 else a for a in items)


def data_format(c):
    return c.get("data_format") or CL


def to_array(v):
    if isinstance(v, dict):  # {"class_name": "__numpy__", "config": {"value": ...}}
        return np.array(v["config"]["value"], dtype=np.float64)
    return np.array(v, dtype=np.float64)


# ---------------------------------------------------------------------------------------
# The values, in float64.

def batch_norm(c, x, w, names):
    rank = x.dim()
    axes = axes_of(c.get("axis", -1), rank)
    eps = c.get("epsilon", 1e-3)
    get = dict(zip(names, w))
    if len(axes) == 1:
        a = axes[0]
        y = F.batch_norm(x.movedim(a, 1), get["moving_mean"], get["moving_variance"],
                         get.get("gamma"), get.get("beta"), training=False, eps=eps)
        return y.movedim(1, a)
    # tf.keras with several axes: every weight already has the input's rank.
    y = (x - get["moving_mean"]) / torch.sqrt(get["moving_variance"] + eps)
    if "gamma" in get:
        y = y * get["gamma"]
    if "beta" in get:
        y = y + get["beta"]
    return y


def layer_norm(c, x, w, names):
    rank = x.dim()
    axes = axes_of(c.get("axis", -1), rank)
    eps = c.get("epsilon", 1e-3)
    get = dict(zip(names, w))
    rest = [d for d in range(rank) if d not in axes]
    moved = x.permute(*rest, *axes)
    shape = tuple(x.shape[a] for a in axes)
    if c.get("rms_scaling"):
        dims = tuple(range(len(rest), rank))
        var = torch.var(moved, dim=dims, unbiased=False, keepdim=True)
        y = moved * torch.rsqrt(var + eps) * get["gamma"]
    else:
        y = F.layer_norm(moved, shape, get.get("gamma"), get.get("beta"), eps)
    inverse = [0] * rank
    for i, d in enumerate(rest + axes):
        inverse[d] = i
    return y.permute(*inverse)


def rescaling(c, x):
    return x * torch.from_numpy(to_array(c["scale"])) + torch.from_numpy(to_array(c.get("offset", 0.0)))


def normalization(c, x, w, names):
    rank = x.dim()
    keep = axes_of(c.get("axis", -1), rank)
    broadcast = [x.shape[d] if d in keep else 1 for d in range(rank)]
    if c.get("mean") is not None:
        mean, var = to_array(c["mean"]), to_array(c["variance"])
        # Keras 3: right-align the given array's axes with the kept axes, then broadcast.
        expanded = [1] * rank
        for i in range(1, mean.ndim + 1):
            expanded[keep[-i]] = mean.shape[-i]
        mean = torch.from_numpy(np.broadcast_to(mean.reshape(expanded), broadcast).copy())
        var = torch.from_numpy(np.broadcast_to(var.reshape(expanded), broadcast).copy())
    else:
        get = dict(zip(names, w))
        mean, var = get["mean"].reshape(broadcast), get["variance"].reshape(broadcast)
    sd = torch.clamp(torch.sqrt(var), min=BACKEND_EPSILON)
    return mean + x * sd if c.get("invert") else (x - mean) / sd


# ---- resizing ----

def tf_resize_numpy(img, out_h, out_w, mode):
    """tf.image.resize (half-pixel centres, no antialias) on (N, C, H, W), transcribed from
    TensorFlow's kernels: the float32 scale in/out; nearest reads min(floor((o + 0.5) * scale),
    n - 1); bilinear reads lower = max(floor(s), 0), upper = min(ceil(s), n - 1) of
    s = (o + 0.5) * scale - 0.5 with lerp s - floor(s)."""
    n_in_h, n_in_w = img.shape[2], img.shape[3]

    def weights(n_in, n_out):
        scale = np.float32(n_in) / np.float32(n_out)
        o = np.arange(n_out, dtype=np.float32)
        if mode == "nearest":
            k = np.minimum(np.floor((o + np.float32(0.5)) * scale).astype(np.int64), n_in - 1)
            return k, k, np.zeros(n_out)
        s = (o + np.float32(0.5)) * scale - np.float32(0.5)
        f = np.floor(s)
        lower = np.maximum(f.astype(np.int64), 0)
        upper = np.minimum(np.ceil(s).astype(np.int64), n_in - 1)
        return lower, upper, (s - f).astype(np.float64)

    yl, yh, ly = weights(n_in_h, out_h)
    xl, xh, lx = weights(n_in_w, out_w)
    top = img[:, :, yl][:, :, :, xl] * (1 - lx) + img[:, :, yl][:, :, :, xh] * lx
    bottom = img[:, :, yh][:, :, :, xl] * (1 - lx) + img[:, :, yh][:, :, :, xh] * lx
    return top * (1 - ly)[:, None] + bottom * ly[:, None]


def resize(img, out_h, out_w, mode):
    """img (N, C, H, W) float64 -> (N, C, out_h, out_w) by torch, checked against TF's maths."""
    torch_mode = "bilinear" if mode == "bilinear" else "nearest-exact"
    kwargs = {"align_corners": False} if mode == "bilinear" else {}
    y = F.interpolate(img, size=(out_h, out_w), mode=torch_mode, **kwargs)
    tf_like = tf_resize_numpy(img.numpy(), out_h, out_w, mode)
    # TensorFlow's scale is float32, torch's float64 here: positions differ by float32 rounding,
    # values by a few 1e-6 (another mapping, align_corners or tfjs's, would differ by ~0.1).
    # Nearest picks the same pixels.
    assert np.allclose(y.numpy(), tf_like, rtol=0, atol=1e-5), "torch and tf.image.resize differ"
    if mode == "nearest":
        assert np.array_equal(y.numpy(), tf_like), "torch and tf.image.resize pick different pixels"
    return y


def aspect_crop(img, th, tw):
    # Keras: crop_h = max(min(h, int(w * th / tw)), 1), started at int((h - crop_h) / 2).
    h, w = img.shape[2], img.shape[3]
    ch = max(min(h, int(float(w * th) / tw)), 1)
    cw = max(min(w, int(float(h * tw) / th)), 1)
    hs, ws = int((h - ch) / 2), int((w - cw) / 2)
    return img[:, :, hs:hs + ch, ws:ws + cw]


def aspect_pad(img, th, tw, fill):
    # Keras' TensorFlow backend pads int((pad_h - h) / 2) rows on each side (and the same for
    # columns), so an odd difference pads one less than pad_h - h in all.
    h, w = img.shape[2], img.shape[3]
    ph = int((max(h, int(float(w * th) / tw)) - h) / 2)
    pw = int((max(w, int(float(h * tw) / th)) - w) / 2)
    return F.pad(img, (pw, pw, ph, ph), value=fill)


def resizing(c, x):
    fmt = data_format(c)
    img = x.movedim(-1, 1) if fmt == CL else x
    th, tw = c["height"], c["width"]
    mode = c.get("interpolation") or "bilinear"
    if c.get("crop_to_aspect_ratio"):
        img = aspect_crop(img, th, tw)
    elif c.get("pad_to_aspect_ratio"):
        img = aspect_pad(img, th, tw, c.get("fill_value", 0.0))
    y = resize(img, th, tw, mode)
    return y.movedim(1, -1) if fmt == CL else y


def center_crop(c, x):
    fmt = data_format(c)
    img = x.movedim(-1, 1) if fmt == CL else x
    th, tw = c["height"], c["width"]
    h, w = img.shape[2], img.shape[3]
    if h >= th and w >= tw:
        hs, ws = (h - th) // 2, (w - tw) // 2
        y = img[:, :, hs:hs + th, ws:ws + tw]
    else:  # smart_resize: the aspect crop, then bilinear
        y = resize(aspect_crop(img, th, tw), th, tw, "bilinear")
    return y.movedim(1, -1) if fmt == CL else y


def expected(layer, x_np, weights, names):
    cls, c = layer["class_name"], layer["config"]
    x = torch.from_numpy(x_np).to(torch.float64)
    w = [torch.from_numpy(np.asarray(a, dtype=np.float64)) for a in weights]
    if cls == "BatchNormalization":
        y = batch_norm(c, x, w, names)
    elif cls == "LayerNormalization":
        y = layer_norm(c, x, w, names)
    elif cls == "Rescaling":
        y = rescaling(c, x)
    elif cls == "Normalization":
        y = normalization(c, x, w, names)
    elif cls == "Resizing":
        y = resizing(c, x)
    elif cls == "CenterCrop":
        y = center_crop(c, x)
    else:
        raise ValueError(cls)
    return as_float32(y)


# ---------------------------------------------------------------------------------------
# Weight shapes, as Keras builds them.

def weight_shapes(layer, shape, names):
    cls, c = layer["class_name"], layer["config"]
    rank = len(shape)
    if cls == "BatchNormalization":
        axes = axes_of(c.get("axis", -1), rank)
        one = (shape[axes[0]],) if len(axes) == 1 else tuple(
            shape[d] if d in axes else 1 for d in range(rank))
        return [one for _ in names]
    if cls == "LayerNormalization":
        sizes = tuple(shape[a] for a in axes_of(c.get("axis", -1), rank))
        return [sizes for _ in names]
    if cls == "Normalization":
        sizes = tuple(shape[a] for a in axes_of(c.get("axis", -1), rank))
        return [sizes, sizes, ()]
    return []


def write_case(name, layer, shape, names):
    rng = case_rng(name)
    x = signed_values(rng, shape, 0.1, 2.0)
    if layer["class_name"] == "Rescaling" and layer["config"]["scale"] in (1 / 255, 1 / 127.5):
        x = rng.uniform(0, 255, size=shape).astype(np.float32)  # pixel values
    weights = [draw(rng, n, s) for n, s in zip(names, weight_shapes(layer, shape, names))]
    arrays = {"input": x, "expected": expected(layer, x, weights, names)}
    arrays.update(numbered("weight", weights))
    write_case_folder(name, layer, arrays)


def main():
    generate(CASES, write_case, FAMILY_PREFIXES)


if __name__ == "__main__":
    main()
