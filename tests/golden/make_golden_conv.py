#!/usr/bin/python3
"""Golden values for the convolution layers, computed with PyTorch.

Covers Conv1D/2D/3D, DepthwiseConv1D/2D, SeparableConv1D/2D, Conv1D/2D/3DTranspose and the
Keras 1 names (Convolution1D/2D/3D, AtrousConvolution1D/2D, SeparableConvolution2D,
Deconvolution2D). Nothing here reads convscope's code: configs are normalised by the small
parser below, written from shared/SEMANTICS.md, and the values come from torch's
conv / conv_transpose in float64. Keras' padding arithmetic is applied by hand (F.pad with
the exact zeros of SEMANTICS.md, then a convolution with padding 0), so torch's own padding
rules play no part.

Run with Debian's interpreter (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 tests/golden/make_golden_conv.py
Each case becomes cases/<name>/{layer.json, input.npy, weight_<i>.npy, expected.npy}, the
weights in Keras get_weights() order and layout. Only the folders of the families written
here are replaced; the crop and pad cases are left alone. The outputs are committed; CI
only reads them. Seeding, writing and the --table printout are in golden_common.py, shared
with the other generators.
"""

import math
import re
import sys
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
from golden_common import (CF, CL, DTYPE_POLICY, as_float32, case_rng, from_channels_first,
                           generate, numbered, signed_values, to_channels_first,
                           write_case_folder)

# The case folders this script owns (and deletes before writing them again).
FAMILY_PREFIXES = ("conv1d_", "conv2d_", "conv3d_", "conv1dT_", "conv2dT_", "conv3dT_",
                   "depthwise1d_", "depthwise2d_", "separable1d_", "separable2d_",
                   "keras1_convolution", "keras1_atrous", "keras1_separable",
                   "keras1_deconvolution")


def keras_object(class_name, config=None):
    return {"module": "keras.initializers", "class_name": class_name,
            "config": config if config is not None else {}, "registered_name": None}


# ---------------------------------------------------------------------------------------
# Configs, written the way Keras 3 get_config() writes them (tuples become lists). With
# full=True a case also carries the initializer / regularizer / constraint keys Keras
# writes, which a reader has to skip.

def rank_of(class_name):
    return int(re.search(r"(\d)D", class_name).group(1))


def as_list(value, rank):
    return list(value) if isinstance(value, (list, tuple)) else [value] * rank


