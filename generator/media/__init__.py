"""Images and documents: inspect, strip, encode, store, publish; which files may be published at all.

Knows neither content loading nor views: it gets models and paths, and returns plain data.
"""
