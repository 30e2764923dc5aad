"""The NumPy models of the train lesson: data, exact gradients, the optimizers applied as the course says."""

import numpy as np
import pytest

from models import data, mlp, rnn, train


def central_differences(f, theta, h=1e-6):
    """∂f/∂θᵢ ≈ (f(θ + h eᵢ) − f(θ − h eᵢ)) / 2h, one coordinate at a time."""
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (f(theta + step) - f(theta - step)) / (2 * h)
    return grad


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


# ---- data ----------------------------------------------------------------------------------

def test_digits_are_the_1797_images_with_pixels_0_to_16():
    images, target = data.load_digits()
    assert images.shape == (1797, 8, 8) and target.shape == (1797,)
    assert images.min() == 0 and images.max() == 16
    assert sorted(np.unique(target)) == list(range(10))
    assert np.bincount(target).min() >= 170          # about 180 of each digit


def test_split_is_fixed_disjoint_and_scaled_by_16():
    a, b = data.digits_split(0), data.digits_split(0)
    np.testing.assert_array_equal(a.x_test, b.x_test)
    assert len(a.y_test) == 359 and len(a.y_train) == 1438
    assert a.x_train.max() == 1.0 and a.x_train.min() == 0.0
    images, _ = data.load_digits()
    # Every normalised test image is an asset image / 16, and train and test share none.
    flat = images.reshape(1797, 64).astype(float) / 16
    rows = {row.tobytes(): i for i, row in enumerate(flat)}
    assert len(a.x_test) == len({rows[r.tobytes()] for r in a.x_test})
    np.testing.assert_array_equal(a.x_test, a.images_test.reshape(-1, 64) / 16)
    assert not np.array_equal(data.digits_split(1).y_test, a.y_test)


def test_noisy_sine_is_seeded_and_noise_has_the_asked_size():
    s = data.noisy_sine(length=4000, noise=0.1, seed=3)
    np.testing.assert_array_equal(s.noisy, data.noisy_sine(length=4000, noise=0.1, seed=3).noisy)
    assert np.std(s.noisy - s.clean) == pytest.approx(0.1, rel=0.05)
    np.testing.assert_allclose(s.clean[:21:5], [0, 1, 0, -1, 0], atol=1e-12)     # period 20


# ---- the MLP -------------------------------------------------------------------------------

def test_mlp_gradient_matches_central_differences():
    sizes = mlp.Sizes(inputs=6, hidden=5, classes=4)
    rng = np.random.default_rng(1)
    theta = rng.standard_normal(mlp.n_params(sizes))
    x, y = rng.random((7, 6)), rng.integers(0, 4, 7)
    value, grad = mlp.loss_and_grad(theta, x, y, sizes)
    assert value == mlp.loss(theta, x, y, sizes)
    numeric = central_differences(lambda t: mlp.loss(t, x, y, sizes), theta)
    assert relative_error(grad, numeric) < 1e-6


