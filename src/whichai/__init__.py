"""whichai: open-source or closed-source AI? Decide with evidence."""

__version__ = "0.1.0"
