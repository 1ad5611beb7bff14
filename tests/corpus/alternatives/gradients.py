"""Right numerical gradients, sparse gradient checks and rel_errors written differently."""

from __future__ import annotations

from tests.corpus import Case

CASES = [
    Case("numerical_nditer", "eval_numerical_gradient", '''
        def eval_numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x, dtype=float)
            it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
            while not it.finished:
                ix = it.multi_index
                old = x[ix]
                x[ix] = old + h
                fxph = f(x)
                x[ix] = old - h
                fxmh = f(x)
                x[ix] = old
                grad[ix] = (fxph - fxmh) / (2 * h)
                it.iternext()
            return grad
        '''),
    Case("numerical_flat_index", "eval_numerical_gradient", '''
        def eval_numerical_gradient(f, x, h=1e-5):
            grad = np.empty(x.size)
            for k in range(x.size):
                saved = x.flat[k]
                x.flat[k] = saved + h
                up = f(x)
                x.flat[k] = saved - h
                down = f(x)
                x.flat[k] = saved
                grad[k] = (up - down) / (2 * h)
            return grad.reshape(x.shape)
        '''),
    Case("grad_check_unravel_index", "grad_check_sparse", '''
        def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=0):
            rng = np.random.default_rng(seed)
            out = []
            for flat in rng.integers(0, x.size, size=num_checks):
                ix = np.unravel_index(flat, x.shape)
                keep = x[ix]
                x[ix] = keep + h
                fp = f(x)
                x[ix] = keep - h
                fm = f(x)
                x[ix] = keep
                num = (fp - fm) / (2 * h)
                ana = analytic_grad[ix]
                out.append(abs(num - ana) / max(1e-8, abs(num) + abs(ana)))
                print("numerical %f analytic %f, relative error %e" % (num, ana, out[-1]))
            return np.array(out)
        '''),
    Case("rel_error_clip", "rel_error", '''
        def rel_error(a, b):
            a = np.array(a, dtype=np.float64)
            b = np.array(b, dtype=np.float64)
            return (np.abs(a - b) / np.clip(np.abs(a) + np.abs(b), 1e-8, None)).max()
        '''),
]
