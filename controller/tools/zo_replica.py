#!/usr/bin/env python3
"""A numpy replica of `sim:ideal` trained by SPSA / antithetic ES, for fast what-if studies.

Same model as the chip (weights in [-1, 1] times a fixed gain sqrt(6 / fan-in) per layer, plus a
bias; ReLU; softmax cross-entropy), same gains as `./noprop train` (Spall's schedule, `a`
calibrated from 8 estimates for a target first step, moves capped at 5 first steps), but its own
random numbers: figures agree with the Java trainer on `sim:ideal` within seed noise, not bit for
bit. It exists to screen ideas in seconds (a 100,000-query run of 50-64-10 takes about 20 s on
one core) before they are built into the trainer; TRAINING.md quotes it where it does.

    python3 zo_replica.py --input pca50 --budget 100000 --seed 1
    python3 zo_replica.py --input raw --l2scale 0.5            # per-layer perturbation scale
    python3 zo_replica.py --input pca50 --directions 8 --rank  # es8

Needs numpy and the Fashion-MNIST IDX files (--data, default /usr/share/datasets/fashion-mnist).
"""
import argparse, gzip, os, time
import numpy as np


def idx(path):
    b = gzip.open(path).read() if path.endswith('.gz') else open(path, 'rb').read()
    nd = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], 'big') for i in range(nd)]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * nd).reshape(dims)


def load(data):
    def f(name):
        for suffix in ('.gz', ''):
            p = os.path.join(data, name + suffix)
            if os.path.exists(p):
                return idx(p)
        raise SystemExit(f'{name} not found in {data}')
    xtr = (f('train-images-idx3-ubyte').reshape(60000, -1) / 255.).astype(np.float32)
    xte = (f('t10k-images-idx3-ubyte').reshape(10000, -1) / 255.).astype(np.float32)
    return xtr, f('train-labels-idx1-ubyte').astype(np.int64), xte, f('t10k-labels-idx1-ubyte').astype(np.int64)


