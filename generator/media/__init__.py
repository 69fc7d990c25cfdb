"""Images and documents: inspect, strip, encode, publish."""
