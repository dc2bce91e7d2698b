"""Default sh:resultMessage texts, used when a shape declares no sh:message."""

from __future__ import annotations

from .model import Constraint, Shape

_TEMPLATES = {
    "Class": "Value is not an instance of {arg}",
    "Datatype": "Value is not a well-formed literal of datatype {arg}",
    "NodeKind": "Value is not of node kind {arg}",
    "MinCount": "Fewer than {arg} values",
    "MaxCount": "More than {arg} values",
    "MinInclusive": "Value is not >= {arg}",
    "MaxInclusive": "Value is not <= {arg}",
    "MinExclusive": "Value is not > {arg}",
    "MaxExclusive": "Value is not < {arg}",
    "MinLength": "Value is shorter than {arg} characters",
    "MaxLength": "Value is longer than {arg} characters",
    "Pattern": "Value does not match the pattern {arg!r}",
    "LanguageIn": "Language tag is not one of the allowed ones",
    "UniqueLang": "More than one value shares a language tag",
    "Equals": "Values differ from those of {arg}",
    "Disjoint": "Value is also a value of {arg}",
    "LessThan": "Value is not less than the values of {arg}",
    "LessThanOrEquals": "Value is not less than or equal to the values of {arg}",
    "Not": "Value conforms to the shape {arg}, which it must not",
    "And": "Value does not conform to every shape of the sh:and list",
    "Or": "Value conforms to none of the shapes of the sh:or list",
    "Xone": "Value does not conform to exactly one shape of the sh:xone list",
    "Node": "Value does not conform to the shape {arg}",
    "QualifiedMinCount": "Too few values conform to the qualified value shape",
    "QualifiedMaxCount": "Too many values conform to the qualified value shape",
    "In": "Value is not one of the allowed values",
    "HasValue": "Missing the required value {arg}",
    "Closed": "Property is not allowed by the closed shape",
    "SPARQL": "SPARQL constraint {arg} was violated",
}


def default_message(c: Constraint, shape: Shape) -> str:
    """A short English message naming the constraint; the path is added when known."""
    text = _TEMPLATES[c.kind].format(arg=c.arg)
    return f"{text} (path {shape.path.sparql()})" if shape.path is not None else text
