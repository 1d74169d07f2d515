"""The one exception the declarations app raises for a request the record does not allow."""


class DeclarationError(Exception):
    """The message is complete for the person who made the request."""
