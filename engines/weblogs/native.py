"""The compiled loops as machine code that loads without numba.

numba compiles `kernels.py` and caches the result, but loading that cache means importing
numba and building its compiler context: about a second before the first line is read,
a fifth of the whole run on a large file. So the first run compiles each kernel once more
behind a plain C entry point (a numba `cfunc` taking pointers and lengths) and keeps the
object code beside numba's own cache; later runs link it with llvmlite alone (tens of
milliseconds) and call it through ctypes, which releases the GIL as numba's `nogil` did.

The object file is keyed by the kernel sources, the numba and llvmlite versions and the
host CPU, so a change to any of them compiles afresh. Whenever the native path cannot be
used (a read-only install with no writable cache, an unexpected symbol in the object
code), the numba functions themselves run: slower to start, same results.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

# The compiled loops, each with its arguments: "u1:1" is a uint8 array
# of one dimension, "i8" an int64 scalar.
SIGNATURES: dict[str, tuple[str, ...]] = {
    "scan_squid": (
        ("u1:1", "u8:1", "i8")
        + ("i8:1", "i8:1", "i8:1", "b1:1", "i8:2", "i8:1")
        + ("i8:2", "i8:1", "i8:2", "u8:1", "i8:1") * 2
        + ("i8:1", "i8:1", "i8:1", "i8:1", "i8:1", "i8:1", "i8:2", "i8:1", "i8:2")
        + ("i8:1", "i8:1", "i8:1", "i8:1", "u8:2")
    ),
    "tally": ("i8:1", "i8:1", "i8:1", "i8") + ("i8:1",) * 5 + ("i8:2",) + ("i8:1",) * 5,
    "rehash": ("i8:2", "i8:2"),
    "recount": ("i8:2", "i8:2"),
}
DTYPES = {"u1": np.uint8, "u8": np.uint64, "i8": np.int64, "b1": np.bool_}
# The object code refers to numba's runtime and the Python C API, only on the path a loop
# takes when it raises (none of these loops raises: no allocation, no bounds checks, no
# division by a variable). Those symbols are defined here as stubs that record the failure
# in a flag, which the caller turns into an exception; the rest (memset, memcpy) are
# the C library's.
STUB_PREFIXES = ("Py", "_Py", "NRT_", "numba_")
FAILED = "boundaries_native_failed"


def _stubs(functions: list[str], data: list[str]) -> str:
    lines = [f"@{FAILED} = global i32 0"]
    lines += [f"@{name} = global [64 x i8] zeroinitializer" for name in data]
    for name in functions:
        lines += [
            f"define i8* @{name}() {{",
            f"  store volatile i32 1, i32* @{FAILED}",
            "  ret i8* null",
            "}",
        ]
    return "\n".join(lines) + "\n"


HERE = Path(__file__).resolve().parent
# The files whose text the machine code depends on (kernels.py takes constants from tables.py)
SOURCES = ("kernels.py", "tables.py", "native.py")


class NativeUnavailable(Exception):
    """The native path cannot be used here; the numba functions run instead."""


def _dtype_code(spec: str) -> tuple[Any, int]:
    code, _, dims = spec.partition(":")
    return DTYPES[code], int(dims or 0)


def cache_key() -> str:
    """What the machine code depends on; computed without importing numba."""
    import llvmlite.binding as llvm

    parts = [
        *((HERE / name).read_bytes() for name in SOURCES),
        metadata.version("numba").encode(),
        metadata.version("llvmlite").encode(),
        llvm.get_process_triple().encode(),
        llvm.get_host_cpu_name().encode(),
        llvm.get_host_cpu_features().flatten().encode(),
        sys.version.encode(),
    ]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:32]


def cache_dir() -> Path:
    """Where numba would cache (beside the sources, or NUMBA_CACHE_DIR), else the
    user's cache folder."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"]) / "boundaries-native"
    beside = HERE / "__pycache__"
    try:
        beside.mkdir(exist_ok=True)
        if os.access(beside, os.W_OK):
            return beside
    except OSError:
        pass
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "boundaries" / "native"


def _entry_source(name: str, specs: tuple[str, ...]) -> str:
    params, args = [], []
    for i, spec in enumerate(specs):
        _, dims = _dtype_code(spec)
        if dims == 0:
            params.append(f"s{i}")
            args.append(f"s{i}")
            continue
        shape = [f"n{i}_{d}" for d in range(dims)]
        params += [f"p{i}", *shape]
        args.append(f"carray(p{i}, ({', '.join(shape)},))")
    return f"def entry_{name}({', '.join(params)}):\n    kernels.{name}({', '.join(args)})\n"


def build() -> tuple[bytes, dict[str, Any]]:
    """Compile every kernel behind a C entry point; (object code, what loading needs)."""
    from numba import carray, cfunc, types

    from engines.weblogs import kernels

    numba_types = {
        np.uint8: types.uint8,
        np.uint64: types.uint64,
        np.int64: types.int64,
        np.bool_: types.boolean,
    }
    objects: list[bytes] = []
    names: dict[str, str] = {}
    declared: set[str] = set()
    data: set[str] = set()
    for name, specs in SIGNATURES.items():
        argtypes = []
        for spec in specs:
            dtype, dims = _dtype_code(spec)
            if dims:
                argtypes += [types.CPointer(numba_types[dtype])] + [types.int64] * dims
            else:
                argtypes.append(types.int64)
        scope: dict[str, Any] = {"kernels": kernels, "carray": carray}
        # the source is built from the constant SIGNATURES alone, never from input
        exec(_entry_source(name, specs), scope)  # noqa: S102  # nosec B102
        compiled = cfunc(types.void(*argtypes), nogil=True, error_model="numpy")(
            scope[f"entry_{name}"]
        )
        library = compiled._library  # type: ignore[attr-defined]
        objects.append(library._get_compiled_object())
        names[name] = compiled.native_name
        ir = library.get_llvm_str()
        declared |= set(re.findall(r'^declare [^@]*@"?([A-Za-z_][\w.$]*)"?\(', ir, re.M))
        data |= set(re.findall(r'^@"?([A-Za-z_][\w.$]*)"? = external ', ir, re.M))
    declared = {d for d in declared if not d.startswith("llvm.")}
    blob = b"".join(len(o).to_bytes(8, "little") + o for o in objects)
    return blob, {"functions": names, "declared": sorted(declared), "data": sorted(data)}


