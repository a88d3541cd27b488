"""Kaldi-style data directories, label maps and feature normalisation."""
