"""The one exception the concerns app raises for a request a record's state does not allow."""


class ConcernError(Exception):
    """The message is complete for the person who made the request."""
