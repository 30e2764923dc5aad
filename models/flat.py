"""A model's parameters as one flat float64 vector, so one optimizer update moves the whole model."""

import math


def n_params(shapes):
    """How many numbers the blocks of ``shapes`` (name -> shape) hold in all."""
    return sum(math.prod(shape) for shape in shapes.values())


def unpack(theta, shapes):
    """Name -> view into the flat vector ``theta``, block after block (writing to a view writes into θ)."""
    blocks, start = {}, 0
    for name, shape in shapes.items():
        size = math.prod(shape)
        blocks[name] = theta[start:start + size].reshape(shape)
        start += size
    return blocks
