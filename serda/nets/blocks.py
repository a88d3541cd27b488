"""Small layers shared by the networks: dropout, activations, max-norm."""
import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "selu": nn.SELU}


def under_vmap():
    """True inside torch.func transforms (vmap of stacked trials): out= and
    in-place writes into fresh tensors have no batching rule there."""
    return torch._C._are_functorch_transforms_active()


def keep_threshold(keep):
    """The int16 threshold t and the exact keep probability q = (t + 2^15) /
    2^16 of a 16-bit mask m = [r < t], r uniform on the int16 range:
    t = round(keep 2^16) - 2^15, so |q - keep| <= 2^-17."""
    t = round(keep * 65536) - 32768
    return t, (t + 32768) / 65536


def random_int16(shape, device):
    """Uniform int16 values of ``shape``: four from every 64-bit draw of
    torch's generator (torch.randint over the full int64 range, so it
    follows torch.manual_seed and vmap's per-trial randomness)."""
    n = 1
    for s in shape:
        n *= s
    words = torch.randint(-2 ** 63, 2 ** 63 - 1, ((n + 3) // 4,), dtype=torch.int64, device=device)
    return words.view(torch.int16)[:n].view(shape)


class Dropout(nn.Module):
    """Inverted dropout, y = x * m / q with m_i ~ Bernoulli(q), q the keep
    probability 1 - p.

    ``masks`` (``train.dropout_masks``) says where m comes from:

    - ``bits16`` (default): m = [r < t] for r from :func:`random_int16`,
      q = (t + 2^15) / 2^16 within 2^-17 of 1 - p and used exactly in the
      scale, so E[y] = x. Four masks per 64-bit draw: on CPU a full-size
      DANN input mask (512 x 6,373) costs 3.6 ms against 11.5 ms of
      torch.rand_like (test/perf/bench_train_step.py).
    - ``uniform``: m = [u < 1 - p], u = torch.rand_like(x): one 32-bit
      draw per element, torch's own dropout stream.
    """

    def __init__(self, p, masks="bits16"):
        super().__init__()
        self.p = float(p)
        self.masks = masks

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.masks == "uniform":
            keep = 1.0 - self.p
            return x * (torch.rand_like(x) < keep) * (1.0 / keep)
        threshold, keep = keep_threshold(1.0 - self.p)
        bits = random_int16(x.shape, x.device)
        if under_vmap():
            mask = (bits < threshold).to(x.dtype)
        else:   # the comparison writes the 0/1 mask in x's dtype: one pass, not two
            mask = torch.lt(bits, threshold, out=torch.empty_like(x))
        return x * mask.mul_(1.0 / keep)

    def extra_repr(self):
        return f"p={self.p}, masks={self.masks}"


def set_dropout_masks(module, masks):
    """Every serda Dropout under ``module`` draws its masks as ``masks``."""
    for m in module.modules():
        if isinstance(m, Dropout):
            m.masks = masks


def any_set(flags):
    """bool(flags.any()) for a tensor on the CPU; True on another device,
    where reading the answer would wait for the device. For skipping an
    in-place rescaling whose factors would all be exactly 1 (x * 1.0 == x
    bit for bit): one pass less over the tensor when nothing is over."""
    return flags.device.type != "cpu" or bool(flags.any())


@torch.no_grad()
def clamp_unit_norms_(weight, max_norm):
    """In place: rescale rows (units) of ``weight`` (..., out, in) whose L2
    norm exceeds ``max_norm`` to that norm (as torch.renorm does); nothing
    to write when no row exceeds it."""
    norms = weight.norm(dim=-1, keepdim=True)
    over = norms > max_norm
    if any_set(over):
        weight.mul_(torch.where(over, max_norm / (norms + 1e-7), torch.ones_like(norms)))


GRAD_BLOCK = 1024   # input columns per block of the weight gradient


def wide_weight_grad(x, grad):
    """dL/dW = g^T x (out, in), row-major like W, for x (N, in) and g (N,
    out): computed per block of GRAD_BLOCK input columns as (x_b^T g)^T, the
    layout MKL runs fastest when in >> out, each block transposed into place
    while it is in cache. The same products and sums, bit for bit, as g^T x;
    a row-major result, so autograd keeps it as W's gradient instead of
    copying a transposed one into W's layout (1.7 ms of the DANN step)."""
    if under_vmap():   # one product, no blocks
        return (x.t() @ grad).t()
    out = torch.empty(grad.shape[1], x.shape[1], dtype=grad.dtype, device=grad.device)
    for i in range(0, x.shape[1], GRAD_BLOCK):
        out[:, i:i + GRAD_BLOCK] = (x[:, i:i + GRAD_BLOCK].t() @ grad).t()
    return out


class _WideInputLinearFn(torch.autograd.Function):
    """y = x W^T + b for 2-D x, with the weight gradient of
    :func:`wide_weight_grad`."""
    generate_vmap_rule = True

    @staticmethod
    def forward(x, weight, bias):
        return torch.nn.functional.linear(x, weight, bias)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, weight, _ = inputs
        ctx.save_for_backward(x, weight)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        grad_x = grad @ weight if ctx.needs_input_grad[0] else None
        grad_w = wide_weight_grad(x, grad) if ctx.needs_input_grad[1] else None
        grad_b = grad.sum(0) if ctx.needs_input_grad[2] else None
        return grad_x, grad_w, grad_b


WIDE_INPUT = 1024   # below this the custom backward's own cost outweighs the gain


class Linear(nn.Linear):
    """nn.Linear (same parameters, initialisation and state dict) whose
    backward, for a 2-D input, in_features >= WIDE_INPUT and >= 4
    out_features (the 6,373 -> 256 input layer of the DANN encoder), computes the weight
    gradient as (x^T g)^T instead of g^T x: on 2 CPU threads 9.5 ms instead
    of 15 ms for 512 x 6,373 -> 256, equal bit for bit
    (test/test_speed_paths.py, test/perf/bench_train_step.py)."""

    def forward(self, x):
        if (x.dim() == 2 and self.bias is not None and self.in_features >= WIDE_INPUT
                and self.in_features >= 4 * self.out_features):
            return _WideInputLinearFn.apply(x, self.weight, self.bias)
        return super().forward(x)
