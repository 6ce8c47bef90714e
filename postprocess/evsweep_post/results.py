"""Reading an evsweep results file (docs/results-schema.md) into plain numpy/pandas."""
import os

import h5py
import numpy as np
import pandas as pd

from . import READABLE_SCHEMA_VERSIONS

# Reading a file another process has open (a running sweep) needs no lock.
os.environ.setdefault("HDF5_USE_FILE_LOCKING", "FALSE")


class ResultsError(Exception):
    """The file is not an evsweep results file this version can read."""


def _text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray):
        return [_text(x) for x in v]
    return v


class Results:
    """A results file: attributes, the design, per-scenario metrics, series."""

    def __init__(self, path):
        self.path = path
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            raise ResultsError(f"{path}: cannot open as HDF5 ({e})") from e
        with f:
            attrs = {k: _text(v) for k, v in f.attrs.items()}
            if attrs.get("kind") != "evsweep results":
                raise ResultsError(f"{path}: not an evsweep results file (attribute kind is {attrs.get('kind')!r})")
            version = int(attrs.get("schema_version", -1))
            if version not in READABLE_SCHEMA_VERSIONS:
                raise ResultsError(f"{path}: results schema version {version}; this postprocess reads "
                                   f"versions {', '.join(map(str, READABLE_SCHEMA_VERSIONS))}")
            self.attrs = attrs
            self.schema_version = version
            # Schema 1 files predate study kinds: they are all paper 001's pipeline.
            self.study_kind = attrs.get("study_kind", "sue_dispatch")
            self.config = _text(f["config"][()])
            d = f["design"]
            self.design_kind = _text(d.attrs["kind"])
            self.design_attrs = {k: _text(v) for k, v in d.attrs.items()}
            self.parameters = _text(d["parameters"][()])
            self.distributions = _text(d["distributions"][()])
            self.varied = d["varied"][()].astype(bool)
            self.ids = d["id"][()]
            self.values = d["values"][()]
            self.unit = d["unit"][()]
            self.block = d["block"][()]
            self.moved = d["moved"][()]
            # sweep.replicates: consecutive rows of one design point (files before it: one row each)
            n_rows = len(self.ids)
            self.point = d["point"][()] if "point" in d else np.arange(n_rows)
            self.replicate = d["replicate"][()] if "replicate" in d else np.zeros(n_rows, dtype=np.int64)
            self.replicates = int(self.design_attrs.get("replicates", 1))
            lay = f["layout"]
            self.periods = int(lay.attrs["periods"])
            # Labels of the dimensions of the kind's series (e.g. station_names, bus_ids).
            self.labels = {k: (_text(v[()]) if v.dtype.kind in "SO" else v[()]) for k, v in lay.items()}
            self.station_names = self.labels.get("station_names", [])
            self.bus_ids = self.labels.get("bus_ids", np.zeros(0, dtype=np.int64))
            self.layout_attrs = {k: _text(v) for k, v in lay.attrs.items()}
            self.declared_metrics = list(self.layout_attrs.get("metric_names", []))
            self.state = attrs.get("state")
            self.metrics = None
            self.series = {}
            if "scenarios" in f:
                s = f["scenarios"]
                cols = {}
                self.units = {}
                self.meanings = {}
                for name, ds in s.items():
                    v = ds[()]
                    cols[name] = _text(v) if v.dtype.kind == "S" else v
                    if "unit" in ds.attrs:
                        self.units[name] = _text(ds.attrs["unit"])
                        self.meanings[name] = _text(ds.attrs["meaning"])
                self.metrics = pd.DataFrame(cols)
                for j, p in enumerate(self.parameters):
                    self.metrics["param_" + p] = self.values[:, j]
            if "series" in f:
                self.series = {k: v[()] for k, v in f["series"].items()}

    @property
    def metric_names(self):
        return list(self.units) if self.metrics is not None else []

    def has_metrics(self, *names):
        """True when every named metric is in the file (and the file has results)."""
        return self.metrics is not None and all(n in self.units for n in names)

    def ok(self):
        """Boolean mask of the scenarios with status ok."""
        return (self.metrics["status"] == "ok").to_numpy()


def datasets(path):
    """Every dataset of a file as {path: numpy value}, and the root attributes."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out["/" + name] = obj[()]
        f.visititems(visit)
        attrs = {k: _text(v) for k, v in f.attrs.items()}
    return out, attrs
