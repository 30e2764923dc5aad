"""One module (or small package) per lesson: its core calls, figures and sentences, beside its page.

``pages/<url path>.py`` is the page (text, controls, layout; ``pages/inside-adam.py`` for
``lessons/inspector``); ``lessons/<lesson>`` is everything else the lesson alone uses. What two or more lessons share lives in ``ui/``.
"""
