"""Job dispatch with Kaldi's calling convention.

``<runner> [options] JOB=1:N exp/x/log/name.JOB.log command ... JOB ...``

:mod:`serda.jobs.spec` parses that line (identical for every backend),
:mod:`serda.jobs.task` runs one task and writes its log (the command line
first, ``# Ended (code N)`` last), and each backend module decides only where
the tasks run: :mod:`serda.jobs.local` as parallel processes on this host.
Cluster backends submit the same task wrapper as array jobs.
"""
