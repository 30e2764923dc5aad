"""Train a real model: an MLP on the 8×8 digits and an RNN on a noisy sine, five optimizers side by side."""

import time
import uuid

import streamlit as st

from lessons.train import figures, runs, text
from models import train
from ui import controls, frame, plot
from ui.family import FAMILY

frame.require_app()

PAGE = "train"
WEIGHT_DECAYS = (0.0, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0)
BATCH_SIZES = (8, 16, 32, 64, 128, 256, 512, 1438)        # 1438: the whole training set, one step per epoch
DIGIT_PANELS = (("train_loss", "training loss (cross-entropy, log scale)", "log", 1.0),
                ("test_accuracy", "test accuracy (%)", "linear", 100.0))
RNN_PANELS = (("train_loss", "training MSE (log scale)", "log", 1.0),
              ("test_loss", "test MSE (log scale)", "log", 1.0))
REDRAW_SECONDS = 0.3       # while training, redraw the chart at most this often (and after the last epoch)


def stop(section, run_id):
    """The Stop button's callback: it runs first in the new script run, while the run it stops may
    still be computing an epoch in its own thread (Streamlit's fast reruns abandon that thread and
    end it at its next element call, not at once).

    So it freezes the count of epochs the learner saw finish, and takes the section away from the
    old run, whose epoch then finishes unrecorded: the page says the same count now and on every
    later visit.
    """
    done = st.session_state.get("train_done", {}).get(run_id, 0)
    st.session_state.setdefault("train_stopped", {})[section] = (run_id, done)
    take_section(section)


def resume(section):
    st.session_state.setdefault("train_stopped", {}).pop(section, None)


def take_section(section):
    """Make the caller the one run allowed to record epochs of ``section``; returns its token."""
    token = uuid.uuid4().hex
    st.session_state.setdefault("train_owner", {})[section] = token
    return token


def owns(section, token):
    return st.session_state.get("train_owner", {}).get(section) == token


def stopped_at(section, run_id):
    """The epoch count a Stop froze for this run, or None if the run was not stopped."""
    stopped = st.session_state.get("train_stopped", {}).get(section)
    return stopped[1] if stopped is not None and stopped[0] == run_id else None


def train_live(section, settings, epochs, keys, panels):
    """Continue every optimizer from its latest cached epoch, drawing the curves as they grow.

    A finished run is all in the cache: nothing trains and the chart is drawn once. A Stop click
    interrupts this run (see :func:`stop`); the rerun then shows the epochs finished at the click.
    Only the run holding the section's token records its epochs, so an abandoned script thread
    finishing its epoch after a Stop or a page change cannot change what the learner sees.
    """
    run_id = repr((section, settings, epochs))
    token = take_section(section)
    done = st.session_state.setdefault("train_done", {})
    stopped = stopped_at(section, run_id)
    target = min(stopped, epochs) if stopped is not None else epochs
    progress = {key: runs.latest(section, settings, key, target) for key in keys}
    finished = min((run.epoch for run in progress.values()), default=target)
    done[run_id] = max(done.get(run_id, 0), finished)       # a Stop before the next epoch keeps these
    bar, stop_slot, chart = st.empty(), st.empty(), st.empty()
    if finished < target:
        stop_slot.button("Stop training", key=f"{PAGE}_stop_{section}", on_click=stop, args=(section, run_id),
                         icon=":material/stop_circle:")
    last_draw = 0.0
    for epoch in range(finished + 1, target + 1):
        for key in keys:
            if progress[key].epoch < epoch:
                progress[key] = runs.epoch_after(section, settings, key, epoch, progress[key])
        if not owns(section, token):
            break                   # abandoned: a newer run of this session owns the section now
        bar.progress(epoch / epochs, text=f"epoch {epoch} of {epochs}")
        done[run_id] = max(done.get(run_id, 0), epoch)
        if time.monotonic() - last_draw > REDRAW_SECONDS and epoch < target:
            with chart:     # a new key per live draw: one key may be drawn only once per run
                plot.show(figures.curves_figure(progress, panels, epochs),
                          key=f"{PAGE}_{section}_curves_epoch_{epoch}")
            last_draw = time.monotonic()
    stop_slot.empty()
    if target == epochs:
        bar.progress(1.0, text=f"trained for {epochs} epochs" if epochs else "")
    else:
        bar.progress(target / epochs, text=f"stopped after {target} of {epochs} epochs")
    with chart:
        plot.show(figures.curves_figure(progress, panels, epochs), key=f"{PAGE}_{section}_curves")
    if stopped is not None:
        st.info(f"Training stopped after **{target} of {epochs} epochs**; the chart and table show that point.",
                icon=":material/stop_circle:")
        st.button("Continue training", key=f"{PAGE}_continue_{section}", on_click=resume, args=(section,),
                  icon=":material/play_arrow:")
    return progress


