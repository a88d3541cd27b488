"""serda: Speech Emotion Recognition with Domain Adaptation.

The package is imported by job-dispatch and data-dir helpers that must start
fast, so nothing heavy (torch, opensmile) is imported here.
"""
__version__ = "0.1.0"
