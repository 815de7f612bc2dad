"""Looking at hidden states from outside: a 2-D map of them (PCA) and the nearest sentences.

An encoder state has H numbers (256 for the shipped model). To draw the path a sentence takes through
that space, PCA finds the k directions in which the states differ most and measures every state along
them. The directions come from the states themselves: centre them, and take the SVD.

    >>> states = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])  # (N=3, H=2)
    >>> fitted = pca(states, k=1)
    >>> fitted.projection.round(3).ravel().tolist(), fitted.explained_variance_ratio.round(3).tolist()
    ([-1.414, 0.0, 1.414], [1.0])
    >>> nearest(states, index=0, n=2)
    [(1, 1.4142135623730951), (2, 2.8284271247461903)]

Pure numpy; N is the number of states (tokens of one sentence, or sentences), H the hidden size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PCA:
    projection: np.ndarray  # (N, k): each fitted state measured along the components
    components: np.ndarray  # (k, H): unit directions of greatest variance, largest first
    mean: np.ndarray  # (H,): the centre the states were measured from
    explained_variance_ratio: np.ndarray  # (k,): each component's share of the total variance


def _as_states(states: np.ndarray) -> np.ndarray:
    states = np.asarray(states, dtype=np.float64)
    if states.ndim != 2 or states.shape[0] == 0:
        raise ValueError(f"states must be a non-empty (N, H) array, got shape {states.shape}")
    if not np.isfinite(states).all():
        raise ValueError("states contain NaN or infinite values")
    return states


def pca(states: np.ndarray, k: int = 2) -> PCA:
    """The k principal components of the rows of `states` (N, H), by centring and SVD.

    Each component's sign is chosen so that its largest entry (by size) is positive: the picture does
    not flip between two runs on the same states. With fewer than k states (or directions of any
    variance), the missing components are zero vectors with zero variance.
    """
    states = _as_states(states)  # (N, H)
    if not 1 <= k <= states.shape[1]:
        raise ValueError(f"k must be from 1 to the state size {states.shape[1]}, got {k}")
    mean = states.mean(axis=0)  # (H,)
    centred = states - mean  # (N, H)
    # centred = U diag(S) Vt; the rows of Vt are the directions, S² the variance along each (times N)
    _, singular_values, vt = np.linalg.svd(centred, full_matrices=False)  # S (r,), Vt (r, H), r = min(N, H)
    components = np.zeros((k, states.shape[1]))  # (k, H)
    kept = min(k, len(singular_values))
    components[:kept] = vt[:kept]
    largest = np.argmax(np.abs(components), axis=1)  # (k,)
    signs = np.sign(components[np.arange(k), largest])
    components *= np.where(signs == 0, 1.0, signs)[:, None]

    variances = singular_values**2  # (r,)
    total = variances.sum()
    ratio = np.zeros(k)  # (k,)
    if total > 0:
        ratio[:kept] = variances[:kept] / total
    return PCA(centred @ components.T, components, mean, ratio)


def project(states: np.ndarray, fitted: PCA) -> np.ndarray:
    """New states (M, H) measured along the fitted components: (M, k)."""
    states = _as_states(states)
    if states.shape[1] != fitted.mean.shape[0]:
        raise ValueError(f"states have {states.shape[1]} units; the PCA was fitted on {fitted.mean.shape[0]}")
    return (states - fitted.mean) @ fitted.components.T  # (M, H) @ (H, k) -> (M, k)


def nearest(final_states: np.ndarray, index: int, n: int = 5) -> list[tuple[int, float]]:
    """The n sentences whose final hidden state (a row of `final_states`, (N, H)) is closest to that of
    sentence `index`, by Euclidean distance: (sentence index, distance) pairs, nearest first, ties by
    index. The sentence itself is left out; other sentences with the same state are kept (distance 0)."""
    final_states = _as_states(final_states)  # (N, H)
    count = final_states.shape[0]
    if not 0 <= index < count:
        raise IndexError(f"sentence index {index} is outside 0..{count - 1}")
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    distances = np.linalg.norm(final_states - final_states[index], axis=1)  # (N,)
    order = np.argsort(distances, kind="stable")  # (N,)
    order = order[order != index][:n]
    return [(int(i), float(distances[i])) for i in order]
