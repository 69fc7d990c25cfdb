"""Pressroom: a static site generator for press releases of public authorities."""

__version__ = "0.1.0"
