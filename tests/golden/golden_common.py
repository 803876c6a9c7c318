"""Plumbing shared by the golden-value generators in this folder.

make_golden.py (crop / pad), make_golden_conv.py, make_golden_upsampling.py and
make_golden_learnable_crop.py each compute their values with their own torch code and read
configs with their own parser, written from shared/SEMANTICS.md. This module holds only what
they do alike: where the cases go, how a case is seeded and its folder written, which folders
a script may replace, and the --table printout for the README. Like the scripts, it reads
nothing of convscope's code.

The scripts are run as `/usr/bin/python3 tests/golden/<script>.py`; Python puts the script's
own folder first on sys.path, so `import golden_common` finds this file. They turn off
bytecode writing first, so that no __pycache__ is left next to the committed files.
"""

import json
import pathlib
import shutil
import sys
import zlib

import numpy as np
import torch

CASES_DIR = pathlib.Path(__file__).resolve().parent / "cases"

CL, CF = "channels_last", "channels_first"

# Keras >= 3.5 writes the dtype as a serialised DTypePolicy; Keras 3.0-3.4 and tf.keras 2
# write a plain string. Cases use both, so that readers accept either.
DTYPE_POLICY = {"module": "keras", "class_name": "DTypePolicy",
                "config": {"name": "float32"}, "registered_name": None}


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


# ---------------------------------------------------------------------------------------
# Arrays. Every case draws from its own generator, seeded with the CRC-32 of its name, so
# adding or removing a case changes no other.

def case_rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def random_signs(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape)


def signed_values(rng, shape, low, high, dtype=np.float32):
    """±(low ... high): nonzero everywhere and of both signs, so that a zero that came in
    from padding or from outside the input cannot pass for an input value."""
    sign = random_signs(rng, shape)
    return (sign * rng.uniform(low, high, size=shape)).astype(dtype)


def to_channels_first(t, fmt):
    return t.movedim(-1, 1) if fmt == CL else t


def from_channels_first(t, fmt):
    return t.movedim(1, -1) if fmt == CL else t


def as_float32(t):
    """A torch tensor as the C-ordered float32 array the .npy files hold."""
    return np.ascontiguousarray(t.detach().numpy(), dtype=np.float32)


# ---------------------------------------------------------------------------------------
# One case = one folder: layer.json and the arrays.

def to_json(value, indent=""):
    # Objects one key a line, lists on one line: `"cropping": [[2, 0], [1, 3]]` reads as the
    # argument it is.
    if not isinstance(value, dict) or not value:
        return json.dumps(value)
    inner = indent + "  "
    items = [f"{inner}{json.dumps(k)}: {to_json(v, inner)}" for k, v in value.items()]
    return "{\n" + ",\n".join(items) + "\n" + indent + "}"


def numbered(stem, arrays):
    """{stem_0: arrays[0], stem_1: arrays[1], ...}, for weight_<i> and the like."""
    return {f"{stem}_{i}": a for i, a in enumerate(arrays)}


def write_case_folder(name, layer, arrays):
    """cases/<name>/layer.json, then <key>.npy for each key of `arrays`. The folder must not
    exist yet: generate() has removed the script's own folders before."""
    folder = CASES_DIR / name
    folder.mkdir(parents=True)
    (folder / "layer.json").write_text(to_json(layer) + "\n")
    for key, a in arrays.items():
        np.save(folder / f"{key}.npy", a)


# ---------------------------------------------------------------------------------------
# A script's main.

def generate(cases, write_case, prefixes):
    """Write all of one script's cases.

    `cases` are tuples (name, what it covers, *args); write_case(name, *args) writes one.
    `prefixes` are the case folders the script owns: every case name must start with one,
    and only those folders are removed before writing, so the generators share cases/ and
    run in any order. `--table` on the command line prints the README's case table."""
    torch.set_num_threads(1)  # one summation order, whatever the machine
    names = [case[0] for case in cases]
    if len(set(names)) != len(names):
        sys.exit("duplicate case names")
    outside = [n for n in names if not n.startswith(prefixes)]
    if outside:
        sys.exit("a case name outside this script's families: " + str(outside))
    if CASES_DIR.exists():
        for folder in CASES_DIR.iterdir():
            if folder.is_dir() and folder.name.startswith(prefixes):
                shutil.rmtree(folder)  # a removed case must not linger
    for name, _, *args in cases:
        write_case(name, *args)
    if "--table" in sys.argv:
        for name, covers, *_ in cases:
            print(f"| `{name}` | {covers} |")
    print(f"wrote {len(cases)} cases to {CASES_DIR}", file=sys.stderr)
