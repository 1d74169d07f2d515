"""The one exception the engine raises, with a message a person can act on."""


class PostcheckError(ValueError):
    """Bad input to the post checker: a malformed context, an unknown audience."""
