"""Maximum mean discrepancy with Gaussian kernels: DAN's multi-kernel MMD
(Long et al. 2015) and JAN's joint MMD (Long et al. 2017).

For source rows z_s (n, d) and target rows z_t (m, d), the (biased,
quadratic-time) squared MMD of a kernel k is

    MMD^2 = 1/n^2 sum k(s_i, s_j) + 1/m^2 sum k(t_i, t_j) - 2/(nm) sum k(s_i, t_j).

DAN's kernel is a sum of Gaussians k(a, b) = sum_u exp(-||a - b||^2 / (2 a_u s^2))
(equal weights beta_u, not DAN's learnt ones) whose bandwidths are the
multipliers ``alphas`` (default 2^-3 .. 2^1; DAN Sec. 4 varies the
bandwidth between 2^-8 and 2^8 times s^2 in steps of 2^(1/2), paraphrased;
serda uses five multipliers around s^2) of s^2, the mean squared distance over
all n + m rows of the batch (detached). JAN's joint kernel is the product
over layers (encoder output, class posteriors) of each layer's kernel:
JMMD^2 is MMD^2 of k(a, b) = prod_l k_l(a_l, b_l) (JAN Eq. 10).
"""
import torch

ALPHAS = (0.125, 0.25, 0.5, 1.0, 2.0)


def squared_distances(z):
    """(N, N) squared Euclidean distances between the rows of z (N, d)."""
    sq = (z * z).sum(dim=1)
    return (sq.unsqueeze(1) + sq.unsqueeze(0) - 2.0 * z @ z.T).clamp(min=0.0)


def gaussian_kernels(z, alphas=ALPHAS):
    """(N, N) sum over ``alphas`` of exp(-D / (2 a s^2)), D the squared
    distances of z (N, d) and s^2 their mean (no gradient through s^2)."""
    d2 = squared_distances(z)
    n = z.shape[0]
    s2 = (d2.sum() / (n * n - n)).detach().clamp(min=1e-12)
    return sum(torch.exp(-d2 / (2.0 * a * s2)) for a in alphas)


def mmd_from_kernel(k, n_source):
    """Biased MMD^2 of the (N, N) kernel matrix of n_source source rows
    followed by N - n_source target rows."""
    ns = n_source
    return k[:ns, :ns].mean() + k[ns:, ns:].mean() - 2.0 * k[:ns, ns:].mean()


def mk_mmd(z_s, z_t, alphas=ALPHAS):
    """DAN's multi-kernel MMD^2 of z_s (n, d) and z_t (m, d)."""
    return mmd_from_kernel(gaussian_kernels(torch.cat([z_s, z_t]), alphas), z_s.shape[0])


def joint_mmd(layers_s, layers_t, alphas_per_layer):
    """JAN's JMMD^2: ``layers_s`` / ``layers_t`` lists of (n, d_l) / (m, d_l)
    rows, the kernel of layer l a Gaussian family ``alphas_per_layer[l]``,
    the joint kernel their elementwise product."""
    k = None
    for zs, zt, alphas in zip(layers_s, layers_t, alphas_per_layer):
        kl = gaussian_kernels(torch.cat([zs, zt]), alphas)
        k = kl if k is None else k * kl
    return mmd_from_kernel(k, layers_s[0].shape[0])
