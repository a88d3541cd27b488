"""libespeak-ng through ctypes (the library and voices ship in espeakng-loader).

espeak-ng keeps global state, so there is one synthesiser per process;
:func:`synthesizer` returns it, creating it on first use.
"""
import ctypes

import numpy as np

AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
CHARS_UTF8 = 1
PARAM = {"rate": 1, "volume": 2, "pitch": 3, "range": 4}
# espeak-ng's accepted ranges of each prosody parameter
PARAM_RANGE = {"rate": (80, 450), "volume": (0, 200), "pitch": (0, 100), "range": (0, 100)}

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short),
                             ctypes.c_int, ctypes.c_void_p)
_instance = None


class EspeakError(RuntimeError):
    pass


class Synthesizer:
    """Speak text to int16 samples at :attr:`sample_rate` (22,050 Hz)."""

    def __init__(self):
        import espeakng_loader  # imported here: only synthesis needs it

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                     espeakng_loader.get_data_path().encode(), 0)
        if rate <= 0:
            raise EspeakError("espeak_Initialize failed")
        self.sample_rate = rate
        self._lib = lib
        self._chunks = []
        self._callback = _CALLBACK(self._collect)  # keep a reference
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav, num_samples, _events):
        if wav and num_samples > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(num_samples,)).copy())
        return 0

    def speak(self, text, voice, rate=175, pitch=50, pitch_range=50, volume=100):
        """Samples (int16, mono) of ``text`` in ``voice`` (e.g. ``"en+f3"``).

        Prosody values are clipped to espeak-ng's ranges: rate 80-450 words
        per minute, pitch and range 0-100, volume 0-200.
        """
        if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise EspeakError(f"espeak-ng has no voice '{voice}'")
        for name, value in (("rate", rate), ("pitch", pitch), ("range", pitch_range),
                            ("volume", volume)):
            lo, hi = PARAM_RANGE[name]
            self._lib.espeak_SetParameter(PARAM[name], int(round(min(max(value, lo), hi))), 0)
        data = text.encode("utf-8")
        self._chunks = []
        self._lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
        self._lib.espeak_Synchronize()
        if not self._chunks:
            raise EspeakError(f"espeak-ng produced no audio for {text!r} in voice '{voice}'")
        return np.concatenate(self._chunks)


def synthesizer():
    """The process' synthesiser."""
    global _instance
    if _instance is None:
        _instance = Synthesizer()
    return _instance
