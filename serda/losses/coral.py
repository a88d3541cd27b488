"""Deep CORAL loss (Sun & Saenko 2016).

L_CORAL = ||C_S - C_T||_F^2 / (4 d^2), where C_S and C_T are the (d, d)
feature covariances of a source batch z_s (n_s, d) and a target batch
z_t (n_t, d): C = (Z^T Z - (1^T Z)^T (1^T Z) / n) / (n - 1).
"""


def covariance(z):
    """Unbiased covariance (d, d) of rows of ``z`` (n, d), n >= 2."""
    n = z.shape[0]
    centred = z - z.mean(dim=0, keepdim=True)
    return centred.T @ centred / (n - 1)


def coral_loss(z_s, z_t):
    """||C_S - C_T||_F^2 / (4 d^2) for z_s (n_s, d), z_t (n_t, d)."""
    d = z_s.shape[1]
    diff = covariance(z_s) - covariance(z_t)
    return (diff * diff).sum() / (4.0 * d * d)
