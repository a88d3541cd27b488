"""A small process that speaks with libespeak-ng, one fork per utterance.

Run as ``python -m serda.simulate.espeak_zygote``; :mod:`serda.simulate.espeak`
starts and talks to it. Why a separate process: espeak-ng carries
waveform-generator state from one utterance to the next, and its breath
noise draws on libc ``rand()`` (which other libraries may seed) and its own
generator, so two calls with the same input differ. Here espeak-ng is
initialised once and never speaks itself; each request is served by a forked
child that seeds both generators and speaks once, so equal requests give
equal samples in any process and any order. The process imports nothing but
ctypes and the standard library, which keeps each fork cheap.

Protocol on stdin/stdout: a request is a 4-byte little-endian length and a
JSON object {text, voice, rate, pitch, range, volume, seed}; the reply is a
status byte (0 ok, 1 error), a 4-byte length and the payload (int16 samples
at 22,050 Hz, or an error message in UTF-8).
"""
import ctypes
import json
import os
import struct
import sys

AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
CHARS_UTF8 = 1
PARAM = {"rate": 1, "volume": 2, "pitch": 3, "range": 4}
# espeak-ng's accepted range of each prosody parameter
PARAM_RANGE = {"rate": (80, 450), "volume": (0, 200), "pitch": (0, 100), "range": (0, 100)}
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                            ctypes.c_void_p)


def load_espeak():
    """Initialise libespeak-ng; returns (lib, sample rate, chunk list)."""
    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
    lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                 ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                 espeakng_loader.get_data_path().encode(), 0)
    if rate <= 0:
        raise RuntimeError("espeak_Initialize failed")
    chunks = []

    def collect(wav, num_samples, _events):
        if wav and num_samples > 0:
            chunks.append(ctypes.string_at(wav, 2 * num_samples))
        return 0

    lib._serda_callback = CALLBACK(collect)  # keep a reference
    lib.espeak_SetSynthCallback(lib._serda_callback)
    return lib, rate, chunks


def speak_once(lib, chunks, req):
    """int16 little-endian sample bytes of one request (in a forked child)."""
    if lib.espeak_SetVoiceByName(req["voice"].encode()) != 0:
        raise RuntimeError(f"espeak-ng has no voice '{req['voice']}'")
    for name in ("rate", "pitch", "range", "volume"):
        lo, hi = PARAM_RANGE[name]
        lib.espeak_SetParameter(PARAM[name], int(round(min(max(req[name], lo), hi))), 0)
    seed = int(req["seed"]) & 0x7FFFFFFF
    ctypes.CDLL(None).srand(seed)
    lib.espeak_ng_SetRandSeed(seed)
    data = req["text"].encode("utf-8")
    lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
    lib.espeak_Synchronize()
    if not chunks:
        raise RuntimeError(f"espeak-ng produced no audio for {req['text']!r} "
                           f"in voice '{req['voice']}'")
    return b"".join(chunks)


def reply(out, status, payload):
    out.write(struct.pack("<BI", status, len(payload)) + payload)
    out.flush()


def serve(inp, out):
    lib, rate, chunks = load_espeak()
    reply(out, 0, str(rate).encode())
    while True:
        head = inp.read(4)
        if len(head) < 4:
            return
        req = json.loads(inp.read(struct.unpack("<I", head)[0]))
        pid = os.fork()
        if pid == 0:
            try:
                reply(out, 0, speak_once(lib, chunks, req))
            except Exception as err:  # sent to the client, which raises it
                reply(out, 1, str(err).encode())
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            reply(out, 1, f"espeak-ng child ended with status {status}".encode())


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
