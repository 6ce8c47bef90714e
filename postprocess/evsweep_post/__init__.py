"""evsweep postprocessing: read results.h5, summaries, figures, sensitivity indices.

Debian packages only (python3-h5py, -numpy, -pandas, -matplotlib, -openturns); run with
/usr/bin/python3 -m evsweep_post (from postprocess/, or with it on PYTHONPATH).
"""
SCHEMA_VERSION = 1