def test_mlp_loss_is_cross_entropy_written_out():
    sizes = mlp.Sizes(inputs=3, hidden=2, classes=3)
    theta = np.random.default_rng(2).standard_normal(mlp.n_params(sizes))
    x, y = np.array([[0.5, 0.0, 1.0]]), np.array([2])
    p = mlp.unpack(theta, sizes)
    z = np.tanh(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    expected = -np.log(np.exp(z[0, 2]) / np.exp(z[0]).sum())
    assert mlp.loss(theta, x, y, sizes) == pytest.approx(expected, rel=1e-12)


def test_one_sgd_epoch_is_the_plain_loop_over_the_same_minibatches():
    problem = train.DigitsMLP(hidden=8)
    settings = train.Settings(lr_sgd=0.05, batch_size=100)
    optimizer = train.build_optimizer("sgd", settings)
    after = train.train_epoch(problem, optimizer, train.start(problem, optimizer), 100)
    theta = problem.x0.copy()
    batches = train.minibatches(problem.n_train, 100, 0, 0)
    assert sorted(np.concatenate(batches).tolist()) == list(range(problem.n_train))
    for index in batches:
        theta -= 0.05 * mlp.loss_and_grad(theta, problem.data.x_train[index], problem.data.y_train[index],
                                          problem.sizes)[1]
    np.testing.assert_allclose(after.params, theta, rtol=0, atol=1e-12)
    assert after.history["train_loss"][1] == pytest.approx(
        mlp.loss(theta, problem.data.x_train, problem.data.y_train, problem.sizes), rel=1e-10)


def test_adam_reaches_95_percent_with_the_default_settings():
    problem = train.DigitsMLP()
    result = train.train(problem, "adam", train.Settings(), train.DEFAULT_EPOCHS)
    predicted = mlp.predict(result.params, problem.data.x_test, problem.sizes)
    accuracy = np.mean(predicted == problem.data.y_test)
    assert accuracy >= 0.95
    assert result.history["test_accuracy"][-1] == accuracy
    assert len(result.history["test_accuracy"]) == train.DEFAULT_EPOCHS + 1


def test_a_huge_learning_rate_ruins_the_model_and_says_so():
    """tanh saturates and log-softmax is computed stably, so α = 10 leaves the loss finite but huge."""
    result = train.train(train.DigitsMLP(), "sgd", train.Settings(lr_sgd=10.0), 3)
    assert result.diverged_at == -1
    assert result.history["train_loss"][-1] > 10 * result.history["train_loss"][0]
    assert result.history["test_accuracy"][-1] < 0.3           # chance is 0.1
    assert train.outcome(result) == "got worse"
    assert train.outcome(train.train(train.DigitsMLP(hidden=8), "sgd", train.Settings(), 1)) == "learned"


def test_an_overflowing_run_is_marked_diverged_and_blanked():
    """The RNN's linear output has no saturation: SGD with α = 10 overflows to inf, then NaN."""
    result = train.train(train.SineRNN(), "sgd", train.Settings(lr_sgd=10.0), 8)
    assert result.diverged_at >= 1
    assert np.isnan(result.history["train_loss"][result.diverged_at:]).all()
    assert np.isfinite(result.history["train_loss"][:result.diverged_at]).all()
    assert train.outcome(result) == "diverged"


def test_eps_zero_turns_a_blank_pixel_into_nan():
    """The top-left pixel is 0 in every image: its weights get g = 0, v = 0 and 0/(0 + ε) = NaN when ε = 0."""
    problem = train.DigitsMLP()
    assert problem.data.x_train[:, 0].max() == 0
    nan_run = train.train(problem, "adam", train.Settings(eps=0.0), 1)
    assert nan_run.diverged_at == 1 and train.outcome(nan_run) == "diverged"
    assert train.train(problem, "adam", train.Settings(eps=1e-8), 1).diverged_at == -1


def test_bad_settings_raise_a_sentence():
    with pytest.raises(ValueError, match="beta1"):
        train.build_optimizer("adam", train.Settings(beta1=1.0))
    with pytest.raises(ValueError, match="batch size"):
        problem = train.DigitsMLP(hidden=4)
        optimizer = train.build_optimizer("sgd", train.Settings())
        train.train_epoch(problem, optimizer, train.start(problem, optimizer), 0)


def test_adamw_differs_from_adam_only_by_its_decay():
    problem = train.DigitsMLP(hidden=8)
    adam = train.train(problem, "adam", train.Settings(), 2)
    same = train.train(problem, "adamw", train.Settings(weight_decay=0.0), 2)
    decayed = train.train(problem, "adamw", train.Settings(weight_decay=0.5), 2)
    np.testing.assert_array_equal(adam.params, same.params)
    assert np.linalg.norm(decayed.params) < np.linalg.norm(adam.params)


# ---- the RNN -------------------------------------------------------------------------------

def test_rnn_forward_is_the_recurrence_written_out():
    hidden = 2
    theta = np.random.default_rng(4).standard_normal(rnn.n_params(hidden))
    p = rnn.unpack(theta, hidden)
    x = np.array([[0.3, -0.7, 1.1]])
    h = np.zeros(hidden)
    expected = []
    for value in x[0]:
        h = np.tanh(value * p["Wx"][0] + h @ p["Wh"] + p["b"])
        expected.append(h @ p["Wy"][:, 0] + p["c"][0])
    np.testing.assert_allclose(rnn.forward(theta, x, hidden)[0][0], expected, rtol=1e-13)


def test_rnn_gradient_matches_central_differences_through_time():
    hidden = 3
    rng = np.random.default_rng(5)
    theta = rng.standard_normal(rnn.n_params(hidden))
    x, y = rng.standard_normal((2, 6)), rng.standard_normal((2, 6))
    value, grad = rnn.loss_and_grad(theta, x, y, hidden)
    assert value == rnn.loss(theta, x, y, hidden)
    numeric = central_differences(lambda t: rnn.loss(t, x, y, hidden), theta)
    assert relative_error(grad, numeric) < 1e-6
    # The tutorial's one-step direction is far from it: it is not the gradient.
    assert relative_error(rnn.one_step_grad(theta, x, y, hidden), numeric) > 0.1


def test_rnn_windows_pair_each_input_with_the_next_value():
    x, y = rnn.windows(np.arange(10.0), 4)
    assert x.shape == y.shape == (6, 4)
    np.testing.assert_array_equal(x[2], [2, 3, 4, 5])
    np.testing.assert_array_equal(y[2], [3, 4, 5, 6])


def test_rnn_training_beats_repeating_the_last_value():
    problem = train.SineRNN()
    result = train.train(problem, "adam", train.Settings(), train.DEFAULT_RNN_EPOCHS)
    s = problem.series
    persistence = np.mean((s.noisy[s.test_start:] - s.noisy[s.test_start - 1:-1]) ** 2)
    assert result.history["test_loss"][-1] < 0.5 * persistence
    assert result.history["test_loss"][-1] < result.history["test_loss"][0]
