#!/usr/bin/env python3
"""Writes the bundled pipelines of assets/pipelines/: each a Keras 3 model.to_json() file
plus its weights as <name>.weights.npz (np.savez(path, *model.get_weights()) order).

Run with Debian's numpy: /usr/bin/python3 scripts/make_presets.py. Deterministic; the outputs
are committed, so building convscope needs no Python.
"""
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "assets" / "pipelines"
LUMINANCE = np.array([0.299, 0.587, 0.114])  # ITU-R 601, as PIL's 'L'

SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float) / 4
SOBEL_Y = SOBEL_X.T
LAPLACIAN = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)
IDENTITY3 = np.zeros((3, 3)); IDENTITY3[1, 1] = 1


def gaussian(size, sigma):
    r = np.arange(size) - (size - 1) / 2
    g = np.exp(-0.5 * (r / sigma) ** 2)
    k = np.outer(g, g)
    return k / k.sum()


def depthwise(kernel2d, channels):
    """A DepthwiseConv2D kernel (kh, kw, channels, 1) applying the same 2D kernel to each channel."""
    return np.repeat(kernel2d[:, :, None, None], channels, axis=2)


def on_luminance(kernels2d):
    """A Conv2D kernel (kh, kw, 3, F): filter f is kernels2d[f] applied to the image's luminance."""
    k = np.stack(kernels2d, axis=-1)  # (kh, kw, F)
    return k[:, :, None, :] * LUMINANCE[None, None, :, None]


def layer(cls, name, **config):
    config = {"name": name, "trainable": True, "dtype": "float32", **config}
    if cls == "LearnableCrop":
        return {"module": "convscope", "class_name": cls, "config": config, "registered_name": "convscope>LearnableCrop"}
    return {"module": "keras.layers", "class_name": cls, "config": config, "registered_name": None}


def conv2d(name, filters, k, **extra):
    return layer("Conv2D", name, filters=filters, kernel_size=[k, k], strides=extra.pop("strides", [1, 1]),
                 padding=extra.pop("padding", "same"), data_format="channels_last",
                 dilation_rate=extra.pop("dilation_rate", [1, 1]), groups=1,
                 activation=extra.pop("activation", "linear"), use_bias=extra.pop("use_bias", True), **extra)


def depthwise2d(name, k, **extra):
    return layer("DepthwiseConv2D", name, kernel_size=[k, k], strides=extra.pop("strides", [1, 1]),
                 padding=extra.pop("padding", "same"), data_format="channels_last",
                 dilation_rate=extra.pop("dilation_rate", [1, 1]), depth_multiplier=1,
                 activation=extra.pop("activation", "linear"), use_bias=False, **extra)


def model(name, layers, channels=3):
    batch_shape = [None, None, None, channels]
    inputs = {"module": "keras.layers", "class_name": "InputLayer",
              "config": {"batch_shape": batch_shape, "dtype": "float32", "sparse": False, "name": "input_layer"},
              "registered_name": None}
    return {"module": "keras", "class_name": "Sequential",
            "config": {"name": name, "trainable": True, "dtype": "float32", "layers": [inputs] + layers,
                       "build_input_shape": batch_shape},
            "registered_name": None, "build_config": {"input_shape": batch_shape}}