def condition(kind, xtr, xte):
    """raw | center | std (per-pixel z-score) | pcaK (whitened) | pcascaledK (divided by the first std only)."""
    if kind == 'raw':
        return xtr, xte
    mu = xtr.mean(0)
    if kind == 'center':
        f = lambda x: x - mu
    elif kind == 'std':
        sd = xtr.std(0) + 0.05  # border pixels are constant
        f = lambda x: (x - mu) / sd
    elif kind.startswith('pca'):
        scaled = kind.startswith('pcascaled')
        k = int(kind[len('pcascaled' if scaled else 'pca'):])
        _, s, vt = np.linalg.svd(xtr - mu, full_matrices=False)
        std = s[:k] / np.sqrt(len(xtr))
        div = std[0] if scaled else std
        f = lambda x: ((x - mu) @ vt[:k].T) / div
    else:
        raise SystemExit(f'unknown --input {kind}')
    return f(xtr).astype(np.float32), f(xte).astype(np.float32)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    p.add_argument('--input', default='raw')
    p.add_argument('--hidden', default='64', help='comma-separated hidden widths; empty for none')
    p.add_argument('--budget', type=int, default=100000)
    p.add_argument('--batch', type=int, default=256)
    p.add_argument('--c', type=float, default=0.1)
    p.add_argument('--first', type=float, default=0.004)
    p.add_argument('--alpha', type=float, default=0.602)
    p.add_argument('--gamma', type=float, default=0.101)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--l2scale', type=float, default=1.0, help='perturbation scale of layer 2 relative to layer 1')
    p.add_argument('--directions', type=int, default=1, help='pairs per step on one batch')
    p.add_argument('--rank', action='store_true', help='centred-rank fitness (ES) instead of raw differences')
    p.add_argument('--every', type=int, default=20000, help='queries between test evaluations')
    a = p.parse_args()

    xtr, ytr, xte, yte = load(a.data)
    xtr, xte = condition(a.input, xtr, xte)
    L = [xtr.shape[1]] + [int(h) for h in a.hidden.split(',') if h] + [10]
    shapes = [s for l in range(len(L) - 1) for s in ((L[l], L[l + 1]), (L[l + 1],))]
    offs = np.cumsum([0] + [int(np.prod(s)) for s in shapes])
    n = int(offs[-1])
    gains = [np.float32(np.sqrt(6 / L[l])) for l in range(len(L) - 1)]
    scale = np.ones(n, np.float32)
    if len(L) > 2:
        scale[offs[2]:] = a.l2scale

    def loss(w, x, y, acc=False):
        h = x
        for l in range(len(L) - 1):
            W = w[offs[2 * l]:offs[2 * l + 1]].reshape(shapes[2 * l])
            h = gains[l] * (h @ W) + w[offs[2 * l + 1]:offs[2 * l + 2]]
            if l < len(L) - 2:
                h = np.maximum(h, 0)
        m = h.max(1, keepdims=True)
        ce = (np.log(np.exp(h - m).sum(1)) + m[:, 0] - h[np.arange(len(y)), y]).mean()
        return (ce, (h.argmax(1) == y).mean()) if acc else ce

    rng = np.random.default_rng(a.seed)
    rad = lambda: (rng.integers(0, 2, n, dtype=np.int8) * 2 - 1).astype(np.float32) * scale
    w = rng.uniform(-0.5, 0.5, n).astype(np.float32)
    K = a.directions
    steps = a.budget // (2 * K)
    big_a = 0.1 * steps
    mg = 0.0  # mean |estimate| over 8 pairs: calibrates a for the first step
    for _ in range(8):
        z = rad()
        b = rng.integers(0, len(xtr), a.batch)
        mg += abs(loss(w + a.c * z, xtr[b], ytr[b]) - loss(w - a.c * z, xtr[b], ytr[b])) / (2 * a.c) / 8
    a0 = a.first * (big_a + 1) ** a.alpha / mg
    q, t0, hist, escale = 16, time.time(), [], None
    for k in range(steps):
        if q + 2 * K > a.budget:
            break
        ck = a.c / (k + 1) ** a.gamma
        ak = a0 / (k + 1 + big_a) ** a.alpha
        b = rng.integers(0, len(xtr), a.batch)
        zs = [rad() for _ in range(K)]
        ls = np.array([[loss(w + ck * z, xtr[b], ytr[b]), loss(w - ck * z, xtr[b], ytr[b])] for z in zs])
        q += 2 * K
        if a.rank:
            flat = ls.flatten()
            r = np.empty(len(flat))
            r[np.argsort(flat)] = np.arange(len(flat))
            u = (r / (len(flat) - 1) - 0.5).reshape(-1, 2)
            est = (u[:, 0] - u[:, 1]) / (2 * ck)
            if escale is None:  # ranks have no units: scale them like the first raw estimates
                escale = np.mean(np.abs(est)) / mg
            est = est / escale
        else:
            est = (ls[:, 0] - ls[:, 1]) / (2 * ck)
        move = np.clip(-ak * est, -5 * a.first, 5 * a.first)
        w = np.clip(w + sum(m * z for m, z in zip(move, zs)), -1, 1)
        if q // a.every != (q - 2 * K) // a.every:
            hist.append((q, round(float(loss(w, xte, yte, True)[1]), 4)))
    if not hist or hist[-1][0] != q:
        hist.append((q, round(float(loss(w, xte, yte, True)[1]), 4)))
    print(f'input={a.input} layers={"-".join(map(str, L))} budget={a.budget} batch={a.batch} first={a.first} c={a.c} '
          f'alpha={a.alpha} l2scale={a.l2scale} directions={K} rank={a.rank} seed={a.seed} -> {hist} {time.time() - t0:.0f}s', flush=True)


if __name__ == '__main__':
    main()