def _objects(blob: bytes) -> list[bytes]:
    out, at = [], 0
    while at < len(blob):
        size = int.from_bytes(blob[at : at + 8], "little")
        out.append(blob[at + 8 : at + 8 + size])
        at += 8 + size
    return out


class Loaded:
    """Machine code linked into this process, and ctypes functions to call it."""

    def __init__(self, blob: bytes, meta: dict[str, Any]) -> None:
        import llvmlite.binding as llvm

        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        stubbed = [d for d in meta["declared"] if d.startswith(STUB_PREFIXES)]
        data = [d for d in meta["data"] if d.startswith(STUB_PREFIXES)]
        for symbol in set(meta["declared"]) | set(meta["data"]):
            if symbol.startswith(STUB_PREFIXES):
                continue
            try:
                address = ctypes.addressof(ctypes.c_char.in_dll(ctypes.CDLL(None), symbol))
            except ValueError as exc:
                raise NativeUnavailable(f"the object code needs {symbol}") from exc
            llvm.add_symbol(symbol, address)
        machine = llvm.Target.from_default_triple().create_target_machine()
        stubs = llvm.parse_assembly(_stubs(stubbed, data))
        self.engine = llvm.create_mcjit_compiler(stubs, machine)
        for obj in _objects(blob):
            self.engine.add_object_file(llvm.ObjectFileRef.from_data(obj))
        self.engine.finalize_object()
        self.failed = ctypes.c_int32.from_address(self.engine.get_global_value_address(FAILED))
        self.functions: dict[str, Callable[..., None]] = {}
        for name, symbol in meta["functions"].items():
            address = self.engine.get_function_address(symbol)
            if not address:
                raise NativeUnavailable(f"{symbol} is missing from the object code")
            argtypes: list[Any] = []
            for spec in SIGNATURES[name]:
                dims = _dtype_code(spec)[1]
                pointer = [ctypes.c_void_p] if dims else []
                argtypes += pointer + [ctypes.c_int64] * max(dims, 1)
            self.functions[name] = ctypes.CFUNCTYPE(None, *argtypes)(address)


def _call_native(
    name: str, function: Callable[..., None], failed: ctypes.c_int32
) -> Callable[..., None]:
    specs = [_dtype_code(s) for s in SIGNATURES[name]]

    def call(*args: Any) -> None:
        flat: list[Any] = []
        for (dtype, dims), value in zip(specs, args, strict=True):
            if not dims:
                flat.append(int(value))
                continue
            if value.dtype != dtype or value.ndim != dims or not value.flags.c_contiguous:
                raise TypeError(f"{name}: wrong array {value.dtype} {value.shape}")
            flat.append(value.ctypes.data)
            flat += value.shape
        function(*flat)
        if failed.value:
            raise RuntimeError(f"the compiled loop {name} failed")

    return call


_lock = threading.Lock()
_kernels: dict[str, Callable[..., None]] = {}
_loaded: list[Loaded] = []
reason = ""  # why the numba functions run instead, if they do


def load_or_build(folder: Path | None = None) -> Loaded:
    """Link the cached machine code, compiling and caching it first if it is missing or
    does not match its recorded checksum."""
    key = cache_key()
    folder = folder or cache_dir()
    path, meta_path = folder / f"kernels-{key}.o", folder / f"kernels-{key}.json"
    try:
        blob, meta = path.read_bytes(), json.loads(meta_path.read_text())
        if meta["sha256"] == hashlib.sha256(blob).hexdigest():
            return Loaded(blob, meta)
    except (OSError, ValueError, KeyError):
        pass
    blob, meta = build()
    meta["sha256"] = hashlib.sha256(blob).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    for target, data in ((path, blob), (meta_path, json.dumps(meta).encode())):
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as fh:
            fh.write(data)
        os.replace(fh.name, target)
    return Loaded(blob, meta)


def kernel(name: str) -> Callable[..., None]:
    """The compiled loop `name`, called with the numpy arrays `kernels.<name>` takes."""
    global reason
    found = _kernels.get(name)
    if found is not None:
        return found
    with _lock:
        if not _kernels:
            try:
                if os.environ.get("BOUNDARIES_NATIVE_KERNELS", "1") == "0":
                    raise NativeUnavailable("BOUNDARIES_NATIVE_KERNELS=0")
                loaded = load_or_build()
                _loaded.append(loaded)
                for each, function in loaded.functions.items():
                    _kernels[each] = _call_native(each, function, loaded.failed)
            except Exception as exc:  # any failure here means: run numba's own functions
                reason = f"{type(exc).__name__}: {exc}"[:300]
                from engines.weblogs import kernels

                for each in SIGNATURES:
                    _kernels[each] = getattr(kernels, each)
    return _kernels[name]
