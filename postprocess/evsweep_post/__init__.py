"""evsweep postprocessing: read results.h5, summaries, figures, sensitivity indices.

Debian packages only (python3-h5py, -numpy, -pandas, -matplotlib, -openturns); run with
/usr/bin/python3 -m evsweep_post (from postprocess/, or with it on PYTHONPATH).
"""
SCHEMA_VERSION = 2
# Versions this package reads: 1 (before study kinds: sue_dispatch only), 2 (kind in the file).
READABLE_SCHEMA_VERSIONS = (1, 2)
