"""The aims-graph HTTP service: it translates HTTP to library calls and back."""
