"""Pure domain core of Magnesium & Sleep: no Home Assistant imports, exact arithmetic.

Modules import each other only relatively, so the package also loads on its own.
"""
