#!/usr/bin/python3
"""convscope against PyTorch on the same machine, row by row.

Times the suite of `convscope bench` (app/cli/bench.cpp) with torch.nn.functional: the same
row names, shapes, FLOP counting (a multiply-add counts 2, bias not counted; transposed
convolutions count per input position) and byte counting (bytes read plus bytes written,
each once, for layers without FLOPs). Then runs `convscope bench --json` (or reads a result
saved earlier) and prints one Markdown table.

PyTorch runs on CUDA when torch sees an NVIDIA GPU (TF32 off, so both sides do float32
maths), else on the CPU with one thread per core. Run with Debian's interpreter, which has
python3-torch (apt-get install python3-torch), not a pyenv one:

    /usr/bin/python3 scripts/compare-pytorch.py --quick
    /usr/bin/python3 scripts/compare-pytorch.py --convscope-json bench.json
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("compare-pytorch: PyTorch is missing. Install Debian's python3-torch "
             "(apt-get install python3-torch) and run this script with /usr/bin/python3.")

sys.dont_write_bytecode = True
REPO = Path(__file__).resolve().parent.parent
PIPELINE = REPO / "assets" / "pipelines" / "default.json"


class Work:
    """One row's work: `run()` does it once; `flops` (convolutions) or `nbytes` give its rate."""

    def __init__(self, run, flops=0.0, nbytes=0.0):
        self.run, self.flops, self.nbytes = run, flops, nbytes


def rand(device, *shape):
    return torch.rand(*shape, device=device) * 2 - 1


def conv_flops(positions, taps, in_per_group, out_channels):
    return 2.0 * positions * taps * in_per_group * out_channels


def conv2d(cin, cout, size, k, device):
    x, w, b = rand(device, 1, cin, size, size), rand(device, cout, cin, k, k), rand(device, cout)
    return Work(lambda: F.conv2d(x, w, b, padding="same"), conv_flops(size * size, k * k, cin, cout))


def depthwise2d(channels, size, k, device):
    x, w, b = rand(device, 1, channels, size, size), rand(device, channels, 1, k, k), rand(device, channels)
    return Work(lambda: F.conv2d(x, w, b, padding="same", groups=channels), conv_flops(size * size, k * k, 1, channels))


def conv2d_transpose(cin, cout, size, k, stride, device):
    # Keras 'same' makes the output size * stride: torch gets there with padding (k - s) / 2.
    x, w, b = rand(device, 1, cin, size, size), rand(device, cin, cout, k, k), rand(device, cout)
    pad = (k - stride) // 2
    return Work(lambda: F.conv_transpose2d(x, w, b, stride=stride, padding=pad),
                conv_flops(size * size, k * k, cin, cout))  # per input position, as convscope counts


def conv3d(cin, cout, dhw, k, device):
    x, w, b = rand(device, 1, cin, *dhw), rand(device, cout, cin, k, k, k), rand(device, cout)
    return Work(lambda: F.conv3d(x, w, b, padding="same"), conv_flops(dhw[0] * dhw[1] * dhw[2], k ** 3, cin, cout))


def movement(shape, op, device):
    x = rand(device, *shape)
    return Work(lambda: op(x), nbytes=4.0 * (x.numel() + op(x).numel()))


def merge(shape, op, device):
    """Two inputs of `shape` (convscope's rows merge the input with itself: the same bytes)."""
    x, y = rand(device, *shape), rand(device, *shape)
    return Work(lambda: op(x, y), nbytes=4.0 * (x.numel() + y.numel() + op(x, y).numel()))


def batchnorm(shape, device):
    c = shape[1]
    x, mean, var = rand(device, *shape), rand(device, c), torch.rand(c, device=device) + 0.5
    gamma, beta = rand(device, c), rand(device, c)
    op = partial(F.batch_norm, running_mean=mean, running_var=var, weight=gamma, bias=beta, training=False, eps=1e-3)
    return Work(lambda: op(x), nbytes=4.0 * 2 * x.numel())


def dense(cin, cout, device):
    x, w, b = rand(device, 1, cin), rand(device, cout, cin), rand(device, cout)
    return Work(lambda: F.linear(x, w, b), 2.0 * cin * cout)


def conv_bn_relu(channels, size, device):
    """Conv2D 3x3 'same', BatchNormalization, relu: what PyTorch runs for both convscope rows."""
    conv = conv2d(channels, channels, size, 3, device)
    mean, var, gamma, beta = (rand(device, channels), torch.rand(channels, device=device) + 0.5,
                              rand(device, channels), rand(device, channels))

    def run():
        y = conv.run()
        return F.relu(F.batch_norm(y, mean, var, gamma, beta, training=False, eps=1e-3))

    return Work(run, conv.flops)


