"""Cameras: OpenCV capture in a thread, zxing-cpp decoding with OpenCV deskew, preview hints.

``drivers.camera.types`` is light (no OpenCV); ``decode``, ``synth`` and ``vault`` load their heavy
dependencies on import, and the drivers import them only when a camera is enabled.
"""
