#!/usr/bin/python3
"""Writes the fuzzers' seed corpora: tests/fuzz/corpus/npy/ and tests/fuzz/corpus/layer_json/.

Run with Debian's /usr/bin/python3 (it has numpy). The .npy seeds are what np.save writes for
every dtype and layout the reader accepts, some it refuses by name, and damaged files; the JSON
seeds are every layer class in its Keras 3 and Keras 1 forms (the golden cases), whole models of
each Keras generation, the shipped pipelines, and the argument forms the golden cases lack.
Seeds are small (under 4 KiB): libFuzzer mutates small inputs fastest.
"""
import io
import json
import pathlib
import struct

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fuzz" / "corpus"


def save(a, version=None):
    buf = io.BytesIO()
    if version is None:
        np.save(buf, a, allow_pickle=False)
    else:
        np.lib.format.write_array(buf, np.asanyarray(a), version=version, allow_pickle=False)
    return buf.getvalue()


def raw_npy(header, data=b"", major=1):
    """A .npy file from a header text as written, for headers numpy would never write."""
    text = (header + "\n").encode("latin-1")
    length = struct.pack("<H", len(text)) if major == 1 else struct.pack("<I", len(text))
    return b"\x93NUMPY" + bytes([major, 0]) + length + text + data


def npy_seeds():
    rng = np.random.default_rng(8)
    small = rng.standard_normal((2, 3))
    seeds = {
        "f4_2x3": small.astype("<f4"),
        "f8_3x2_fortran": np.asfortranarray(small.T.astype("<f8")),
        "f2_specials": np.array([0, -0.0, 1e-7, 65504, np.inf, -np.inf, np.nan, 1 / 3], "<f2"),
        "f4_specials": np.array([np.nan, np.inf, -np.inf, 1e-45, 3.4e38, -0.0], "<f4"),
        "f8_out_of_float_range": np.array([1e300, -1e300, 5e-324], "<f8"),
        "i1": np.arange(-4, 4, dtype="i1"),
        "i2_fortran_2x3x2": np.asfortranarray(np.arange(12, dtype="<i2").reshape(2, 3, 2)),
        "i4_2x2": np.array([[2**31 - 1, -(2**31)], [0, 7]], "<i4"),
        "i8_extremes": np.array([2**63 - 1, -(2**63), 2**53 + 1], "<i8"),
        "u1_image_1x4x4x3": rng.integers(0, 256, (1, 4, 4, 3)).astype("u1"),
        "u2": np.array([0, 65535], "<u2"),
        "u4": np.array([0, 2**32 - 1], "<u4"),
        "u8": np.array([0, 2**64 - 1], "<u8"),
        "b1_2x2": np.array([[True, False], [False, True]]),
        "f4_0d": np.array(2.5, "<f4"),
        "f4_empty_0": np.zeros((0,), "<f4"),
        "f4_empty_2x0x3": np.zeros((2, 0, 3), "<f4"),
        "f4_5d_1x2x1x2x1": np.arange(4, dtype="<f4").reshape(1, 2, 1, 2, 1),
        "f4_fortran_1x3x2x2": np.asfortranarray(np.arange(12, dtype="<f4").reshape(1, 3, 2, 2)),
        # refused by name
        "refused_big_endian_f4": np.array([1.0, 2.0], ">f4"),
        "refused_complex64": np.array([1 + 2j], "<c8"),
        "refused_structured": np.zeros(2, dtype=[("x", "<f4"), ("y", "<i2")]),
        "refused_unicode": np.array(["ab"], "<U2"),
    }
    out = {f"{name}.npy": save(a) for name, a in seeds.items()}
    out["f4_v2.npy"] = save(small.astype("<f4"), version=(2, 0))
    out["f4_v3.npy"] = save(small.astype("<f4"), version=(3, 0))
    out["u1_big_endian_byte_order_ok.npy"] = raw_npy(
        "{'descr': '>u1', 'fortran_order': False, 'shape': (3,), }", b"\x01\x02\x03")
    out["f4_python2_long.npy"] = raw_npy(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1L, 2L), }", struct.pack("<2f", 1, 2))
    out["f4_double_quotes.npy"] = raw_npy(
        '{"descr": "<f4", "fortran_order": False, "shape": (1,)}', struct.pack("<f", 1))
    # damaged
    good = out["f4_2x3.npy"]
    out["bad_truncated_data.npy"] = good[:-5]
    out["bad_truncated_header.npy"] = good[:40]
    out["bad_extra_bytes.npy"] = good + b"\0\0\0\0"
    out["bad_magic.npy"] = b"\x93NUMPZ" + good[6:]
    out["bad_version_4.npy"] = good[:6] + b"\x04\x00" + good[8:]
    out["bad_header_length.npy"] = good[:8] + b"\xff\xff" + good[10:]
    out["bad_empty.npy"] = b""
    out["bad_negative_dim.npy"] = raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2), }")
    out["bad_huge_dims.npy"] = raw_npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 3), }")
    out["bad_unknown_key.npy"] = raw_npy(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': None}", b"\0\0\0\0")
    out["bad_missing_shape.npy"] = raw_npy("{'descr': '<f4', 'fortran_order': False}")
    out["bad_nested_tuples.npy"] = raw_npy(
        "{'descr': [('a', (((((((((((((((((('<f4',),),),),),),),),),),),),),),),),),),)], "
        "'fortran_order': False, 'shape': ()}")
    out["bad_integer_overflow.npy"] = raw_npy(
        "{'descr': '<f4', 'fortran_order': 1, 'shape': (99999999999999999999,), }")
    out["bad_control_bytes.npy"] = raw_npy("{'descr': '<f4\n\x1b[31m', 'fortran_order': False, 'shape': (1,)}")
    return out


def compact(doc):
    return (json.dumps(doc, separators=(",", ":")) + "\n").encode()


# Argument forms and classes the golden cases do not hold: Keras 1 dict and 4-tuple
# paddings, mixed crop pairs, TF.js' modelTopology wrapper, and refusals.
EXTRA_LAYERS = {
    "zeropadding2d_keras1_dict": {"class_name": "ZeroPadding2D", "config": {
        "padding": {"top_pad": 1, "bottom_pad": 2, "left_pad": 0, "right_pad": 3}, "dim_ordering": "th"}},
    "zeropadding2d_keras1_4tuple": {"class_name": "ZeroPadding2D", "config": {"padding": [1, 2, 3, 4]}},
    "zeropadding1d_keras1_dict": {"class_name": "ZeroPadding1D", "config": {
        "padding": {"left_pad": 2, "right_pad": 1}}},
    "cropping3d_mixed_pairs": {"class_name": "Cropping3D", "config": {
        "cropping": [2, [0, 3], [1, 0]], "data_format": "channels_first"}},
    "cropping2d_int": {"class_name": "Cropping2D", "config": {"cropping": 1}},
    "upsampling1d_keras1_length": {"class_name": "UpSampling1D", "config": {"length": 3}},
    "upsampling2d_bilinear_cf": {"class_name": "UpSampling2D", "config": {
        "size": [2, 3], "interpolation": "bilinear", "data_format": "channels_first"}},
    "upsampling3d_trilinear": {"class_name": "UpSampling3D", "config": {"size": 2, "interpolation": "trilinear"}},
    "conv2d_groups_full": {"class_name": "Conv2D", "config": {
        "filters": 4, "kernel_size": [3, 2], "strides": 2, "dilation_rate": [1, 2], "padding": "full",
        "groups": 2, "activation": "gelu", "use_bias": False}},
    "conv1d_causal_keras1": {"class_name": "Convolution1D", "config": {
        "nb_filter": 2, "filter_length": 3, "subsample_length": 2, "border_mode": "causal", "bias": False}},
    "conv3d_keras1_dims": {"class_name": "Convolution3D", "config": {
        "nb_filter": 2, "kernel_dim1": 1, "kernel_dim2": 2, "kernel_dim3": 3, "dim_ordering": "tf"}},
    "conv2dtranspose_op": {"class_name": "Conv2DTranspose", "config": {
        "filters": 3, "kernel_size": 4, "strides": [3, 2], "output_padding": [2, 1], "padding": "same"}},
    "learnable_crop_predicted": {"class_name": "LearnableCrop", "config": {
        "output_size": [4, 5], "box_source": "predicted", "min_size": [1.5, 2]}},
    "learnable_crop_keras3_module": {"module": "convscope", "class_name": "LearnableCrop",
                                     "registered_name": "convscope>LearnableCrop",
                                     "config": {"name": "lc", "output_size": [3, 3], "box_source": "weight"}},
    "refused_unknown_class": {"class_name": "Dense", "config": {"units": 3}},
    "refused_float_size": {"class_name": "UpSampling2D", "config": {"size": 2.0}},
    "refused_crop_too_big": {"class_name": "Cropping1D", "config": {"cropping": [40, 40]}},
    "tfjs_model_topology": {"modelTopology": {"class_name": "Sequential", "config": {"name": "tfjs", "layers": [
        {"class_name": "ZeroPadding2D", "config": {"padding": [[1, 1], [2, 2]],
                                                   "batch_input_shape": [None, 6, None, 2]}},
        {"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3, "depth_multiplier": 2}},
        {"class_name": "SeparableConv2D", "config": {"filters": 3, "kernel_size": [1, 3], "padding": "same"}},
    ]}}, "weightsManifest": []},
    "keras1_list_model": {"class_name": "Sequential", "config": [
        {"class_name": "Deconvolution2D", "config": {"nb_filter": 2, "nb_row": 3, "nb_col": 3,
                                                     "batch_input_shape": [None, 3, 5, 5], "dim_ordering": "th",
                                                     "subsample": [2, 2], "border_mode": "valid"}},
        {"class_name": "AtrousConvolution2D", "config": {"nb_filter": 1, "nb_row": 2, "nb_col": 2,
                                                         "atrous_rate": [2, 2], "dim_ordering": "th"}},
    ]},
    "keras3_conv1d_chain": {"module": "keras", "class_name": "Sequential", "config": {"name": "seq", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 17, 2]}},
        {"module": "keras.layers", "class_name": "Conv1DTranspose", "config": {
            "filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}},
        {"module": "keras.layers", "class_name": "SeparableConv1D", "config": {"filters": 1, "kernel_size": 2}},
        {"module": "keras.layers", "class_name": "DepthwiseConv1D", "config": {"kernel_size": 2, "padding": "same"}},
    ]}},
    "refused_rank_mismatch_model": {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Conv1D", "config": {"filters": 2, "kernel_size": 1, "batch_input_shape": [None, 8, 1]}},
        {"class_name": "Cropping2D", "config": {"cropping": 1}},
    ]}},
}

