"""Numpy enumerator of the dual regions of the hyperplane arrangement {H_j = x~_j^perp}
(docs/mathematics.md, section 3).  Fallback for when `relulp regions` is not available;
writes the same JSON schema as `relulp regions --list --json`.

Method:
  * points that do not span R^d: work in their span (orthonormal basis from the SVD);
  * d = 1: two regions; d = 2: exact, by sorting the angles of the lines on the circle;
  * d >= 3: extreme rays = null vectors of every (d-1)-subset of the points (cross
    products for d = 3), deduplicated; at a ray r, the regions touching r are
    sign(X r) with the zero entries replaced by the sign vectors of the regions of the
    arrangement those hyperplanes form in r^perp (recursion one dimension down; in
    general position that is all 2^(d-1) sign combinations, done vectorised).
  * facets: j carries a facet of region s iff flipping s_j (together with every point
    whose hyperplane coincides with H_j) gives another region.
Sign vectors are hashed to 64-bit integers (random weights, arithmetic mod 2^64) for
deduplication and facet look-ups.  Zero tests use a relative tolerance, so the result is
exact for data in general position and for ordinary degeneracies (repeated points,
collinear points) at scales well above the tolerance.

CLI: python3 regions.py DATA.csv [--no-bias] --json OUT
"""
import argparse
import itertools
import math
import sys
import time

import numpy as np

try:
    from . import common  # type: ignore
except ImportError:  # run as a script
    import common  # type: ignore

TOL = 1e-10
_RNG = np.random.default_rng(20240607)


def general_position_bound(n, d):
    return 2 * sum(math.comb(n - 1, k) for k in range(d))


def _perp_basis(r):
    """Orthonormal basis (d x (d-1)) of r^perp."""
    d = len(r)
    q, _ = np.linalg.qr(np.column_stack([r, np.eye(d)]))
    return q[:, 1:d]


def _regions_small(Z):
    """Sign vectors (+1/-1, shape R x n) of the regions of the arrangement of the
    rows of Z (all non-zero), Z spanning R^k.  Used for the recursion at degenerate rays
    and for d <= 2.  Returns (signs, ray list per region, rays) ; rays only for k <= 2."""
    n, k = Z.shape
    if k == 1:
        s = np.sign(Z[:, 0]).astype(np.int8)
        return np.vstack([s, -s]), [[0], [1]], np.array([[1.0], [-1.0]])
    if k == 2:
        # boundary directions of the lines: +-perp(z_j)
        P = np.column_stack([-Z[:, 1], Z[:, 0]])
        ang = np.concatenate([np.arctan2(P[:, 1], P[:, 0]), np.arctan2(-P[:, 1], -P[:, 0])])
        ang = np.mod(ang, 2 * np.pi)
        ang.sort()
        keep = np.concatenate([[True], np.diff(ang) > 1e-12])
        ang = ang[keep]
        if ang[-1] - ang[0] > 2 * np.pi - 1e-12:
            ang = ang[:-1]
        m = len(ang)
        nxt = np.concatenate([ang[1:], [ang[0] + 2 * np.pi]])
        mid = 0.5 * (ang + nxt)
        Wm = np.column_stack([np.cos(mid), np.sin(mid)])
        S = np.sign(Z @ Wm.T).T.astype(np.int8)
        if np.any(S == 0):
            raise RuntimeError("degenerate midpoint in d=2 enumeration")
        rays = np.column_stack([np.cos(ang), np.sin(ang)])
        return S, [[i, (i + 1) % m] for i in range(m)], rays
    raise ValueError("use enumerate_regions for k >= 3")


def _null_vectors(Z, combos):
    """Null vector of each (d-1)-subset of rows (generalised cross product)."""
    d = Z.shape[1]
    M = Z[combos]  # (K, d-1, d)
    if d == 3:
        return np.cross(M[:, 0, :], M[:, 1, :])
    out = np.empty((len(combos), d))
    for k in range(d):
        sub = np.delete(M, k, axis=2)
        out[:, k] = ((-1) ** k) * np.linalg.det(sub)
    return out


