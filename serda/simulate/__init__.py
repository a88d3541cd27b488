"""Synthetic emotional corpora: the data of users without licensed corpora.

espeak-ng (through ctypes, :mod:`serda.simulate.espeak`) speaks each
sentence with prosody set by the utterance's latent emotion
(:mod:`serda.simulate.emotion`), the speaker's voice
(:mod:`serda.simulate.speakers`) and the corpus' recording channel
(:mod:`serda.simulate.channel`); :mod:`serda.simulate.corpus` plans a corpus
from a :class:`~serda.simulate.presets.CorpusSpec` and writes it to disk
like a real corpus (wav tree + one label file with a header).
"""
