"""Providers: how to call a model. See :mod:`whichai.providers.base` for the contract."""