def keras_pair(value, what):
    """A Keras 2D cropping/padding argument as ((top, bottom), (left, right))."""
    if isinstance(value, int):
        return (value, value), (value, value)
    if all(isinstance(v, int) for v in value):
        return (value[0], value[0]), (value[1], value[1])
    if all(isinstance(v, list) and len(v) == 2 for v in value):
        return tuple(value[0]), tuple(value[1])
    raise ValueError(f"{what}: cannot read {value!r}")


def pipeline_layer(layer, channels, device):
    """A torch function for one layer of the default pipeline, and its output channel count."""
    kind, c = layer["class_name"], layer["config"]
    if c.get("data_format", "channels_last") != "channels_last":
        raise ValueError("only channels_last pipelines are mirrored")
    if kind in ("Conv2D", "DepthwiseConv2D"):
        k, s = c["kernel_size"], tuple(c["strides"])
        if tuple(c.get("dilation_rate", [1, 1])) != (1, 1) or c.get("activation", "linear") != "linear":
            raise ValueError(f"{kind}: only undilated, linear layers are mirrored")
        if c["padding"] == "same" and s != (1, 1):
            raise ValueError(f"{kind}: strided 'same' is not mirrored")
        groups = channels if kind == "DepthwiseConv2D" else c.get("groups", 1)
        cout = channels * c.get("depth_multiplier", 1) if kind == "DepthwiseConv2D" else c["filters"]
        w = rand(device, cout, channels // groups, *k)
        b = rand(device, cout) if c.get("use_bias", True) else None
        padding = "same" if c["padding"] == "same" else 0
        return (lambda x: F.conv2d(x, w, b, stride=s, padding=padding, groups=groups)), cout
    if kind == "UpSampling2D":
        mode, size = c.get("interpolation", "nearest"), c.get("size", 2)
        size = tuple(size) if isinstance(size, list) else (size, size)
        extra = {"align_corners": False} if mode == "bilinear" else {}
        return (lambda x: F.interpolate(x, scale_factor=size, mode=mode, **extra)), channels
    if kind == "Cropping2D":
        (t, bo), (le, r) = keras_pair(c.get("cropping", 0), kind)
        return (lambda x: x[:, :, t:x.shape[2] - bo, le:x.shape[3] - r].contiguous()), channels
    if kind == "ZeroPadding2D":
        (t, bo), (le, r) = keras_pair(c.get("padding", 1), kind)
        return (lambda x: F.pad(x, (le, r, t, bo))), channels
    raise ValueError(f"{kind} is not mirrored in PyTorch")


def default_pipeline(device):
    """assets/pipelines/default.json at 512 x 512 x 3, read layer by layer as convscope does."""
    layers = [l for l in json.loads(PIPELINE.read_text())["config"]["layers"] if l["class_name"] != "InputLayer"]
    channels, fns = 3, []
    for layer in layers:
        fn, channels = pipeline_layer(layer, channels, device)
        fns.append(fn)
    x = rand(device, 1, 3, 512, 512)

    def run():
        y = x
        for fn in fns:
            y = fn(y)
        return y

    return Work(run)


# (row name, make(device) -> Work), in convscope's order. Crop and pad run at 64 x 512 x 512,
# upsampling at 64 x 256 x 256, as in convscope (lavapipe's 128 MiB storage-buffer limit
# refuses the output of upsampling a 512 x 512 input).
SUITE = [
    ("conv2d_3x3_3to16_512", partial(conv2d, 3, 16, 512, 3)),
    ("conv2d_3x3_32to32_256", partial(conv2d, 32, 32, 256, 3)),
    ("conv2d_3x3_64to64_128", partial(conv2d, 64, 64, 128, 3)),
    ("conv2d_3x3_128to128_64", partial(conv2d, 128, 128, 64, 3)),
    ("conv2d_1x1_64to64_128", partial(conv2d, 64, 64, 128, 1)),
    ("depthwise2d_3x3_64_128", partial(depthwise2d, 64, 128, 3)),
    ("conv2d_transpose_4x4_s2_32to32_128", partial(conv2d_transpose, 32, 32, 128, 4, 2)),
    ("conv3d_3x3x3_16to16_16x64x64", partial(conv3d, 16, 16, (16, 64, 64), 3)),
    ("zeropadding2d_64x512", partial(movement, (1, 64, 512, 512), lambda x: F.pad(x, (1, 1, 1, 1)))),
    ("cropping2d_64x512", partial(movement, (1, 64, 512, 512), lambda x: x[:, :, 1:-1, 1:-1].contiguous())),
    ("upsampling2d_nearest_64x256",
     partial(movement, (1, 64, 256, 256), lambda x: F.interpolate(x, scale_factor=2, mode="nearest"))),
    ("upsampling2d_bilinear_64x256",
     partial(movement, (1, 64, 256, 256),
             lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False))),
    ("maxpool2d_2x2_64x256", partial(movement, (1, 64, 256, 256), lambda x: F.max_pool2d(x, 2))),
    # TF 'same' average pooling divides by the real elements: count_include_pad=False.
    ("avgpool2d_3x3_s1_same_64x128",
     partial(movement, (1, 64, 128, 128), lambda x: F.avg_pool2d(x, 3, 1, padding=1, count_include_pad=False))),
    ("global_avgpool2d_64x256", partial(movement, (1, 64, 256, 256), lambda x: x.mean(dim=(2, 3)))),
    ("global_maxpool2d_64x256", partial(movement, (1, 64, 256, 256), lambda x: x.amax(dim=(2, 3)))),
    ("batchnorm_64x256", partial(batchnorm, (1, 64, 256, 256))),
    ("dense_2048to1000", partial(dense, 2048, 1000)),
    ("add_64x256", partial(merge, (1, 64, 256, 256), torch.add)),
    ("concatenate_64x256", partial(merge, (1, 64, 256, 256), lambda x, y: torch.cat([x, y], 1))),
    ("conv_bn_relu_64to64_128_unfused", partial(conv_bn_relu, 64, 128)),
    ("conv_bn_relu_64to64_128_fused", partial(conv_bn_relu, 64, 128)),
    ("default_pipeline_512", default_pipeline),
]


