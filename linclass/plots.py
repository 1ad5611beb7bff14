"""Figures of the notebook; each is drawn inline and saved as a PNG.

Every function returns the matplotlib Figure and, when `path` is given, also
writes it there (next to the notebook when the notebook passes a bare name).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np


def _save(fig: plt.Figure, path: str | Path | None) -> plt.Figure:
    if path is not None:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    return fig


def _as_image(img: np.ndarray) -> np.ndarray:
    """(H, W, C) array of any range -> (H, W) or (H, W, 3) in [0, 1] for imshow."""
    img = np.asarray(img, dtype=float)
    lo, hi = img.min(), img.max()
    img = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)
    return img[..., 0] if img.shape[-1] == 1 else img


def show_examples(X: np.ndarray, y: np.ndarray, class_names: Sequence[str],
                  per_class: int = 7, seed: int = 0, path: str | Path | None = None) -> plt.Figure:
    """Grid of `per_class` random images (columns) of each class.

    X: (N, H, W, C) images; y: (N,) int labels.
    """
    rng = np.random.default_rng(seed)
    fig, axes = plt.subplots(per_class, len(class_names), squeeze=False,
                             figsize=(len(class_names) * 0.9, per_class * 0.9))
    for c, name in enumerate(class_names):
        members = np.flatnonzero(y == c)
        picks = rng.choice(members, size=min(per_class, members.size), replace=False)
        for row, ax in enumerate(axes[:, c]):
            ax.axis("off")
            if row < picks.size:
                ax.imshow(_as_image(X[picks[row]]), cmap="gray")
        axes[0, c].set_title(name, fontsize=8)
    return _save(fig, path)


def loss_curves(histories: Mapping[str, Sequence[float]], path: str | Path | None = None) -> plt.Figure:
    """Training loss per iteration, one line per named history."""
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, history in histories.items():
        ax.plot(history, label=name, linewidth=0.8)
    ax.set_xlabel("iteration")
    ax.set_ylabel("mini-batch loss")
    ax.legend()
    ax.grid(alpha=0.3)
    return _save(fig, path)


def search_map(results: Mapping[tuple[float, float], tuple[float, float]], title: str,
               path: str | Path | None = None) -> plt.Figure:
    """Heat maps of train and validation accuracy over (learning rate, reg).

    results: {(learning_rate, reg): (train_accuracy, val_accuracy)}.
    """
    lrs = sorted({lr for lr, _ in results})
    regs = sorted({reg for _, reg in results})
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for k, (ax, split) in enumerate(zip(axes, ("train", "validation"), strict=True)):
        grid = np.full((len(lrs), len(regs)), np.nan)
        for (lr, reg), accs in results.items():
            grid[lrs.index(lr), regs.index(reg)] = accs[k]
        im = ax.imshow(grid, cmap="viridis", origin="lower", aspect="auto")
        for (i, j), acc in np.ndenumerate(grid):
            ax.text(j, i, f"{acc:.3f}", ha="center", va="center", fontsize=7, color="w")
        ax.set_xticks(range(len(regs)), [f"{r:.3g}" for r in regs], fontsize=7)
        ax.set_yticks(range(len(lrs)), [f"{lr:.3g}" for lr in lrs], fontsize=7)
        ax.set_xlabel("regularization strength")
        ax.set_ylabel("learning rate")
        ax.set_title(f"{title}: {split} accuracy", fontsize=9)
        fig.colorbar(im, ax=ax)
    fig.tight_layout()
    return _save(fig, path)


def weight_templates(W: np.ndarray, image_shape: tuple[int, ...], class_names: Sequence[str],
                     title: str = "", path: str | Path | None = None) -> plt.Figure:
    """One image per class from the learned weights.

    W: (D + 1, C) weights whose last row is the bias; image_shape: (H, W, C_img)
    with H * W * C_img == D. Each template is rescaled to [0, 1] on its own.
    """
    templates = W[:-1].T.reshape((W.shape[1], *image_shape))
    cols = min(len(class_names), 10)
    rows = math.ceil(len(class_names) / cols)
    fig, axes = plt.subplots(rows, cols, squeeze=False, figsize=(cols * 1.5, rows * 1.7))
    for ax in axes.ravel():
        ax.axis("off")
    for ax, template, name in zip(axes.ravel()[: len(class_names)], templates, class_names, strict=True):
        ax.imshow(_as_image(template), cmap="gray")
        ax.set_title(name, fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10, y=1.04)
    return _save(fig, path)