M = 2**31 - 1  # the largest argument the GPU kernels take
# What the fuzzer, or inputs aimed where it pointed, found (see tests/test_model.cpp): kept as
# seeds so that every run starts by trying them again.
REGRESSIONS = {
    "number_overflow": b'{"class_name": "UpSampling1D", "config": {"size": 1e400}}\n',
    "name_with_newline": compact({"class_name": "Cropping1D", "config": {"name": "a\nb\u0085", "cropping": [40, 40]}}),
    "padding_int64_max": compact({"class_name": "ZeroPadding1D", "config": {"padding": [2**63 - 1, 1]}}),
    "padding_4tuple_uint64": compact({"class_name": "ZeroPadding2D", "config": {"padding": [2**64 - 1, 1, 2, 3]}}),
    "upsampling_int64": compact({"class_name": "UpSampling1D", "config": {"size": 2**62}}),
    "dilated_kernel_int64": compact({"class_name": "Conv1D", "config": {
        "filters": 1, "kernel_size": 2**62, "dilation_rate": 4}}),
    "summary_input_int64_max": compact({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "ZeroPadding1D", "config": {"padding": 1, "batch_input_shape": [None, 2**63 - 1, 1]}}]}}),
    "summary_input_uint64": compact({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Conv1D", "config": {"filters": 1, "kernel_size": M, "padding": "full", "dilation_rate": M,
                                            "batch_input_shape": [None, 2**64 - 1, 1]}}]}}),
    "transpose_extremes": compact({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Conv1DTranspose", "config": {"filters": M, "kernel_size": M, "strides": M, "dilation_rate": M,
                                                     "output_padding": M - 1, "batch_input_shape": [None, M, 1]}}]}}),
    "separable_extremes": compact({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "SeparableConv2D", "config": {"filters": M, "kernel_size": M, "depth_multiplier": M,
                                                     "padding": "same", "strides": M,
                                                     "batch_input_shape": [None, M, 1, M]}},
        {"class_name": "Conv2DTranspose", "config": {"filters": 3, "kernel_size": M, "dilation_rate": M,
                                                     "padding": "same"}}]}}),
    "summary_kernel_2e93_weights": compact({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Conv3D", "config": {"filters": M, "kernel_size": M, "padding": "same",
                                            "batch_input_shape": [None, 1, 1, 1, M]}}]}}),
    "full_then_crop": compact({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Conv1D", "config": {"filters": 1, "kernel_size": M, "padding": "full", "dilation_rate": M,
                                            "batch_input_shape": [None, 5, 1]}},
        {"class_name": "Cropping1D", "config": {"cropping": [M, 0]}}]}}),
    "upsampling_chain_past_int32": compact({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "UpSampling1D", "config": {"size": M}}, {"class_name": "UpSampling1D", "config": {"size": 2}}]}}),
    "learnable_crop_huge_min_size": compact({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "LearnableCrop", "config": {"output_size": [M, M], "box_source": "predicted",
                                                   "min_size": [1e308, 0], "batch_input_shape": [None, 8, 8, 2]}},
        {"class_name": "UpSampling2D", "config": {"size": M, "interpolation": "bilinear"}}]}}),
}


