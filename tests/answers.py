"""Student answers the checker tests share: an untouched exercise stub and an answer that crashes."""


def stub(*args, **kwargs):
    """The exercise as handed out: ``# YOUR CODE HERE`` then ``raise NotImplementedError``."""
    raise NotImplementedError


def crash(*args, **kwargs):
    """An answer that fails with an unrelated error, which the checker must report, not raise."""
    raise ZeroDivisionError("oops")
