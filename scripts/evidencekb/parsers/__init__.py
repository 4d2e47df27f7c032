"""One parser per input format. Each returns plain data plus positions and
the problems it found; none of them raises on bad input."""
