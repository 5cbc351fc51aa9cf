import numpy as np
rng = np.random.default_rng(1)
n, M, trials = 7818, 64, 400
for name, g in [("gaussian", rng.standard_normal(n)), ("heavy-tailed (student-t 2)", rng.standard_t(2, n))]:
    g = g / np.linalg.norm(g)
    one, best = [], []
    for _ in range(trials):
        r = rng.choice([-1.0, 1.0], size=(M, n))
        c = np.abs(r @ g) / np.sqrt(n)
        one.append(c[0]); best.append(c.max())
    print(f"{name}: E|cos| one seed {np.mean(one)*np.sqrt(n):.2f}/sqrt(n) = {np.mean(one):.4f}; best of {M} {np.mean(best)*np.sqrt(n):.2f}/sqrt(n) = {np.mean(best):.4f}")
for a in (0.5, 0.9):
    print(f"guided alpha {a}, k=1, exact basis: cos = sqrt(1-alpha) = {np.sqrt(1-a):.3f}")
