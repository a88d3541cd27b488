"""Signal processing of the simulated voice and recording channel.

All functions take and return float64 mono signals at sample rate ``sr``.
"""
import numpy as np
from scipy import fft, signal


def spectral_tilt(x, sr, db_per_octave):
    """Add a tilt of ``db_per_octave`` around 1 kHz (flat below 100 Hz)."""
    if db_per_octave == 0:
        return x
    n = fft.next_fast_len(len(x), real=True)
    spec = fft.rfft(x, n)
    f = np.maximum(fft.rfftfreq(n, 1.0 / sr), 100.0)
    gain = (f / 1000.0) ** (db_per_octave / (20.0 * np.log10(2.0)))
    return fft.irfft(spec * gain, n)[: len(x)]


def breathiness(x, sr, amount, rng):
    """Mix in high-passed noise that follows the speech envelope."""
    if amount <= 0:
        return x
    smooth = signal.butter(2, 25.0 / (sr / 2), output="sos")
    env = signal.sosfiltfilt(smooth, np.abs(x)) * (np.pi / 2)  # mean |sin| = 2 / pi
    high = signal.butter(2, 2000.0 / (sr / 2), btype="high", output="sos")
    noise = signal.sosfilt(high, rng.standard_normal(len(x)))
    noise /= np.std(noise) + 1e-12
    return x + amount * 4.0 * env * noise


def band_limit(x, sr, low_hz, high_hz):
    """4th-order Butterworth band-pass (a telephone channel is 300-3400 Hz)."""
    nyq = sr / 2.0
    high = min(high_hz, 0.95 * nyq)
    sos = signal.butter(4, [low_hz / nyq, high / nyq], btype="band", output="sos")
    return signal.sosfilt(sos, x)


def room_impulse_response(sr, rt60, rng):
    """Exponentially decaying noise tail with a direct path (length ~ rt60)."""
    n = max(1, int(rt60 * sr))
    t = np.arange(n) / sr
    tail = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    tail[: int(0.002 * sr)] = 0.0  # first reflections after 2 ms
    rir = 0.35 * tail / (np.sqrt(np.sum(tail ** 2)) + 1e-12)
    rir[0] = 1.0
    return rir


def reverberate(x, sr, rt60, rng):
    """Convolve with a synthetic room of reverberation time ``rt60`` seconds."""
    if rt60 <= 0:
        return x
    return signal.fftconvolve(x, room_impulse_response(sr, rt60, rng))[: len(x)]


def add_noise(x, snr_db, rng, color="pink", ref_rms=None):
    """Add stationary white or pink noise at ``snr_db``.

    The SNR is relative to ``ref_rms`` (a fixed reference speech level, so
    loud and soft utterances share one noise floor) or, when None, to the
    level of ``x`` itself.
    """
    noise = rng.standard_normal(len(x))
    if color == "pink":
        n = fft.next_fast_len(len(x), real=True)
        spec = fft.rfft(noise, n)
        f = fft.rfftfreq(n)
        spec[1:] /= np.sqrt(f[1:] / f[1])
        noise = fft.irfft(spec, n)[: len(x)]
    p_speech = (ref_rms ** 2 if ref_rms else np.mean(x ** 2)) + 1e-20
    noise *= np.sqrt(p_speech / (np.mean(noise ** 2) * 10 ** (snr_db / 10.0)))
    return x + noise


def automatic_gain(x, sr, target_rms, frame_s=0.02, floor_db=-30.0):
    """Scale ``x`` so that its active speech has RMS ``target_rms``, as a
    telephone line's automatic gain control does: loudness differences
    between utterances (and the arousal they carry) are removed.
    Active = 20 ms frames within ``floor_db`` of the loudest frame."""
    n = int(frame_s * sr)
    frames = x[: len(x) // n * n].reshape(-1, n)
    if len(frames) == 0:
        return x
    energy = (frames ** 2).mean(axis=1)
    active = energy[energy >= energy.max() * 10 ** (floor_db / 10)]
    rms = np.sqrt(active.mean())
    return x * (target_rms / rms) if rms > 0 else x

