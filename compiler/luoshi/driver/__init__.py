"""The driver: the compiler's stages in order (pipeline), the incremental run over the same stages, caches,
worker pools, the project's settings, safe writing of outputs, and what the terminal gets."""
