"""The train lesson through app.py with AppTest (short runs set through the URL): the tables and charts
are the core's runs, extreme settings give sentences instead of tracebacks, a bad link gives a notice."""

import re

import numpy as np
import pytest

from apptest_helpers import assert_clean, figures, markdown, open_page, values, widget
from models import mlp, rnn, train
from lessons.train import runs as train_runs

PAGE = "pages/train-a-model.py"
CURVES, MISTAKES, RNN_CURVES, FORECAST = range(4)     # the page's charts, top to bottom
LABELS = {"sgd": "SGD", "momentum": "SGD + momentum", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW"}
SHORT = {"train_epochs": "3", "train_rnn_epochs": "2"}
# The longest run the page allows, 1,000 epochs of five optimizers, at one step per epoch (fast).
LONGEST = {"train_epochs": "100", "train_rnn_epochs": "100", "train_batch": "1438"}


def curve(figure, name, yaxis):
    return values(next(t for t in figure["data"] if t.get("name") == name and t["yaxis"] == yaxis)["y"])


def table_column(at, index, column):
    table = at.table[index].value
    return dict(zip(table["optimizer"], table[column]))


def all_lrs(value):
    return {f"train_{key}_lr": value for key in LABELS}


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE, SHORT)
    assert_clean(at)
    return at


@pytest.fixture(scope="module")
def core():
    """The five digits runs and RNN runs, recomputed here straight from models.train."""
    digits, sine = train.DigitsMLP(), train.SineRNN()
    return (digits, {key: train.train(digits, key, train.Settings(), 3) for key in LABELS},
            sine, {key: train.train(sine, key, train.Settings(), 2) for key in LABELS})


def test_the_table_prints_the_accuracy_of_the_runs_the_chart_draws(page, core):
    digits, runs, _, _ = core
    printed = table_column(page, 0, "test accuracy after 3 epochs")
    figure = figures(page)[CURVES]
    for key, label in LABELS.items():
        predicted = mlp.predict(runs[key].params, digits.data.x_test, digits.sizes)
        accuracy = np.mean(predicted == digits.data.y_test)
        assert printed[label] == f"{100 * accuracy:.1f} %"
        drawn = curve(figure, label, "y2")
        assert len(drawn) == 4 and drawn[-1] == pytest.approx(100 * accuracy, rel=1e-12)
        np.testing.assert_allclose(curve(figure, label, "y"), runs[key].history["train_loss"], rtol=1e-12)
    assert page.get("progress")[0].proto.text == "trained for 3 epochs"


def test_the_digits_shown_are_misclassified_by_adam(page, core):
    digits, runs, _, _ = core
    figure = figures(page)[MISTAKES]
    predicted = mlp.predict(runs["adam"].params, digits.data.x_test, digits.sizes)
    wrong = np.flatnonzero(predicted != digits.data.y_test)[:8]
    assert len(figure["data"]) == len(wrong) == 8
    for trace, note, index in zip(figure["data"], figure["layout"]["annotations"], wrong):
        np.testing.assert_array_equal(np.array(trace["z"], dtype=float), digits.data.images_test[index])
        said, true = map(int, re.findall(r"<b>(\d)</b>", note["text"]))
        assert (said, true) == (predicted[index], digits.data.y_test[index]) and said != true


def test_the_rnn_charts_are_the_core_runs(page, core):
    _, _, sine, runs = core
    figs = figures(page)
    for key, label in LABELS.items():
        np.testing.assert_allclose(curve(figs[RNN_CURVES], label, "y2"), runs[key].history["test_loss"],
                                   rtol=1e-12)
    start = sine.series.test_start - 40
    forecast = values(next(t for t in figs[FORECAST]["data"] if t["name"] == "Adam")["y"])
    expected, _ = rnn.forward(runs["adam"].params, sine.series.noisy[None, :-1], sine.hidden)
    np.testing.assert_allclose(forecast, expected[0][start - 1:], rtol=1e-12)
    # The forecast of the test stretch scores the test MSE the table prints.
    test_error = expected[0][sine.series.test_start - 1:] - sine.series.noisy[sine.series.test_start:]
    assert table_column(page, 1, "test MSE after 2 epochs")["Adam"] == f"{np.mean(test_error ** 2):.4g}"


def test_the_tutorial_cosine_is_the_one_between_its_direction_and_the_gradient(page):
    sine = train.SineRNN()
    true = rnn.loss_and_grad(sine.x0, sine.x_train, sine.y_train, sine.hidden)[1]
    tutorial = rnn.one_step_grad(sine.x0, sine.x_train, sine.y_train, sine.hidden)
    cosine = true @ tutorial / np.linalg.norm(true) / np.linalg.norm(tutorial)
    assert f"cosine of **{cosine:.3f}**" in markdown(page)
    assert cosine < 0.99


def test_the_epochs_slider_retrains_for_the_new_count(page):
    at = open_page(PAGE, SHORT)
    widget(at, "train_epochs").set_value(4).run()
    assert_clean(at)
    assert "test accuracy after 4 epochs" in at.table[0].value.columns
    assert len(curve(figures(at)[CURVES], "Adam", "y2")) == 5


def test_alpha_at_its_maximum_gives_sentences_not_tracebacks():
    at = open_page(PAGE, {"train_epochs": "2", "train_rnn_epochs": "8", **all_lrs("10")})
    assert_clean(at)
    outcomes = table_column(at, 0, "outcome")
    assert all(outcomes[label] == "got worse" or outcomes[label].startswith("diverged") for label in LABELS.values())
    sentences = [w.value for w in at.warning] + [e.value for e in at.error]
    assert any("**SGD got worse**" in s and "lower its α" in s for s in sentences)
    # The RNN's linear output does not saturate: plain SGD at α = 10 overflows there.
    assert table_column(at, 1, "outcome")["SGD"].startswith("diverged in epoch")
    assert any("**SGD diverged in epoch" in s for s in sentences)


