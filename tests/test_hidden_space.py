"""PCA and nearest neighbours of hidden states, against numpy's covariance eigenvectors and hand-computed
distances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rnn_demo.core.hidden_space import nearest, pca, project


def _states(n: int = 40, h: int = 8, seed: int = 0) -> np.ndarray:
    """Correlated states in -1..1 like a GRU's: a few strong directions, and noise."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 3)) * np.array([3.0, 1.5, 0.5])  # (n, 3), distinct variances
    return np.tanh(0.3 * latent @ rng.normal(size=(3, h)) + 0.05 * rng.normal(size=(n, h)))  # (n, h)


def _eigen(states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The reference: eigenvalues (largest first) and eigenvectors (as rows) of the covariance matrix."""
    values, vectors = np.linalg.eigh(np.cov(states, rowvar=False))  # ascending
    return values[::-1], vectors[:, ::-1].T


def test_components_are_the_covariance_eigenvectors_up_to_sign():
    states = _states()
    fitted = pca(states, k=3)
    values, vectors = _eigen(states)
    assert fitted.components.shape == (3, 8)
    for component, vector in zip(fitted.components, vectors[:3], strict=True):
        assert abs(component @ vector) == pytest.approx(1.0, abs=1e-9)  # same direction, sign aside
    np.testing.assert_allclose(fitted.mean, states.mean(axis=0))


def test_explained_variance_ratio_matches_the_eigenvalues():
    states = _states()
    values, _ = _eigen(states)
    ratio = pca(states, k=3).explained_variance_ratio
    np.testing.assert_allclose(ratio, values[:3] / values.sum(), atol=1e-12)
    full = pca(states, k=8).explained_variance_ratio
    assert full.sum() == pytest.approx(1.0)
    assert np.all(np.diff(full) <= 1e-12)  # largest first


def test_projection_of_the_fitted_states():
    states = _states()
    fitted = pca(states, k=2)
    _, vectors = _eigen(states)
    reference = (states - states.mean(axis=0)) @ vectors[:2].T  # (N, 2), signs may differ per column
    np.testing.assert_allclose(np.abs(fitted.projection), np.abs(reference), atol=1e-9)
    np.testing.assert_allclose(project(states, fitted), fitted.projection, atol=1e-12)
    # the variance along each component is its eigenvalue
    values, _ = _eigen(states)
    np.testing.assert_allclose(fitted.projection.var(axis=0, ddof=1), values[:2], rtol=1e-9)


def test_project_new_states_uses_the_fitted_mean_and_components():
    fitted = pca(_states(seed=1), k=2)
    new = _states(n=5, seed=2)
    expected = np.array([[(row - fitted.mean) @ c for c in fitted.components] for row in new])
    np.testing.assert_allclose(project(new, fitted), expected, atol=1e-12)
    with pytest.raises(ValueError, match="units"):
        project(np.zeros((2, 3)), fitted)


def test_a_line_of_states_and_the_sign_convention():
    # three points on the diagonal: one component along (1, 1)/√2, all the variance, projections -√2, 0, √2
    fitted = pca(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]), k=2)
    np.testing.assert_allclose(fitted.components[0], [2**-0.5, 2**-0.5])
    np.testing.assert_allclose(fitted.projection[:, 0], [-(2**0.5), 0.0, 2**0.5])
    np.testing.assert_allclose(fitted.explained_variance_ratio, [1.0, 0.0], atol=1e-12)
    for component in pca(_states(), k=4).components:
        assert component[np.argmax(np.abs(component))] > 0


def test_fewer_states_than_components():
    fitted = pca(np.array([[0.5, -0.5, 0.25]]), k=2)  # one state: nothing varies
    np.testing.assert_array_equal(fitted.projection, np.zeros((1, 2)))
    np.testing.assert_array_equal(fitted.explained_variance_ratio, [0.0, 0.0])
    with pytest.raises(ValueError):
        pca(np.zeros((4, 3)), k=4)
    with pytest.raises(ValueError):
        pca(np.zeros((0, 3)))
    with pytest.raises(ValueError):
        pca(np.array([[np.nan, 1.0]]), k=1)


# values in -1..1 on a grid of 0.001: a GRU's range, without subnormal numbers whose squares vanish
_STATE_VALUES = st.integers(-1000, 1000).map(lambda value: value / 1000)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 12), st.integers(1, 6)), elements=_STATE_VALUES))
def test_all_components_rebuild_the_states(states):
    n, h = states.shape
    fitted = pca(states, k=h)
    np.testing.assert_allclose(fitted.mean + fitted.projection @ fitted.components, states, atol=1e-9)
    directions = fitted.components[: min(n, h)]  # beyond N states the components are zero
    np.testing.assert_allclose(directions @ directions.T, np.eye(min(n, h)), atol=1e-9)  # orthonormal
    assert fitted.explained_variance_ratio.sum() == pytest.approx(1.0 if fitted.projection.any() else 0.0)


def test_nearest_on_hand_made_states():
    final_states = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 0.0], [0.0, -2.0], [3.0, 4.0]])
    # distances from sentence 0: 5, 1, 2, 5
    assert nearest(final_states, index=0, n=2) == [(2, 1.0), (3, 2.0)]
    assert nearest(final_states, index=0, n=10) == [(2, 1.0), (3, 2.0), (1, 5.0), (4, 5.0)]  # ties by index
    # another sentence with the same state is the nearest, at distance 0; the sentence itself is not listed
    assert nearest(final_states, index=1, n=2) == [(4, 0.0), (2, pytest.approx(20**0.5))]
    assert nearest(final_states, index=3, n=0) == []


def test_nearest_refuses_bad_arguments():
    final_states = np.zeros((3, 2))
    with pytest.raises(IndexError):
        nearest(final_states, index=3)
    with pytest.raises(IndexError):
        nearest(final_states, index=-1)
    with pytest.raises(ValueError):
        nearest(final_states, index=0, n=-1)
    with pytest.raises(ValueError):
        nearest(np.zeros(3), index=0)
