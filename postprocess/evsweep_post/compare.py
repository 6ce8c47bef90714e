"""Compare two results files value for value, ignoring what depends on the machine
(the /timings group) and on the moment (created_utc)."""
import numpy as np

from .results import datasets

IGNORED_PREFIXES = ("/timings",)
IGNORED_ATTRS = ("created_utc",)


def differences(path_a, path_b):
    a, attrs_a = datasets(path_a)
    b, attrs_b = datasets(path_b)
    out = []
    for name in sorted(set(a) | set(b)):
        if name.startswith(IGNORED_PREFIXES):
            continue
        if name not in a or name not in b:
            out.append(f"{name}: only in {path_a if name in a else path_b}")
            continue
        x, y = np.asarray(a[name]), np.asarray(b[name])
        if x.shape != y.shape:
            out.append(f"{name}: shape {x.shape} vs {y.shape}")
        elif x.dtype.kind == "f":
            if not np.array_equal(x, y, equal_nan=True):
                bad = np.flatnonzero(~((x == y) | (np.isnan(x) & np.isnan(y))).ravel())
                out.append(f"{name}: {bad.size} values differ (first at flat index {bad[0]}: "
                           f"{x.ravel()[bad[0]]!r} vs {y.ravel()[bad[0]]!r})")
        elif not np.array_equal(x, y):
            out.append(f"{name}: values differ")
    for k in sorted(set(attrs_a) | set(attrs_b)):
        if k in IGNORED_ATTRS:
            continue
        va, vb = attrs_a.get(k), attrs_b.get(k)
        if np.asarray(va != vb).any():
            out.append(f"attribute {k}: {va!r} vs {vb!r}")
    return out