PRESETS = {
    # The README's main job: blur, edge filters, a strided pooling, bilinear upsampling, a crop.
    "default": (
        "A tour: Gaussian blur, Sobel and Laplacian edges, strided average, bilinear upsampling, crop",
        [depthwise2d("blur", 5), conv2d("edges", 4, 3), depthwise2d("pool", 2, strides=[2, 2], padding="valid"),
         layer("UpSampling2D", "upsample", size=[2, 2], data_format="channels_last", interpolation="bilinear"),
         layer("Cropping2D", "trim", cropping=[[8, 8], [8, 8]], data_format="channels_last")],
        [depthwise(gaussian(5, 1.0), 3), on_luminance([SOBEL_X, SOBEL_Y, LAPLACIAN, IDENTITY3]), np.zeros(4),
         depthwise(np.full((2, 2), 0.25), 4)]),
    "edges": (
        "Edge detection: Sobel x and y in both signs through relu, then their sum: an L1 edge magnitude",
        [conv2d("sobel", 4, 3, activation="relu"), conv2d("magnitude", 1, 1), conv2d("laplacian", 1, 3)],
        [on_luminance([SOBEL_X, -SOBEL_X, SOBEL_Y, -SOBEL_Y]), np.zeros(4), np.ones((1, 1, 4, 1)), np.zeros(1),
         LAPLACIAN[:, :, None, None], np.zeros(1)]),
    "blur_downsample": (
        "A Gaussian pyramid: blur, then a strided 2x2 average, twice",
        [depthwise2d("blur1", 5), depthwise2d("down1", 2, strides=[2, 2], padding="valid"),
         depthwise2d("blur2", 5), depthwise2d("down2", 2, strides=[2, 2], padding="valid")],
        [depthwise(gaussian(5, 1.0), 3), depthwise(np.full((2, 2), 0.25), 3),
         depthwise(gaussian(5, 1.0), 3), depthwise(np.full((2, 2), 0.25), 3)]),
    "dilation": (
        "Dilation grows the receptive field: 3x3 box filters with dilation 1, 2 and 4 reach 3, 7 and 15 pixels",
        [depthwise2d("d1", 3, dilation_rate=[1, 1]), depthwise2d("d2", 3, dilation_rate=[2, 2]),
         depthwise2d("d4", 3, dilation_rate=[4, 4])],
        [depthwise(np.full((3, 3), 1 / 9), 3)] * 3),
    "transposed_checkerboard": (
        "Conv2DTranspose with kernel 3 and stride 2: uneven overlap paints a checkerboard",
        [depthwise2d("down", 2, strides=[2, 2], padding="valid"),
         layer("Conv2DTranspose", "up", filters=3, kernel_size=[3, 3], strides=[2, 2], padding="same",
               data_format="channels_last", dilation_rate=[1, 1], activation="linear", use_bias=False,
               output_padding=None)],
        [depthwise(np.full((2, 2), 0.25), 3), np.eye(3)[None, None, :, :] * np.ones((3, 3, 1, 1)) / 4]),
    "separable_vs_full": (
        "SeparableConv2D: a 5x5 blur per channel, then a 1x1 mix into opponent colours, with 84 weights "
        "where a full 5x5 Conv2D needs 228",
        [layer("SeparableConv2D", "separable", filters=3, kernel_size=[5, 5], strides=[1, 1], padding="same",
               data_format="channels_last", dilation_rate=[1, 1], depth_multiplier=1, activation="linear",
               use_bias=True),
         conv2d("full", 3, 5)],
        [depthwise(gaussian(5, 1.5), 3),
         np.array([[LUMINANCE, [1, -1, 0], [0.5, 0.5, -1]]]).transpose(0, 2, 1)[None],  # (1, 1, 3, 3)
         np.zeros(3),
         # The full equivalent of the same blur and mix: kernel[:, :, c, f] = blur * mix[c, f].
         gaussian(5, 1.5)[:, :, None, None] * np.array([LUMINANCE, [1, -1, 0], [0.5, 0.5, -1]]).T[None, None],
         np.zeros(3)]),
    "crop_pad_upsample": (
        "Crop, upsample, pad and crop back: index remaps that move data without arithmetic",
        [layer("Cropping2D", "face", cropping=[[24, 232], [136, 120]], data_format="channels_last"),
         layer("UpSampling2D", "zoom", size=[2, 2], data_format="channels_last", interpolation="nearest"),
         layer("ZeroPadding2D", "frame", padding=[[16, 16], [16, 16]], data_format="channels_last"),
         layer("Cropping2D", "unframe", cropping=[[16, 16], [16, 16]], data_format="channels_last")],
        []),
    "learnable_crop": (
        "LearnableCrop: a differentiable box (y0, x0, h, w) resampled to 128x128; fit it with convscope fit-crop",
        [layer("LearnableCrop", "box", output_size=[128, 128], data_format="channels_last", box_source="weight"),
         layer("UpSampling2D", "zoom", size=[2, 2], data_format="channels_last", interpolation="bilinear")],
        [np.array([30.0, 150.0, 200.0, 190.0])]),
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (description, layers, weights) in PRESETS.items():
        doc = model(name, layers)
        doc["config"]["description"] = description  # ignored by Keras; shown by convscope
        (OUT / f"{name}.json").write_text(json.dumps(doc, indent=2) + "\n")
        npz = OUT / f"{name}.weights.npz"
        if weights:
            np.savez(npz, *[np.asarray(w, dtype=np.float32) for w in weights])
        elif npz.exists():
            npz.unlink()
    print(f"wrote {len(PRESETS)} pipelines to {OUT}")


if __name__ == "__main__":
    main()