def _hash_bits(B, weights):
    """B: (R, n) bool; returns uint64 hash sum_j B_j w_j mod 2^64."""
    out = np.zeros(B.shape[0], dtype=np.uint64)
    step = max(1, 2_000_000 // max(1, B.shape[1]))
    for i in range(0, B.shape[0], step):
        out[i:i + step] = (B[i:i + step].astype(np.uint64) * weights[None, :]).sum(axis=1, dtype=np.uint64)
    return out


def _spanning_regions(Z, want_rays=True):
    """Regions for non-zero rows Z (n x k) spanning R^k, k >= 1.
    Returns signs (R x n int8), region ray lists, rays (K x k)."""
    n, k = Z.shape
    if k <= 2:
        return _regions_small(Z)
    norms = np.linalg.norm(Z, axis=1)
    Zn = Z / norms[:, None]
    # candidate rays from all (k-1)-subsets
    combos = np.array(list(itertools.combinations(range(n), k - 1)), dtype=np.int64)
    R = _null_vectors(Zn, combos)
    rn = np.linalg.norm(R, axis=1)
    ok = rn > 1e-9
    R = R[ok] / rn[ok][:, None]
    # canonical sign, then dedupe (rounded key)
    first = np.argmax(np.abs(R) > 1e-9, axis=1)
    sgn = np.sign(R[np.arange(len(R)), first])
    R = R * sgn[:, None]
    key = np.round(R, 9)
    _, ui = np.unique(key, axis=0, return_index=True)
    R = R[np.sort(ui)]
    rays = np.vstack([R, -R])  # both orientations are rays
    K = len(rays)
    vals = rays @ Zn.T  # (K, n)
    zero = np.abs(vals) < 1e-9
    nz = zero.sum(axis=1)
    weights = _RNG.integers(0, 2**63, size=n, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    base_bits = vals > 0
    base_bits[zero] = False
    base_hash = _hash_bits(base_bits, weights)

    hashes, ray_of, pat_of = [], [], []  # generic rows first (pattern = combination index)
    generic = np.where(nz == k - 1)[0]
    if len(generic):
        zidx = np.nonzero(zero[generic])[1].reshape(len(generic), k - 1)
        wz = weights[zidx]  # (G, k-1)
        for ci, c in enumerate(itertools.product([0, 1], repeat=k - 1)):
            cm = np.array(c, dtype=np.uint64)
            h = base_hash[generic] + (wz * cm[None, :]).sum(axis=1, dtype=np.uint64)
            hashes.append(h)
            ray_of.append(generic)
            pat_of.append(np.full(len(generic), ci, dtype=np.int64))
    special = np.where(nz > k - 1)[0]
    special_patterns = []  # list of (ray, zero indices, sub sign matrix)
    for r in special:
        zi = np.nonzero(zero[r])[0]
        Q = _perp_basis(rays[r])
        sub = Zn[zi] @ Q
        # sub spans r^perp (r is a 1-dim intersection); recurse
        S_sub, _, _ = _spanning_regions(sub, want_rays=False)
        bits = (S_sub > 0).astype(np.uint64)
        h = base_hash[r] + (bits * weights[zi][None, :]).sum(axis=1, dtype=np.uint64)
        sp_id = len(special_patterns)
        special_patterns.append((zi, S_sub))
        hashes.append(h)
        ray_of.append(np.full(len(h), r))
        pat_of.append(np.full(len(h), -1, dtype=np.int64))  # special rows: see sp_rows
        special_patterns[-1] = (zi, S_sub, np.arange(len(h)))
    hashes = np.concatenate(hashes)
    ray_of = np.concatenate(ray_of)
    pat_of = np.concatenate(pat_of)
    # side table for special rows: position -> (sp_id, row)
    sp_rows = []
    for sp_id, (zi, S_sub, rows) in enumerate(special_patterns):
        sp_rows.extend((sp_id, int(rr)) for rr in rows)
    uh, first_idx, inv = np.unique(hashes, return_index=True, return_inverse=True)
    nreg = len(uh)
    # sign vectors of the unique regions
    S = np.where(base_bits[ray_of[first_idx]], 1, -1).astype(np.int8)
    n_generic_rows = len(generic) * (2 ** (k - 1))
    combos_list = list(itertools.product([0, 1], repeat=k - 1))
    for ridx, pos in enumerate(first_idx):
        r = ray_of[pos]
        if pos < n_generic_rows:
            zi = np.nonzero(zero[r])[0]
            c = combos_list[pat_of[pos]]
            S[ridx, zi] = np.where(np.array(c) == 1, 1, -1)
        else:
            sp_id, row = sp_rows[pos - n_generic_rows]
            zi, S_sub, _ = special_patterns[sp_id]
            S[ridx, zi] = S_sub[row]
    region_rays = None
    if want_rays:
        order = np.argsort(inv, kind="stable")
        bounds = np.searchsorted(inv[order], np.arange(nreg + 1))
        region_rays = [sorted(set(int(x) for x in ray_of[order[bounds[i]:bounds[i + 1]]])) for i in range(nreg)]
    return S, region_rays, rays


def _facets(S, Zall_nonzero_idx, Z):
    """Facet lists per region, by flip look-up; coincident hyperplanes flip together."""
    R, n = S.shape
    Zn = Z / np.linalg.norm(Z, axis=1)[:, None]
    # group coincident hyperplanes (same line up to sign)
    first = np.argmax(np.abs(Zn) > 1e-9, axis=1)
    canon = Zn * np.sign(Zn[np.arange(n), first])[:, None]
    _, group = np.unique(np.round(canon, 9), axis=0, return_inverse=True)
    group = np.asarray(group).reshape(-1)
    G = group.max() + 1
    weights = _RNG.integers(0, 2**63, size=n, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    negw = (~weights) + np.uint64(1)
    B = S > 0
    h = _hash_bits(B, weights)
    hs = np.sort(h)
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(G))
    singletons = G == n
    facets = []
    step = max(1, 4_000_000 // max(1, n))
    for i in range(0, R, step):
        Bi = B[i:i + step]
        delta = np.where(Bi, negw[None, :], weights[None, :])
        if not singletons:
            delta = np.add.reduceat(delta[:, order], starts, axis=1, dtype=np.uint64)
        flipped = h[i:i + step, None] + delta
        pos = np.searchsorted(hs, flipped)
        pos = np.minimum(pos, len(hs) - 1)
        hit = hs[pos] == flipped  # (chunk, G or n)
        for row in hit:
            gs = np.nonzero(row)[0]
            if singletons:
                js = gs
            else:
                js = np.sort(np.concatenate([order[starts[g]:(starts[g + 1] if g + 1 < G else n)] for g in gs])) if len(gs) else gs
            facets.append([int(Zall_nonzero_idx[j]) for j in js])
    return facets


def enumerate_regions(Xt, with_facets=True):
    """Dual regions of the lifted points Xt (n x d).  Returns the relulp JSON schema."""
    Xt = np.asarray(Xt, dtype=np.float64)
    n, d = Xt.shape
    scale = np.linalg.norm(Xt, axis=1)
    nonzero = np.nonzero(scale > TOL * max(1.0, scale.max()))[0]
    Z = Xt[nonzero]
    # span
    _, sv, Vt = np.linalg.svd(Z, full_matrices=False)
    rank = int(np.sum(sv > 1e-10 * sv[0])) if len(sv) else 0
    Bspan = Vt[:rank].T  # d x rank
    Zs = Z @ Bspan
    S_nz, region_rays, rays = _spanning_regions(Zs)
    S = -np.ones((S_nz.shape[0], n), dtype=np.int8)
    S[:, nonzero] = S_nz
    rays_full = rays @ Bspan.T  # back to R^d coordinates
    out = {
        "regions": int(S.shape[0]),
        "extremeRays": int(len(rays_full)),
        "generalPositionBound": general_position_bound(n, d),
        "dimension": d,
        "n": n,
        "rays": rays_full.tolist(),
        "regionList": None,
        "source": "benchmarks/peers/regions.py",
    }
    facets = _facets(S_nz, nonzero, Zs) if with_facets else [list(range(n))] * S.shape[0]
    out["regionList"] = [
        {"signs": "".join("+" if v > 0 else "-" for v in S[i]), "rays": region_rays[i] if region_rays else [], "facets": facets[i]}
        for i in range(S.shape[0])
    ]
    return out


def load_regions(path):
    """Read a `relulp regions --list --json` file (or ours)."""
    import json
    with open(path) as fh:
        return json.load(fh)


def signs_and_facets(reg):
    """From a regions dict: boolean activation matrix (R x n) and facet lists."""
    rl = reg["regionList"]
    A = np.array([[ch == "+" for ch in r["signs"]] for r in rl], dtype=bool)
    return A, [r["facets"] for r in rl]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data")
    ap.add_argument("--no-bias", action="store_true")
    ap.add_argument("--json", default="-")
    args = ap.parse_args(argv)
    X, y, _ = common.load_csv(args.data)
    Xt = common.lift(X, not args.no_bias)
    t0 = time.perf_counter()
    out = enumerate_regions(Xt)
    out["bias"] = not args.no_bias
    out["seconds"] = time.perf_counter() - t0
    common.write_json(args.json, out)
    print(f"regions={out['regions']} rays={out['extremeRays']} bound={out['generalPositionBound']} "
          f"seconds={out['seconds']:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