def choose_device():
    if torch.cuda.is_available():
        # Both sides do plain float32 maths: TF32 would trade precision for speed.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        return torch.device("cuda")
    torch.set_num_threads(os.cpu_count())
    return torch.device("cpu")


def median_ms(fn, device, warmup, runs):
    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    times = []
    for i in range(warmup + runs):
        sync()  # nothing earlier still running inside the timed span
        start = time.perf_counter()
        fn()
        sync()  # CUDA launches return at once: wait for the work itself
        if i >= warmup:
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def time_torch(args, device):
    warmup, runs = (1, 3) if args.quick else (3, 10)
    results = {}
    with torch.inference_mode():
        for name, make in SUITE:
            if args.only not in name:
                continue
            work = make(device)
            ms = median_ms(work.run, device, warmup, runs)
            entry = {"ms": ms}
            if work.flops:
                entry["gflops"] = work.flops / (ms * 1e6)
            elif work.nbytes:
                entry["gbps"] = work.nbytes / (ms * 1e6)
            results[name] = entry
            print(f"  PyTorch {name:<36} {ms:9.3f} ms", file=sys.stderr)
            del work  # free its tensors before the next row's
    return results


def convscope_results(args):
    if args.convscope_json:
        return json.loads(Path(args.convscope_json).read_text())
    if not args.convscope.is_file():
        sys.exit(f"compare-pytorch: no convscope binary at {args.convscope}; build it (scripts/build.sh), "
                 "or pass --convscope PATH or --convscope-json FILE")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.json"
        command = [str(args.convscope), "bench", "--json", str(out)] + (["--quick"] if args.quick else [])
        if args.only:
            command += ["--only", args.only]
        print("running " + " ".join(command), file=sys.stderr)
        subprocess.run(command, check=True, stdout=sys.stderr)
        return json.loads(out.read_text())


def rate(entry):
    if entry is None:
        return "—"
    if "gflops" in entry:
        return f"{entry['gflops']:.2f} GFLOP/s"
    if "gbps" in entry:
        return f"{entry['gbps']:.2f} GB/s"
    return "—"


def print_table(ours, theirs):
    print("| name | convscope ms | PyTorch ms | ratio (PyTorch/convscope) | convscope rate | PyTorch rate |")
    print("|---|---|---|---|---|---|")
    for row in ours["results"]:
        name, mine = row["name"], row
        other = theirs.get(name)
        torch_ms = f"{other['ms']:.3f}" if other else "—"
        ratio = f"{other['ms'] / mine['ms']:.2f}" if other else "—"
        print(f"| {name} | {mine['ms']:.3f} | {torch_ms} | {ratio} | {rate(mine)} | {rate(other)} |")


def torch_device_name(device):
    if device.type == "cuda":
        return f"CUDA, {torch.cuda.get_device_name(device)}, TF32 off"
    return f"CPU, {torch.get_num_threads()} threads"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs per row, on both sides")
    parser.add_argument("--only", default="", help="only the rows whose name contains this")
    parser.add_argument("--convscope", type=Path, default=REPO / "build" / "app" / "convscope",
                        help="the convscope binary (default: build/app/convscope)")
    parser.add_argument("--convscope-json", help="reuse this `convscope bench --json` result instead of running it")
    args = parser.parse_args()

    device = choose_device()
    ours = convscope_results(args)  # first, so PyTorch's threads do not compete with it
    theirs = time_torch(args, device)
    ceilings = ours.get("ceilings", {})
    print(f"convscope on {ours['device']}; PyTorch {torch.__version__} on {torch_device_name(device)}; "
          f"{'--quick, ' if args.quick else ''}median of warm runs")
    print(f"convscope ceilings: copy {ceilings.get('copy_gbps', 0):.2f} GB/s (read + write), "
          f"FMA peak {ceilings.get('fma_gflops', 0):.2f} GFLOP/s")
    print()
    print_table(ours, theirs)


if __name__ == "__main__":
    main()
