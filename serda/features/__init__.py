"""Feature extraction: audio reading, openSMILE functionals, Kaldi fbank."""
