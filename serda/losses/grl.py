"""Gradient reversal layer (Ganin & Lempitsky 2015).

Forward: GRL(x) = x. Backward: dGRL/dx = -coef * I. The coefficient is an
explicit argument, set by the trainer's schedule; there is no hidden
counter advancing with each call.

>>> x = torch.ones(2, 3, requires_grad=True)
>>> grad_reverse(x, 0.5).sum().backward()
>>> x.grad[0, 0].item()
-0.5
"""
import torch


class _GradReverse(torch.autograd.Function):
    generate_vmap_rule = True  # usable inside torch.func.vmap (vectorised trials)

    @staticmethod
    def forward(x, coef):
        return x.view_as(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.coef = inputs[1]

    @staticmethod
    def backward(ctx, grad):
        return -ctx.coef * grad, None


def grad_reverse(x, coef):
    """Identity on ``x`` (any shape); multiplies the gradient by ``-coef``."""
    return _GradReverse.apply(x, float(coef))