def notes(progress, settings):
    for kind, sentence in runs.outcome_notes(progress, settings):
        (st.error if kind == "error" else st.warning)(sentence, icon=":material/warning:")


st.title("Train a real model")
st.markdown(
    "Toy surfaces show the mechanics; here the same optimizers train real models: a small neural network "
    "that reads handwritten digits, and a recurrent network that forecasts a noisy time series. Everything "
    "is NumPy and the course's own optimizers (the ones the earlier lessons took apart), with every "
    "gradient written out by hand and checked against finite differences in the tests.")
url_notices = st.container()

st.markdown(
    "The popular tutorial trains these models too, with three slips this page fixes. **It divides the "
    "pixels by 255**, but these digits' pixels run **0..16** (each counts the inked cells of a 4×4 block), "
    "so all its inputs sit below 0.07; we divide by 16. **Its RNN looks one step back only**: no error flows "
    "to earlier time steps, the tanh derivative is missing and the error is paired with hₜ where hₜ₋₁ "
    "belongs, so the direction it follows is not the gradient of any loss. We backpropagate through every "
    "step of each sequence (backpropagation through time).")

with st.expander("The five update rules, exactly as the core runs them"):
    for key in train.OPTIMIZER_KEYS:
        st.markdown(f"**{FAMILY[key].label}**")
        st.latex(FAMILY[key].latex)
    st.caption("SGD + momentum is torch's sum form (b = μb + g). Only AdamW decays its weights, all of them "
               "(biases included, as torch does for model.parameters()); the other four train the plain loss.")

# ---- settings -----------------------------------------------------------------------------------
st.subheader("The optimizers' settings")
st.caption("Shared by both models below. Each optimizer has its own α: SGD's step is α·g, so its α must fit the "
           "gradient's size, while the adaptive ones divide the gradient by a running root mean square of it, "
           "so their steps are measured in units of α. The defaults: 0.1 for SGD, 10⁻² for momentum, 10⁻³ "
           "for the adaptive three (torch's own default for Adam and AdamW; torch's RMSprop default is 10⁻²).")
columns = st.columns(5)
lrs = {}
for column, (key, default) in zip(columns, (("sgd", 0.1), ("momentum", 0.01), ("rmsprop", 1e-3), ("adam", 1e-3),
                                            ("adamw", 1e-3))):
    with column:
        lrs[key] = controls.option_slider(PAGE, f"{key}_lr", f"α · {FAMILY[key].label}", controls.LR_OPTIONS,
                                          default, f"{FAMILY[key].label}'s learning rate. Log scale.")
columns = st.columns(6)
with columns[0]:
    mu = controls.number_slider(PAGE, "mu", "μ (momentum)", 0.0, 0.99, 0.9, 0.01,
                                "SGD + momentum's μ: b = μb + g, a long-run step of α/(1−μ) times g.")
with columns[1]:
    rho = controls.beta2_slider(PAGE, "rho", 0.99, label="ρ (RMSprop's g² decay)")
with columns[2]:
    beta1 = controls.beta1_slider(PAGE, "beta1", 0.9, label="β₁ (Adam, AdamW)")
with columns[3]:
    beta2 = controls.beta2_slider(PAGE, "beta2", 0.999, label="β₂ (Adam, AdamW)")
with columns[4]:
    eps = controls.eps_slider(PAGE, "eps", 1e-8)
with columns[5]:
    weight_decay = controls.option_slider(PAGE, "wd", "λ (AdamW's weight decay)", WEIGHT_DECAYS, 1e-2,
                                          "AdamW multiplies every weight by 1 − αλ before each step. Log scale.")
columns = st.columns([1, 1, 1])
with columns[0]:
    batch_size = controls.option_slider(PAGE, "batch", "batch size", BATCH_SIZES, 32,
                                        "Examples per step; the training set is shuffled every epoch with a fixed "
                                        "seed, the same minibatches for every optimizer. 1438 is the whole set.")
with columns[1]:
    epochs = controls.number_slider(PAGE, "epochs", "digits: epochs", 1, 100, train.DEFAULT_EPOCHS, 1,
                                    "Passes over the 1,438 training digits.")
with columns[2]:
    rnn_epochs = controls.number_slider(PAGE, "rnn_epochs", "RNN: epochs", 1, 100, train.DEFAULT_RNN_EPOCHS, 1,
                                        "Passes over the 275 training windows of the series.")

settings = train.Settings(lr_sgd=lrs["sgd"], lr_momentum=lrs["momentum"], lr_rmsprop=lrs["rmsprop"],
                          lr_adam=lrs["adam"], lr_adamw=lrs["adamw"], momentum=mu, rho=rho, beta1=beta1,
                          beta2=beta2, eps=eps, weight_decay=weight_decay, batch_size=int(batch_size))