def test_eps_zero_explains_the_nan_from_blank_pixels():
    at = open_page(PAGE, {**SHORT, "train_eps": "0"})
    assert_clean(at)
    outcomes = table_column(at, 0, "outcome")
    assert outcomes["Adam"] == outcomes["RMSprop"] == outcomes["AdamW"] == "diverged in epoch 1"
    assert outcomes["SGD"] == "learned"
    assert any("Adam diverged in epoch 1" in e.value and "ε = 0" in e.value for e in at.error)
    assert any("diverged" in c.value for c in at.caption)          # no mistakes to show for a NaN network


def test_a_malformed_link_falls_back_to_the_defaults_with_a_notice():
    at = open_page(PAGE, {"train_epochs": "lots", "train_batch": "7", "train_rnn_epochs": "1"})
    assert_clean(at)
    notices = " ".join(i.value for i in at.info)
    assert "train_epochs" in notices and "“lots”" in notices
    assert "train_batch" in notices and "“7”" in notices
    assert f"test accuracy after {train.DEFAULT_EPOCHS} epochs" in at.table[0].value.columns
    # The default run is the one the core test checks: Adam reaches at least 95 %.
    accuracy = table_column(at, 0, f"test accuracy after {train.DEFAULT_EPOCHS} epochs")["Adam"]
    assert float(accuracy.rstrip(" %")) >= 95.0


@pytest.fixture
def trained_epochs(monkeypatch):
    """Every epoch the core trains from now on, as (model, epoch); the train cache starts empty."""
    trained = []
    real_train_epoch = train.train_epoch

    def counting_train_epoch(problem, optimizer, progress, *args, **kwargs):
        trained.append((type(problem).__name__, progress.epoch + 1))
        return real_train_epoch(problem, optimizer, progress, *args, **kwargs)

    monkeypatch.setattr(train, "train_epoch", counting_train_epoch)
    train_runs.epoch_after.clear()
    train_runs.first.clear()
    yield trained
    train_runs.epoch_after.clear()


def test_a_finished_run_is_found_again_whole(trained_epochs):
    """Issue 13: the cache kept 400 epochs of a 1,000-epoch page, so reopening it, or a click on
    "whose mistakes", trained it all again."""
    assert_clean(open_page(PAGE, LONGEST))
    assert len(trained_epochs) == 5 * (100 + 100)
    trained_epochs.clear()
    again = open_page(PAGE, LONGEST)                 # the same settings, in a new session
    assert_clean(again)
    widget(again, "train_mistakes").set_value("sgd").run()
    assert_clean(again)
    assert trained_epochs == []
    assert "trained for 100 epochs" in [bar.proto.text for bar in again.get("progress")]
    # Every epoch is still there: the same settings with fewer epochs train nothing either.
    for epochs in ("1", "37", "99"):
        assert_clean(open_page(PAGE, {**LONGEST, "train_epochs": epochs, "train_rnn_epochs": epochs}))
    assert trained_epochs == []


def test_more_epochs_continue_from_the_last_cached_one(trained_epochs):
    assert_clean(open_page(PAGE, SHORT))
    trained_epochs.clear()
    assert_clean(open_page(PAGE, {"train_epochs": "5", "train_rnn_epochs": "2"}))
    assert sorted(trained_epochs) == sorted([("DigitsMLP", 4), ("DigitsMLP", 5)] * 5)


def test_training_pauses_between_minibatches_only_while_other_threads_run():
    """The pacer, on clocks this test moves: it sleeps only when other threads of the process used
    CPU meanwhile, long enough to leave the training a quarter of the time."""
    now = {"wall": 0.0, "thread": 0.0, "process": 0.0}
    slept = []
    pacer = train.Pacer(quantum=0.002, share=0.25, clock=lambda: now["wall"],
                        thread_cpu=lambda: now["thread"],
                        process_cpu=lambda: now["process"], sleep=slept.append)

    def advance(wall, thread, others):
        now["wall"] += wall
        now["thread"] += thread
        now["process"] += thread + others
        pacer()

    advance(0.003, 0.003, 0.0)            # alone: no pause
    advance(0.001, 0.0005, 0.0005)        # within the quantum: not even a look
    advance(0.002, 0.0015, 0.0)           # the whole 3 ms since the last look, alone: no pause
    assert slept == []
    advance(0.003, 0.001, 0.002)          # another thread ran 2 ms of the 3: step back 3 × 1 ms
    assert slept == [pytest.approx(0.003)]
    advance(0.003, 0.003, 0.0)            # it is done: full speed again
    assert slept == [pytest.approx(0.003)]


def test_the_epoch_calls_the_pacer_between_minibatches_and_computes_the_same():
    problem = train.DigitsMLP()
    optimizer = train.build_optimizer("adam", train.Settings())
    calls = []
    paced = train.train_epoch(problem, optimizer, train.start(problem, optimizer), 32,
                              pace=lambda: calls.append(1))
    plain = train.train_epoch(problem, optimizer, train.start(problem, optimizer), 32, pace=False)
    assert len(calls) == len(train.minibatches(problem.n_train, 32, 0, 0)) == 45
    np.testing.assert_array_equal(paced.params, plain.params)
