"""The training lesson's sentences about its runs: pure functions from the runs' numbers to Markdown.

Each reads the same ``Progress`` objects the charts and tables draw, and its words branch on them.
"""

import numpy as np

from ui.family import FAMILY

SAME_ACCURACY = 0.03          # final test accuracies within 3 points of each other read as "about the same"


def _percent(value):
    return f"{100 * value:.1f} %"


def _count(n):
    return {0: "none", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


def _epochs(n):
    return f"{n} epoch" if n == 1 else f"{n} epochs"


def _names(keys):
    labels = [FAMILY[key].label for key in keys]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def final_accuracies(progress):
    """{key: test accuracy after the last epoch} for the runs that stayed finite."""
    finals = {key: float(np.asarray(run.history["test_accuracy"])[-1]) for key, run in progress.items()}
    return {key: value for key, value in finals.items() if np.isfinite(value)}


def digits_verdict(progress):
    """How close the optimizers ended on the digits, at the learner's settings."""
    finals = final_accuracies(progress)
    if not finals:
        return "**At these settings** no optimizer kept finite numbers to the end: there is no accuracy to compare."
    epochs = max(run.epoch for run in progress.values())
    low, high = min(finals, key=finals.get), max(finals, key=finals.get)
    lost = [key for key in progress if key not in finals]
    lost_text = f" ({_names(lost)} diverged)" if lost else ""
    if len(finals) == 1:
        return (f"**At these settings** only {_names(finals)} kept finite numbers: {_percent(finals[high])} "
                f"test accuracy after {_epochs(epochs)}{lost_text}.")
    spread = finals[high] - finals[low]
    verdict = (f"end after {_epochs(epochs)} with about the same accuracy (within {100 * spread:.1f} points)"
               if spread <= SAME_ACCURACY else
               f"end far apart after {_epochs(epochs)}: {100 * spread:.1f} points between the best and the worst")
    return (f"**At these settings** the {_count(len(finals))} {verdict}, from "
            f"{_percent(finals[low])} ({FAMILY[low].label}) to {_percent(finals[high])} ({FAMILY[high].label})"
            f"{lost_text}.")


def rnn_reading(progress, facts):
    """The RNN's numbers against the noise floor and the persistence forecast, and train against test MSE."""
    tests = {key: float(run.history["test_loss"][-1]) for key, run in progress.items()}
    trains = {key: float(run.history["train_loss"][-1]) for key, run in progress.items()}
    finite = [key for key in progress if np.isfinite(tests[key]) and np.isfinite(trains[key])]
    text = (f"**Reading the numbers.** The noise in the test stretch alone costs **{facts['noise']:.3g}** in "
            f"test MSE (the mean square of its σ = 0.1 noise): forecasting the clean sine itself would score "
            f"that. Repeating the last observed value scores **{facts['persistence']:.3g}**.")
    if not finite:
        return text + " No optimizer kept finite numbers to the end."
    beat = [key for key in finite if tests[key] < facts["persistence"]]
    text += (f" {_count(len(beat)).capitalize()} of the {_count(len(finite))} beat repeating the last value"
             + (f" ({_names(beat)})." if 0 < len(beat) < len(finite) else "."))
    higher = [key for key in finite if trains[key] > tests[key]]
    text += (" The test MSE is measured running the RNN over the whole series, so every forecast has long "
             "context; the training MSE averages over 25-point windows whose first forecasts have almost none.")
    if len(higher) == len(finite):
        text += " That is why the training MSE sits higher here for all of them."
    elif higher:
        text += (f" The training MSE sits higher for {_names(higher)}; for the others the test stretch is "
                 "the harder part.")
    else:
        text += " Even so the training MSE is not higher here for any of them: the test stretch is the harder part."
    return text