errors = runs.check_settings(settings)
for key, sentence in errors.items():
    st.error(f"{FAMILY[key].label} cannot run: {sentence}", icon=":material/error:")
keys = [key for key in train.OPTIMIZER_KEYS if key not in errors]

# ---- 1. digits ----------------------------------------------------------------------------------
st.subheader("1 · Handwritten digits: a 64–64–10 network")
st.markdown(
    "1,797 images of 8×8 pixels (the UCI digits, as scikit-learn ships them), split once with a fixed seed: "
    "1,438 to train on, 359 to test on. The network has one hidden layer of 64 tanh units and a softmax "
    "output, 4,810 parameters in all; the loss is the mean cross-entropy of a minibatch:")
st.latex(r"h = \tanh(x W_1 + b_1),\quad p = \mathrm{softmax}(h W_2 + b_2),\quad "
         r"L = -\frac{1}{n}\sum_{i=1}^{n} \log p_{i,\,y_i},\qquad x = \frac{\text{pixels}}{16}")
digits = train_live("digits", settings, epochs, keys, DIGIT_PANELS)
if digits:
    st.table(runs.digits_rows(digits))
notes(digits, settings)
if digits:
    st.markdown(text.digits_verdict(digits))
# True at every setting: each claim names its settings (the rest at their defaults, 30 epochs, batch 32);
# tests/test_truth_train.py trains those runs and checks every number.
st.markdown(
    "**What to see.** Each optimizer needs its own α: SGD's step is α·g, so its α must fit the gradient. At "
    "α = 10⁻³ for all five, plain SGD crawls: after 30 epochs it is at 66 % test accuracy, against 97–98 % "
    "for the adaptive three. At α = 0.1 for all five, the adaptive three turn erratic: their training loss "
    "goes back up between epochs more than ten times in 30 epochs. Adam and AdamW start identically and part "
    "only as far as the decay αλ per step adds up: raise λ and AdamW's weight norm in the table shrinks; at "
    "λ = 10 the decay wins over the data and its accuracy drops (to 76 % after 30 epochs).")

if digits:
    st.markdown("**Digits the network got wrong** (the first test digits it misclassified after training):")
    shown = [key for key in keys if key in digits]
    whose = controls.choice(PAGE, "mistakes", "whose mistakes", shown, "adam" if "adam" in shown else shown[0],
                            "Which optimizer's trained network to show.", format_func=runs.label)
    images, predicted, true = runs.mistakes(digits[whose])
    if len(images):
        plot.show(figures.mistakes_figure(images, predicted, true), key=f"{PAGE}_mistakes_chart")
    elif digits[whose].diverged_at >= 0:
        st.caption(f"{runs.label(whose)} diverged: its network has no predictions to show.")
    else:
        st.caption(f"{runs.label(whose)}'s network classifies every test digit correctly.")

# ---- 2. the RNN ---------------------------------------------------------------------------------
st.subheader("2 · A time series: an RNN trained by backpropagation through time")
facts = runs.rnn_facts()
st.markdown(
    "A sine of period 20 with Gaussian noise (σ = 0.1, seeded), 400 points: the first 300 to train on, the "
    "last 100 to test. An Elman RNN with 16 tanh units reads the series one value at a time and forecasts the "
    "next. It trains on every window of 25 consecutive points in the training stretch (275 windows, starting "
    "from h₀ = 0), the loss being the mean squared error over all 25 forecasts, and the gradient flows back "
    "through all 25 steps:")
st.latex(r"h_t = \tanh(x_t W_x + h_{t-1} W_h + b),\qquad \hat x_{t+1} = h_t W_y + c")
st.latex(r"\delta_t = \Big(\tfrac{\partial L}{\partial \hat x_{t+1}} W_y^\top + \delta_{t+1} W_h^\top\Big)"
         r"\odot (1 - h_t^2),\quad \frac{\partial L}{\partial W_h} = \sum_t h_{t-1}^\top \delta_t")
st.markdown(
    f"The tutorial's update keeps only the first term of δₜ, without the (1 − hₜ²) factor, and uses hₜ in "
    f"place of hₜ₋₁. At this network's starting point its direction and the true gradient have a cosine of "
    f"**{facts['cosine']:.3f}** (1 would mean the same direction).")
rnn = train_live("rnn", settings, rnn_epochs, keys, RNN_PANELS)
if rnn:
    series = runs.problem("rnn").series
    forecasts = {key: runs.forecast(run) for key, run in rnn.items()}
    plot.show(figures.forecast_figure(series, forecasts, series.test_start - 40), key=f"{PAGE}_forecast")
    st.table(runs.rnn_rows(rnn))
notes(rnn, settings)
if rnn:
    st.markdown(text.rnn_reading(rnn, facts))

controls.show_url_notices(url_notices)
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
