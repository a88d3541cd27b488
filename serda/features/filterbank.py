"""Frame-level features through kaldi-native-fbank.

``fbank``: Kaldi-compatible log-Mel filterbank energies (``num_bins`` x
frames; 25 ms / 10 ms frames by default), the input of the cross-lingual
recipe (26 bins). ``spectrogram``: log power spectrum of a Hann-windowed
STFT, ``n_fft // 2 + 1`` bins (257 by default; n_fft 256 with 16 ms frames, or
8 kHz audio, gives the 129 bins of the CNN-BLSTM recipe). Both return float32 arrays of shape (frames, bins).
"""
import numpy as np

LOG_FLOOR = 1e-10


class Fbank:
    frame_level = True

    def __init__(self, num_bins=26, frame_length_ms=25.0, frame_shift_ms=10.0,
                 dither=0.0, sample_rate=16000):
        import kaldi_native_fbank as knf

        self._knf = knf
        opts = knf.FbankOptions()
        opts.frame_opts.samp_freq = sample_rate
        opts.frame_opts.frame_length_ms = frame_length_ms
        opts.frame_opts.frame_shift_ms = frame_shift_ms
        opts.frame_opts.dither = dither
        opts.mel_opts.num_bins = num_bins
        self.opts = opts
        self.dim = num_bins
        self.name = "fbank"

    def compute(self, x, sr):
        fb = self._knf.OnlineFbank(self.opts)
        # Kaldi's fbank works on 16-bit sample values
        fb.accept_waveform(sr, (x * 32768.0).tolist())
        fb.input_finished()
        n = fb.num_frames_ready
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([fb.get_frame(i) for i in range(n)]).astype(np.float32)


class Spectrogram:
    frame_level = True

    def __init__(self, n_fft=512, frame_length_ms=25.0, frame_shift_ms=10.0,
                 sample_rate=16000):
        import kaldi_native_fbank as knf

        win = int(round(frame_length_ms * sample_rate / 1000))
        hop = int(round(frame_shift_ms * sample_rate / 1000))
        if win > n_fft:
            raise ValueError(f"frame of {win} samples does not fit n_fft={n_fft}")
        self._stft = knf.Stft(knf.StftConfig(n_fft=n_fft, hop_length=hop, win_length=win,
                                             window_type="hann", center=False))
        self.dim = n_fft // 2 + 1
        self.win = win
        self.name = "spectrogram"

    def compute(self, x, sr):
        if len(x) < self.win:
            return np.zeros((0, self.dim), dtype=np.float32)
        r = self._stft(np.ascontiguousarray(x, dtype=np.float32))
        re = np.asarray(r.real, dtype=np.float64).reshape(r.num_frames, self.dim)
        im = np.asarray(r.imag, dtype=np.float64).reshape(r.num_frames, self.dim)
        return np.log(np.maximum(re ** 2 + im ** 2, LOG_FLOOR)).astype(np.float32)
