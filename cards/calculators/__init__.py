"""Lambda's prices and limits: the facts files, units, and the pricing and limits calculators.

Pure: nothing in this package imports Django."""
