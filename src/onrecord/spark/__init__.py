"""The pipeline as a PySpark job: inputs -> (executors) the ingest's per-article code -> Parquet datasets.

``job.run`` is the library call, ``onrecord spark`` and ``python -m onrecord.spark`` (spark-submit)
its front ends. PySpark is an optional extra (``pip install 'onrecord[spark]'``): nothing here is
imported by the rest of the package, and each module imports pyspark inside its functions.
"""