def keras3(class_name, args, initializers, *, full, dtype, name):
    config = {"name": name, "trainable": True, "dtype": dtype, **args}
    if full:
        for key in initializers:
            config[key] = (keras_object("GlorotUniform", {"seed": None})
                           if key.endswith("kernel_initializer") else keras_object("Zeros"))
        for key in ("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                    "kernel_constraint", "bias_constraint"):
            config[key] = None
    return {"class_name": class_name, "config": config}


def conv(class_name, filters, kernel, strides=1, padding="valid", data_format=CL,
         dilation=1, groups=1, activation="linear", use_bias=True, full=False,
         dtype="float32"):
    r = rank_of(class_name)
    args = {"filters": filters, "kernel_size": as_list(kernel, r),
            "strides": as_list(strides, r), "padding": padding, "data_format": data_format,
            "dilation_rate": as_list(dilation, r), "groups": groups,
            "activation": activation, "use_bias": use_bias}
    return keras3(class_name, args, ("kernel_initializer", "bias_initializer"),
                  full=full, dtype=dtype, name=class_name.lower())


def depthwise(class_name, kernel, depth_multiplier=1, strides=1, padding="valid",
              data_format=CL, dilation=1, activation="linear", use_bias=True):
    r = rank_of(class_name)
    args = {"depth_multiplier": depth_multiplier, "kernel_size": as_list(kernel, r),
            "strides": as_list(strides, r), "padding": padding, "data_format": data_format,
            "dilation_rate": as_list(dilation, r), "activation": activation,
            "use_bias": use_bias}
    return keras3(class_name, args, (), full=False, dtype="float32",
                  name=f"depthwise_conv{r}d")


def separable(class_name, filters, kernel, depth_multiplier=1, strides=1, padding="valid",
              data_format=CL, dilation=1, activation="linear", use_bias=True):
    r = rank_of(class_name)
    args = {"depth_multiplier": depth_multiplier, "filters": filters,
            "kernel_size": as_list(kernel, r), "strides": as_list(strides, r),
            "padding": padding, "data_format": data_format,
            "dilation_rate": as_list(dilation, r), "activation": activation,
            "use_bias": use_bias}
    return keras3(class_name, args, (), full=False, dtype="float32",
                  name=f"separable_conv{r}d")


def transpose(class_name, filters, kernel, strides=1, padding="valid", output_padding=None,
              data_format=CL, dilation=1, activation="linear", use_bias=True, full=False):
    r = rank_of(class_name)
    args = {"filters": filters, "kernel_size": as_list(kernel, r),
            "strides": as_list(strides, r), "padding": padding,
            "output_padding": None if output_padding is None else as_list(output_padding, r),
            "data_format": data_format, "dilation_rate": as_list(dilation, r),
            "activation": activation, "use_bias": use_bias}
    return keras3(class_name, args, ("kernel_initializer", "bias_initializer"),
                  full=full, dtype=DTYPE_POLICY if full else "float32",
                  name=f"conv{r}d_transpose")


# Keras 1: its own argument names, `init`, `bias` and (2D/3D) `dim_ordering`. With full=True
# the W_/b_ regularizer and constraint keys Keras 1 wrote are added as nulls.
KERAS1_EXTRAS = {
    "SeparableConvolution2D": ("depthwise_regularizer", "pointwise_regularizer",
                               "b_regularizer", "activity_regularizer",
                               "depthwise_constraint", "pointwise_constraint", "b_constraint"),
}
KERAS1_DEFAULT_EXTRAS = ("W_regularizer", "b_regularizer", "activity_regularizer",
                         "W_constraint", "b_constraint")


def keras1(class_name, name, full=False, **args):
    config = {"name": name, "trainable": True, **args}
    if full:
        for key in KERAS1_EXTRAS.get(class_name, KERAS1_DEFAULT_EXTRAS):
            config[key] = None
    return {"class_name": class_name, "config": config}


def k1conv(class_name, nb_filter, *, init="glorot_uniform", activation="linear",
           border_mode="valid", bias=True, full=False, **args):
    shape_args = {k: args.pop(k) for k in list(args)
                  if k in ("filter_length", "nb_row", "nb_col", "kernel_dim1", "kernel_dim2",
                           "kernel_dim3")}
    return keras1(class_name, class_name.lower() + "_1", full=full, nb_filter=nb_filter,
                  **shape_args, init=init, activation=activation, border_mode=border_mode,
                  **args, bias=bias)


# ---------------------------------------------------------------------------------------
# Cases: (name, what it covers, layer, input shape in the layer's data_format, batch first).

CASES = [
    # --- Conv1D ----------------------------------------------------------------------------
    ("conv1d_valid_k3_cl_batch2", "valid, k 3, batch 2, relu",
     conv("Conv1D", 4, 3, activation="relu"), (2, 9, 3)),
    ("conv1d_same_k4_s2_cl", "same, even k 4, s 2 (zeros 1 / 2), tanh",
     conv("Conv1D", 3, 4, strides=2, padding="same", activation="tanh"), (1, 9, 5)),
    ("conv1d_same_k2_s3_cf", "same, k 2, s 3 (zeros 0 / 1), 1 input channel, sigmoid",
     conv("Conv1D", 2, 2, strides=3, padding="same", data_format=CF, activation="sigmoid"),
     (1, 1, 10)),
    ("conv1d_causal_k3_d2_cl", "causal with dilation 2 (4 zeros before), elu",
     conv("Conv1D", 4, 3, padding="causal", dilation=2, activation="elu"), (1, 8, 3)),
    ("conv1d_causal_k2_s2_cf_batch2", "causal, s 2, batch 2, softplus",
     conv("Conv1D", 3, 2, strides=2, padding="causal", data_format=CF, activation="softplus"),
     (2, 5, 7)),
    ("conv1d_valid_k2_s3_stride_gt_kernel_nobias", "valid, s 3 > k 2 (inputs skipped), no bias",
     conv("Conv1D", 2, 2, strides=3, use_bias=False), (1, 11, 3)),
    ("conv1d_groups3_same_k3_cl", "groups 3 (3 in, 6 filters), same, selu",
     conv("Conv1D", 6, 3, padding="same", groups=3, activation="selu"), (1, 7, 3)),
    ("conv1d_groups2_causal_cf", "groups 2 (4 in, 6 filters), causal, softsign",
     conv("Conv1D", 6, 3, padding="causal", data_format=CF, groups=2, activation="softsign"),
     (1, 4, 7)),
    ("conv1d_strided_dilated_same_cl", "s 2 with d 2, same (Keras refuses), swish",
     conv("Conv1D", 3, 3, strides=2, padding="same", dilation=2, activation="swish"),
     (1, 11, 5)),
    ("conv1d_1x1_nobias_cf", "k 1, 8 filters, no bias, leaky_relu",
     conv("Conv1D", 8, 1, data_format=CF, activation="leaky_relu", use_bias=False),
     (1, 5, 6)),
    ("conv1d_dilated_d3_valid_cl_batch2", "valid with dilation 3 (k_eff 7), gelu",
     conv("Conv1D", 2, 3, dilation=3, activation="gelu"), (2, 12, 1)),

    # --- Conv2D ----------------------------------------------------------------------------
    ("conv2d_valid_k3_cl_batch2", "valid, k 3, batch 2, relu6",
     conv("Conv2D", 4, 3, activation="relu6"), (2, 7, 6, 3)),
    ("conv2d_same_k4_s2_cl", "same, even k 4, s 2, hard_sigmoid",
     conv("Conv2D", 5, 4, strides=2, padding="same", activation="hard_sigmoid"),
     (1, 9, 8, 3)),
    ("conv2d_same_k2_s3_cf", "same, k 2, s 3, 1 input channel, exponential",
     conv("Conv2D", 2, 2, strides=3, padding="same", data_format=CF,
          activation="exponential"), (1, 1, 7, 10)),
    ("conv2d_same_aniso_k3x2_s1x2_cf_batch2", "same, k (3, 2), s (1, 2), batch 2, elu",
     conv("Conv2D", 3, [3, 2], strides=[1, 2], padding="same", data_format=CF,
          activation="elu"), (2, 5, 6, 7)),
    ("conv2d_valid_aniso_k2x4_s3x1_cl", "valid, k (2, 4), s (3, 1), 5 input channels",
     conv("Conv2D", 4, [2, 4], strides=[3, 1]), (1, 8, 7, 5)),
    ("conv2d_dilated_d2x3_same_cl", "same, k 3, d (2, 3), softsign",
     conv("Conv2D", 3, 3, padding="same", dilation=[2, 3], activation="softsign"),
     (1, 9, 10, 5)),
    ("conv2d_strided_dilated_valid_cf", "valid, k (3, 2), s (2, 3), d 2 (Keras refuses), tanh",
     conv("Conv2D", 2, [3, 2], strides=[2, 3], data_format=CF, dilation=2, activation="tanh"),
     (1, 3, 11, 12)),
    ("conv2d_groups2_valid_cl", "groups 2 (4 in, 6 filters), k (2, 3), gelu",
     conv("Conv2D", 6, [2, 3], groups=2, activation="gelu"), (1, 6, 5, 4)),
    ("conv2d_groups3_same_s2_cf", "groups 3 (3 in, 6 filters), same, s 2, relu",
     conv("Conv2D", 6, 3, strides=2, padding="same", data_format=CF, groups=3,
          activation="relu"), (1, 3, 7, 6)),
    ("conv2d_1x1_s2_nobias_cf", "k 1, s 2, 8 filters, no bias",
     conv("Conv2D", 8, 1, strides=2, data_format=CF, use_bias=False), (1, 5, 5, 7)),
    ("conv2d_same_k2_s4_stride_gt_kernel_cl", "same, s 4 > k 2, leaky_relu",
     conv("Conv2D", 3, 2, strides=4, padding="same", activation="leaky_relu"), (1, 9, 10, 3)),
    ("conv2d_full_config_dtype_policy", "same; every key Keras 3 writes, DTypePolicy, silu",
     conv("Conv2D", 4, 3, padding="same", activation="silu", full=True, dtype=DTYPE_POLICY),
     (1, 6, 5, 3)),

    # --- Conv3D ----------------------------------------------------------------------------
    ("conv3d_valid_k2_cl_batch2", "valid, k 2, batch 2, silu",
     conv("Conv3D", 2, 2, activation="silu"), (2, 4, 5, 3, 3)),
    ("conv3d_same_aniso_k3x2x1_s2x1x2_cf", "same, k (3, 2, 1), s (2, 1, 2), sigmoid",
     conv("Conv3D", 3, [3, 2, 1], strides=[2, 1, 2], padding="same", data_format=CF,
          activation="sigmoid"), (1, 1, 5, 4, 6)),
    ("conv3d_groups3_same_k2_cl", "groups 3 (3 in, 6 filters), same, even k 2, softplus",
     conv("Conv3D", 6, 2, padding="same", groups=3, activation="softplus"), (1, 3, 4, 3, 3)),
    ("conv3d_dilated_d1x2x2_valid_cf", "valid, k (2, 3, 2), d (1, 2, 2), selu",
     conv("Conv3D", 2, [2, 3, 2], data_format=CF, dilation=[1, 2, 2], activation="selu"),
     (1, 5, 3, 6, 5)),
    ("conv3d_same_k4_s3_nobias_cl", "same, even k 4, s 3, 1 input channel, no bias, tanh",
     conv("Conv3D", 4, 4, strides=3, padding="same", activation="tanh", use_bias=False),
     (1, 5, 4, 7, 1)),

    # --- DepthwiseConv1D / 2D --------------------------------------------------------------
    ("depthwise1d_valid_k3_dm1_cl", "valid, dm 1, relu",
     depthwise("DepthwiseConv1D", 3, activation="relu"), (1, 8, 3)),
    ("depthwise1d_same_k4_s2_dm2_cf_batch2", "same, even k 4, s 2, dm 2, batch 2, elu",
     depthwise("DepthwiseConv1D", 4, depth_multiplier=2, strides=2, padding="same",
               data_format=CF, activation="elu"), (2, 5, 9)),
    ("depthwise1d_same_d2_dm3_nobias_cl", "same, d 2, dm 3, 1 input channel, no bias, swish",
     depthwise("DepthwiseConv1D", 3, depth_multiplier=3, padding="same", dilation=2,
               activation="swish", use_bias=False), (1, 10, 1)),
    ("depthwise1d_valid_k2_s3_stride_gt_kernel_dm2_cl", "valid, s 3 > k 2, dm 2, hard_sigmoid",
     depthwise("DepthwiseConv1D", 2, depth_multiplier=2, strides=3,
               activation="hard_sigmoid"), (1, 11, 3)),
    ("depthwise2d_valid_k3_dm1_cl_batch2", "valid, dm 1, batch 2",
     depthwise("DepthwiseConv2D", 3), (2, 6, 7, 3)),
    ("depthwise2d_same_k2_s3_dm2_cf", "same, k 2, s 3, dm 2, 5 input channels, gelu",
     depthwise("DepthwiseConv2D", 2, depth_multiplier=2, strides=3, padding="same",
               data_format=CF, activation="gelu"), (1, 5, 7, 8)),
    ("depthwise2d_same_aniso_k3x4_s2x1_dm3_cl", "same, k (3, 4), s (2, 1), dm 3, relu6",
     depthwise("DepthwiseConv2D", [3, 4], depth_multiplier=3, strides=[2, 1], padding="same",
               activation="relu6"), (1, 7, 6, 1)),
    ("depthwise2d_dilated_d2x1_valid_dm2_nobias_cf", "valid, k (2, 3), d (2, 1), dm 2, no bias",
     depthwise("DepthwiseConv2D", [2, 3], depth_multiplier=2, data_format=CF,
               dilation=[2, 1], activation="softsign", use_bias=False), (1, 3, 7, 6)),
    ("depthwise2d_1x1_s2_dm2_cl", "k 1, s 2, dm 2, exponential",
     depthwise("DepthwiseConv2D", 1, depth_multiplier=2, strides=2,
               activation="exponential"), (1, 5, 4, 3)),

    # --- SeparableConv1D / 2D --------------------------------------------------------------
    ("separable1d_valid_k3_dm1_cl", "valid, dm 1, relu",
     separable("SeparableConv1D", 4, 3, activation="relu"), (1, 9, 3)),
    ("separable1d_same_k4_s2_dm2_cf_batch2", "same, even k 4, s 2, dm 2, batch 2, tanh",
     separable("SeparableConv1D", 3, 4, depth_multiplier=2, strides=2, padding="same",
               data_format=CF, activation="tanh"), (2, 5, 8)),
    ("separable1d_same_d2_dm3_nobias_cl", "same, d 2, dm 3, 1 input channel, no bias, silu",
     separable("SeparableConv1D", 2, 3, depth_multiplier=3, padding="same", dilation=2,
               activation="silu", use_bias=False), (1, 10, 1)),
    ("separable2d_valid_k3_dm1_cl_batch2", "valid, dm 1, batch 2, selu",
     separable("SeparableConv2D", 4, 3, activation="selu"), (2, 6, 5, 3)),
    ("separable2d_same_k2_s3_dm2_cf", "same, k 2, s 3, dm 2, 5 in, 8 filters, sigmoid",
     separable("SeparableConv2D", 8, 2, depth_multiplier=2, strides=3, padding="same",
               data_format=CF, activation="sigmoid"), (1, 5, 7, 8)),
    ("separable2d_same_aniso_k3x1_s1x2_dm3_cl", "same, k (3, 1), s (1, 2), dm 3, leaky_relu",
     separable("SeparableConv2D", 3, [3, 1], depth_multiplier=3, strides=[1, 2],
               padding="same", activation="leaky_relu"), (1, 6, 7, 1)),
    ("separable2d_dilated_d2_valid_dm2_nobias_cf", "valid, d 2, dm 2, no bias, softplus",
     separable("SeparableConv2D", 2, 3, depth_multiplier=2, data_format=CF, dilation=2,
               activation="softplus", use_bias=False), (1, 3, 8, 7)),

    # --- Conv1DTranspose -------------------------------------------------------------------
    ("conv1dT_valid_k3_s2_cl_batch2", "valid, k 3, s 2, batch 2, relu",
     transpose("Conv1DTranspose", 4, 3, strides=2, activation="relu"), (2, 5, 3)),
    ("conv1dT_valid_k2_s3_stride_gt_kernel_cf",
     "valid, s 3 > k 2: O = (n-1)s + s, the last position holds only the bias",
     transpose("Conv1DTranspose", 2, 2, strides=3, data_format=CF), (1, 5, 4)),
    ("conv1dT_same_k4_s2_cl", "same, even k 4, s 2 (c = 1), 1 input channel, tanh",
     transpose("Conv1DTranspose", 3, 4, strides=2, padding="same", activation="tanh"),
     (1, 6, 1)),
    ("conv1dT_same_k3_s1_cf", "same, stride 1, elu",
     transpose("Conv1DTranspose", 3, 3, padding="same", data_format=CF, activation="elu"),
     (1, 3, 7)),
    ("conv1dT_valid_k3_s2_op1_cl", "valid, output_padding 1 (zero-extended end), sigmoid",
     transpose("Conv1DTranspose", 2, 3, strides=2, output_padding=1, activation="sigmoid"),
     (1, 4, 3)),
    ("conv1dT_same_k3_s3_op2_cf", "same, k 3, s 3, output_padding 2, 5 in, softsign",
     transpose("Conv1DTranspose", 3, 3, strides=3, padding="same", output_padding=2,
               data_format=CF, activation="softsign"), (1, 5, 4)),
    ("conv1dT_same_k2_s2_op0_cl", "same, even k 2, output_padding 0: O = (n-1)s, c = 1, swish",
     transpose("Conv1DTranspose", 2, 2, strides=2, padding="same", output_padding=0,
               activation="swish"), (1, 5, 3)),
    ("conv1dT_dilated_d2_valid_s1_nobias_cl", "valid, d 2, stride 1, no bias, gelu",
     transpose("Conv1DTranspose", 2, 3, dilation=2, activation="gelu", use_bias=False),
     (1, 6, 3)),
    ("conv1dT_same_k5_s2_full_config", "same, k 5, s 2 (c = 1); every key Keras 3 writes, relu6",
     transpose("Conv1DTranspose", 2, 5, strides=2, padding="same", activation="relu6",
               full=True), (1, 4, 3)),

    # --- Conv2DTranspose -------------------------------------------------------------------
    ("conv2dT_valid_k3_s2_cl_batch2", "valid, k 3, s 2, batch 2, swish",
     transpose("Conv2DTranspose", 4, 3, strides=2, activation="swish"), (2, 3, 4, 3)),
    ("conv2dT_same_k4_s2_cf", "same, even k 4, s 2, 1 input channel, hard_sigmoid",
     transpose("Conv2DTranspose", 3, 4, strides=2, padding="same", data_format=CF,
               activation="hard_sigmoid"), (1, 1, 4, 3)),
    ("conv2dT_same_aniso_k3x2_s2x3_op1x2_cl", "same, k (3, 2), s (2, 3), op (1, 2), leaky_relu",
     transpose("Conv2DTranspose", 2, [3, 2], strides=[2, 3], padding="same",
               output_padding=[1, 2], activation="leaky_relu"), (1, 3, 4, 3)),
    ("conv2dT_same_k5_s2_op0x1_cf_batch2", "same, k 5, s 2, op (0, 1) (c = 2, 1), batch 2",
     transpose("Conv2DTranspose", 3, 5, strides=2, padding="same", output_padding=[0, 1],
               data_format=CF), (2, 3, 3, 4)),
    ("conv2dT_valid_k2_s2_op1x0_cf", "valid, k 2, s 2, op (1, 0), 5 in",
     transpose("Conv2DTranspose", 3, 2, strides=2, output_padding=[1, 0], data_format=CF),
     (1, 5, 3, 4)),
    ("conv2dT_dilated_d2x1_same_s1_cl", "same, k 3, d (2, 1), stride 1 (c = 2, 1), exponential",
     transpose("Conv2DTranspose", 2, 3, padding="same", dilation=[2, 1],
               activation="exponential"), (1, 5, 4, 3)),
    ("conv2dT_valid_k1x3_s1_nobias_cf", "valid, k (1, 3), stride 1, no bias, softplus",
     transpose("Conv2DTranspose", 4, [1, 3], data_format=CF, activation="softplus",
               use_bias=False), (1, 3, 4, 5)),
    ("conv2dT_valid_k2_s3_stride_gt_kernel_cl", "valid, s 3 > k 2, 1 input channel, selu",
     transpose("Conv2DTranspose", 2, 2, strides=3, activation="selu"), (1, 3, 2, 1)),
    ("conv2dT_strided_dilated_valid_cf", "valid, k 3, s 2, d 2 (Keras refuses), tanh",
     transpose("Conv2DTranspose", 2, 3, strides=2, data_format=CF, dilation=2,
               activation="tanh"), (1, 3, 3, 4)),

    # --- Conv3DTranspose -------------------------------------------------------------------
    ("conv3dT_valid_k2_s2_cl", "valid, k 2, s 2, relu",
     transpose("Conv3DTranspose", 2, 2, strides=2, activation="relu"), (1, 2, 3, 2, 3)),
    ("conv3dT_same_aniso_k3x2x1_s1x2x2_cf", "same, k (3, 2, 1), s (1, 2, 2), sigmoid",
     transpose("Conv3DTranspose", 3, [3, 2, 1], strides=[1, 2, 2], padding="same",
               data_format=CF, activation="sigmoid"), (1, 1, 3, 2, 4)),
    ("conv3dT_valid_k3_s2_op1x0x1_cl_batch2", "valid, k 3, s 2, op (1, 0, 1), 5 in, gelu",
     transpose("Conv3DTranspose", 2, 3, strides=2, output_padding=[1, 0, 1],
               activation="gelu"), (2, 2, 2, 3, 5)),
    ("conv3dT_same_dilated_d1x2x1_s1_nobias_cf", "same, k (2, 3, 2), d (1, 2, 1), no bias",
     transpose("Conv3DTranspose", 2, [2, 3, 2], padding="same", data_format=CF,
               dilation=[1, 2, 1], activation="softsign", use_bias=False), (1, 3, 3, 4, 3)),

    # --- Keras 1 ---------------------------------------------------------------------------
    ("keras1_convolution2d_full_th", "full, k (3, 2), 'th'; W_/b_ keys as nulls, relu",
     k1conv("Convolution2D", 3, nb_row=3, nb_col=2, activation="relu", border_mode="full",
            subsample=[1, 1], dim_ordering="th", full=True), (1, 3, 5, 4)),
    ("keras1_convolution2d_full_subsample2_tf", "full with subsample 2: ceil((n+k-1)/s), 'tf'",
     k1conv("Convolution2D", 2, nb_row=3, nb_col=3, border_mode="full", subsample=[2, 2],
            dim_ordering="tf"), (1, 6, 5, 1)),
    ("keras1_convolution2d_same_subsample_th_nobias", "same, subsample (2, 1), bias False, tanh",
     k1conv("Convolution2D", 4, nb_row=3, nb_col=1, activation="tanh", border_mode="same",
            subsample=[2, 1], dim_ordering="th", bias=False), (2, 5, 6, 5)),
    ("keras1_convolution1d_full", "Convolution1D, full, softplus",
     k1conv("Convolution1D", 3, filter_length=3, activation="softplus", border_mode="full",
            subsample_length=1), (1, 6, 3)),
    ("keras1_convolution1d_full_subsample3", "Convolution1D, full, k 2, subsample 3, softsign",
     k1conv("Convolution1D", 2, filter_length=2, activation="softsign", border_mode="full",
            subsample_length=3), (1, 7, 1)),
    ("keras1_convolution1d_same_subsample2", "same, k 5, subsample 2; input_dim/length, relu",
     k1conv("Convolution1D", 3, filter_length=5, activation="relu", border_mode="same",
            subsample_length=2, full=True, input_dim=5, input_length=9), (2, 9, 5)),
    ("keras1_convolution3d_full_th", "Convolution3D, full, kernel_dim (2, 3, 1), 'th'",
     k1conv("Convolution3D", 2, kernel_dim1=2, kernel_dim2=3, kernel_dim3=1,
            border_mode="full", subsample=[1, 1, 1], dim_ordering="th"), (1, 1, 3, 4, 3)),
    ("keras1_convolution3d_same_tf", "Convolution3D, same, subsample (2, 1, 2), 'tf', relu",
     k1conv("Convolution3D", 3, kernel_dim1=3, kernel_dim2=3, kernel_dim3=3,
            activation="relu", border_mode="same", subsample=[2, 1, 2], dim_ordering="tf"),
     (1, 4, 5, 3, 3)),
    ("keras1_atrous1d", "AtrousConvolution1D, atrous_rate 2, same, tanh",
     k1conv("AtrousConvolution1D", 3, filter_length=3, activation="tanh", border_mode="same",
            subsample_length=1, atrous_rate=2), (1, 9, 3)),
    ("keras1_atrous1d_full", "AtrousConvolution1D, atrous_rate 2, k 2, full (k_eff - 1 = 2)",
     k1conv("AtrousConvolution1D", 2, filter_length=2, border_mode="full",
            subsample_length=1, atrous_rate=2), (1, 5, 1)),
    ("keras1_atrous2d_valid_th", "AtrousConvolution2D, atrous_rate (2, 3), valid, 'th', relu",
     k1conv("AtrousConvolution2D", 2, nb_row=3, nb_col=3, activation="relu",
            border_mode="valid", subsample=[1, 1], atrous_rate=[2, 3], dim_ordering="th"),
     (1, 3, 7, 9)),
    ("keras1_atrous2d_full_tf", "AtrousConvolution2D, atrous_rate (2, 1), k (2, 3), full, 'tf'",
     k1conv("AtrousConvolution2D", 3, nb_row=2, nb_col=3, activation="sigmoid",
            border_mode="full", subsample=[1, 1], atrous_rate=[2, 1], dim_ordering="tf"),
     (1, 4, 3, 3)),
    ("keras1_separable2d_same_tf", "SeparableConvolution2D, same, dm 2, 'tf'; nulls, relu",
     k1conv("SeparableConvolution2D", 4, nb_row=3, nb_col=3, activation="relu",
            border_mode="same", subsample=[1, 1], depth_multiplier=2, dim_ordering="tf",
            full=True), (1, 5, 6, 3)),
    ("keras1_separable2d_valid_subsample_th", "SeparableConvolution2D, valid, subsample 2, "
     "dm 1, 'th', bias False",
     k1conv("SeparableConvolution2D", 3, nb_row=3, nb_col=2, border_mode="valid",
            subsample=[2, 2], depth_multiplier=1, dim_ordering="th", bias=False),
     (1, 5, 7, 6)),
    ("keras1_deconvolution2d_valid_th", "Deconvolution2D, valid, subsample 2, output_shape, 'th'",
     k1conv("Deconvolution2D", 2, nb_row=3, nb_col=3, border_mode="valid", subsample=[2, 2],
            dim_ordering="th", output_shape=[None, 2, 7, 9]), (1, 3, 3, 4)),
    ("keras1_deconvolution2d_same_tf", "Deconvolution2D, same, subsample 2, output_shape, 'tf'",
     k1conv("Deconvolution2D", 3, nb_row=3, nb_col=3, activation="sigmoid",
            border_mode="same", subsample=[2, 2], dim_ordering="tf",
            output_shape=[None, 8, 6, 3]), (1, 4, 3, 1)),
]


# ---------------------------------------------------------------------------------------
# The parser: Keras 3 or Keras 1 config -> one Spec.

@dataclass
class Spec:
    kind: str  # conv, depthwise, separable, transpose
    rank: int
    filters: int  # for depthwise: the depth multiplier's output, set from the input
    kernel: list
    strides: list
    dilation: list
    padding: str
    data_format: str
    groups: int
    depth_multiplier: int
    use_bias: bool
    activation: str
    output_padding: list  # None when unset
    output_shape: list  # Keras 1 Deconvolution2D only, else None


KERAS3_KINDS = {"Conv": "conv", "DepthwiseConv": "depthwise", "SeparableConv": "separable"}
KERAS1_CLASSES = {
    "Convolution1D": ("conv", 1), "Convolution2D": ("conv", 2), "Convolution3D": ("conv", 3),
    "AtrousConvolution1D": ("conv", 1), "AtrousConvolution2D": ("conv", 2),
    "SeparableConvolution2D": ("separable", 2), "Deconvolution2D": ("transpose", 2),
}


def parse_keras3(class_name, c):
    rank = rank_of(class_name)
    stem = re.match(r"(\D+)\dD", class_name).group(1)
    kind = "transpose" if class_name.endswith("Transpose") else KERAS3_KINDS[stem]
    fmt = c.get("data_format") or CL
    op = c.get("output_padding")
    return Spec(kind, rank, c.get("filters", 0), as_list(c["kernel_size"], rank),
                as_list(c.get("strides", 1), rank), as_list(c.get("dilation_rate", 1), rank),
                c.get("padding", "valid"), fmt, c.get("groups", 1),
                c.get("depth_multiplier", 1), c.get("use_bias", True),
                c.get("activation") or "linear", None if op is None else as_list(op, rank),
                None)


def parse_keras1(class_name, c):
    kind, rank = KERAS1_CLASSES[class_name]
    if rank == 1:
        kernel, strides = [c["filter_length"]], [c.get("subsample_length", 1)]
    elif rank == 2:
        kernel, strides = [c["nb_row"], c["nb_col"]], as_list(c.get("subsample", 1), 2)
    else:
        kernel = [c["kernel_dim1"], c["kernel_dim2"], c["kernel_dim3"]]
        strides = as_list(c.get("subsample", 1), 3)
    fmt = {"th": CF, "tf": CL}[c.get("dim_ordering", "tf")]
    return Spec(kind, rank, c["nb_filter"], kernel, strides,
                as_list(c.get("atrous_rate", 1), rank), c.get("border_mode", "valid"), fmt, 1,
                c.get("depth_multiplier", 1), c.get("bias", True),
                c.get("activation") or "linear", None, c.get("output_shape"))


def parse(layer):
    class_name, config = layer["class_name"], layer["config"]
    if class_name in KERAS1_CLASSES:
        return parse_keras1(class_name, config)
    return parse_keras3(class_name, config)


# ---------------------------------------------------------------------------------------
# Shapes, straight from SEMANTICS.md.

def conv_padding(n, k, s, d, padding):
    """(before, after, output length) of a convolution along one axis."""
    k_eff = d * (k - 1) + 1
    if padding == "valid":
        out = (n - k_eff) // s + 1
        if out <= 0:
            raise ValueError(f"valid: kernel {k_eff} longer than input {n}")
        return 0, 0, out
    if padding == "same":
        out = -(-n // s)
        total = max((out - 1) * s + k_eff - n, 0)
        return total // 2, total - total // 2, out
    if padding == "causal":
        return k_eff - 1, 0, -(-n // s)
    if padding == "full":
        return k_eff - 1, k_eff - 1, -(-(n + k_eff - 1) // s)
    raise ValueError(f"unknown padding {padding!r}")


def transpose_window(n, k, s, d, padding, op):
    """(c, O): the full result is cut to positions c .. c+O-1 along one axis."""
    k_eff = d * (k - 1) + 1
    if op is not None and not 0 <= op < s:
        raise ValueError(f"output_padding {op} not below stride {s}")
    if padding == "valid":
        out = (n - 1) * s + (max(k_eff, s) if op is None else k_eff + op)
        return 0, out
    if padding == "same":
        out = n * s if op is None else (n - 1) * s + k_eff % 2 + op
        return max((n - 1) * s + k_eff - out, 0) // 2, out
    raise ValueError(f"transposed convolution has no padding {padding!r}")


def spatial(shape, fmt):
    return list(shape[1:-1]) if fmt == CL else list(shape[2:])


def channels(shape, fmt):
    return shape[-1] if fmt == CL else shape[1]


def weight_shapes(spec, in_ch):
    k = list(spec.kernel)
    if spec.kind == "conv":
        if in_ch % spec.groups or spec.filters % spec.groups:
            raise ValueError(f"groups {spec.groups} must divide {in_ch} and {spec.filters}")
        shapes = [k + [in_ch // spec.groups, spec.filters]]
        out_ch = spec.filters
    elif spec.kind == "depthwise":
        shapes = [k + [in_ch, spec.depth_multiplier]]
        out_ch = in_ch * spec.depth_multiplier
    elif spec.kind == "separable":
        shapes = [k + [in_ch, spec.depth_multiplier],
                  [1] * spec.rank + [in_ch * spec.depth_multiplier, spec.filters]]
        out_ch = spec.filters
    else:
        shapes = [k + [spec.filters, in_ch]]
        out_ch = spec.filters
    # Terms summed into one output (roughly, for transposed): keeps the activations near 1.
    fan_in = {"conv": [math.prod(shapes[0][:-1])],
              "depthwise": [math.prod(k)],
              "separable": [math.prod(k), in_ch * spec.depth_multiplier],
              "transpose": [math.prod(k) * in_ch]}[spec.kind]
    if spec.use_bias:
        shapes.append([out_ch])
        fan_in.append(None)
    return shapes, fan_in


# ---------------------------------------------------------------------------------------
# The values, in torch float64, channels first.

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def keras_to_torch_kernel(w, rank):
    """(k..., a, b) -> (b, a, k...): conv kernels (in/g, filters) and transposed (filters, in)."""
    return w.permute(rank + 1, rank, *range(rank)).contiguous()


def depthwise_to_torch(w, rank):
    """(k..., in, dm) -> (in*dm, 1, k...); channel c*dm + m, as Keras orders them."""
    k = w.shape[:rank]
    flat = w.reshape(*k, -1)  # (k..., in*dm), index c*dm + m
    return flat.permute(rank, *range(rank)).unsqueeze(1).contiguous()


def pad_like_keras(x, spec):
    """Zero-pad every spatial axis as SEMANTICS.md says; return the padded input."""
    flat = []
    for axis in reversed(range(spec.rank)):
        before, after, _ = conv_padding(x.shape[2 + axis], spec.kernel[axis],
                                        spec.strides[axis], spec.dilation[axis], spec.padding)
        flat += [before, after]
    return F.pad(x, flat)


def check_conv_shape(x, y, spec):
    for axis in range(spec.rank):
        *_, out = conv_padding(x.shape[2 + axis], spec.kernel[axis], spec.strides[axis],
                               spec.dilation[axis], spec.padding)
        assert y.shape[2 + axis] == out, (y.shape, axis, out)


def forward_conv(x, spec, w):
    y = CONV[spec.rank](pad_like_keras(x, spec), keras_to_torch_kernel(w, spec.rank),
                        stride=spec.strides, dilation=spec.dilation, groups=spec.groups)
    check_conv_shape(x, y, spec)
    return y


def forward_depthwise(x, spec, w):
    in_ch = x.shape[1]
    y = CONV[spec.rank](pad_like_keras(x, spec), depthwise_to_torch(w, spec.rank),
                        stride=spec.strides, dilation=spec.dilation, groups=in_ch)
    check_conv_shape(x, y, spec)
    return y


def forward_separable(x, spec, w_depth, w_point):
    mid = forward_depthwise(x, spec, w_depth)
    return CONV[spec.rank](mid, keras_to_torch_kernel(w_point, spec.rank))


def forward_transpose(x, spec, w):
    full = CONV_T[spec.rank](x, keras_to_torch_kernel(w, spec.rank), stride=spec.strides,
                             dilation=spec.dilation)
    index, extend = [slice(None), slice(None)], []
    for axis in range(spec.rank):
        n, length = x.shape[2 + axis], full.shape[2 + axis]
        k_eff = spec.dilation[axis] * (spec.kernel[axis] - 1) + 1
        assert length == (n - 1) * spec.strides[axis] + k_eff
        op = None if spec.output_padding is None else spec.output_padding[axis]
        c, out = transpose_window(n, spec.kernel[axis], spec.strides[axis],
                                  spec.dilation[axis], spec.padding, op)
        index.append(slice(c, min(c + out, length)))
        extend.append(max(c + out - length, 0))  # positions nothing reaches
    y = full[tuple(index)]
    flat = []
    for amount in reversed(extend):
        flat += [0, amount]
    return F.pad(y, flat)


def keras3_activation(name, y):
    if name == "linear":
        return y
    if name == "relu":
        return torch.clamp(y, min=0)
    if name == "relu6":
        return torch.clamp(y, 0, 6)
    if name == "leaky_relu":
        return torch.where(y >= 0, y, 0.2 * y)
    if name == "elu":
        return torch.where(y > 0, y, torch.expm1(y))
    if name == "selu":
        alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
        return scale * torch.where(y > 0, y, alpha * torch.expm1(y))
    if name == "gelu":
        return 0.5 * y * (1 + torch.erf(y / math.sqrt(2)))
    if name == "sigmoid":
        return torch.sigmoid(y)
    if name == "hard_sigmoid":  # Keras 3: relu6(x + 3) / 6 (Keras 1/2 used 0.2x + 0.5)
        return torch.clamp(y + 3, 0, 6) / 6
    if name == "tanh":
        return torch.tanh(y)
    if name == "softplus":
        return torch.logaddexp(y, torch.zeros_like(y))
    if name == "softsign":
        return y / (1 + y.abs())
    if name in ("swish", "silu"):
        return y * torch.sigmoid(y)
    if name == "exponential":
        return torch.exp(y)
    raise ValueError(f"unknown activation {name!r}")


def expected(spec, x_np, weights_np):
    x = to_channels_first(torch.from_numpy(x_np).to(torch.float64), spec.data_format)
    w = [torch.from_numpy(a).to(torch.float64) for a in weights_np]
    bias = w.pop() if spec.use_bias else None
    if spec.kind == "conv":
        y = forward_conv(x, spec, *w)
    elif spec.kind == "depthwise":
        y = forward_depthwise(x, spec, *w)
    elif spec.kind == "separable":
        y = forward_separable(x, spec, *w)
    else:
        y = forward_transpose(x, spec, *w)
    if bias is not None:
        y = y + bias.reshape(1, -1, *[1] * spec.rank)
    y = keras3_activation(spec.activation, y)
    return as_float32(from_channels_first(y, spec.data_format))


# ---------------------------------------------------------------------------------------
# Inputs and weights: seeded per case by name, so adding a case changes no other. Inputs
# are nonzero everywhere, so a padded zero cannot pass for an input value; kernels are
# scaled by 1/sqrt(fan_in) so that the activations see values around 1, and by more for
# relu6 and hard_sigmoid, whose flat ends (beyond 6, and beyond +-3) would otherwise go
# untested.
GAIN = {"relu6": 6.0, "hard_sigmoid": 3.0}

def make_arrays(name, spec, shape):
    rng = case_rng(name)
    x = signed_values(rng, shape, 0.25, 1.25)
    shapes, fan_in = weight_shapes(spec, channels(shape, spec.data_format))
    weights, gain = [], GAIN.get(spec.activation, 1.0)
    for s, fan in zip(shapes, fan_in):
        scale = 0.5 if fan is None else gain * 1.5 / math.sqrt(fan)
        weights.append((rng.uniform(-1.0, 1.0, size=s) * scale).astype(np.float32))
    return x, weights


def check_keras1_output_shape(spec, y):
    if spec.output_shape is None:
        return
    want = spec.output_shape[1:]
    assert list(y.shape[1:]) == want, (y.shape, want)


def write_case(name, layer, shape):
    spec = parse(layer)
    x, weights = make_arrays(name, spec, shape)
    y = expected(spec, x, weights)
    check_keras1_output_shape(spec, y)
    write_case_folder(name, layer, {"input": x, **numbered("weight", weights), "expected": y})


def main():
    generate(CASES, write_case, FAMILY_PREFIXES)


if __name__ == "__main__":
    main()