def layer_json_seeds():
    out = {}
    # Two golden cases of each class (Keras 1 names are classes of their own there): the
    # fuzzer finds the other argument combinations from these within seconds.
    per_class = {}
    for path in sorted((ROOT / "tests" / "golden" / "cases").glob("*/layer.json")):
        doc = json.loads(path.read_text())
        if per_class.setdefault(doc["class_name"], 0) < 2:
            per_class[doc["class_name"]] += 1
            out[f"case_{path.parent.name}.json"] = compact(doc)
    for path in sorted((ROOT / "tests" / "golden" / "models").glob("*/model.json")):
        out[f"model_{path.parent.name}.json"] = compact(json.loads(path.read_text()))
    for path in sorted((ROOT / "assets" / "pipelines").glob("*.json")):
        out[f"pipeline_{path.stem}.json"] = compact(json.loads(path.read_text()))
    for name, doc in EXTRA_LAYERS.items():
        out[f"extra_{name}.json"] = compact(doc)
    for name, data in REGRESSIONS.items():
        out[f"regression_{name}.json"] = data
    out["bad_syntax.json"] = b'{"class_name": "Conv2D", "config": {"filters": 2,'
    return out


def write(directory, files):
    # Files already there stay: inputs merged in from fuzzing runs (named by their SHA-1, see
    # docs/RELIABILITY.md) sit beside the seeds.
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        assert len(data) < 4096, f"{name} is {len(data)} bytes; seeds stay under 4 KiB"
        (directory / name).write_bytes(data)
    print(f"{directory.relative_to(ROOT)}: {len(files)} files, {sum(map(len, files.values()))} bytes")


if __name__ == "__main__":
    write(OUT / "npy", npy_seeds())
    write(OUT / "layer_json", layer_json_seeds())
