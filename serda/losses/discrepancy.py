"""Regressor discrepancy of MRD (maximum regression discrepancy).

L_dis = 1/N sum_i |f1(x_i) - f2(x_i)|, the mean absolute difference of the
two regressors' predictions f1, f2 (N,) on target samples.
"""


def regressor_discrepancy(f1, f2):
    """Mean |f1 - f2| over all elements of two equally shaped tensors."""
    return (f1 - f2).abs().mean()
