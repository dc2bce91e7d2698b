"""OSCAL for GRC tools: catalogs of the reference schemes, mapping collections from the
crosswalks, and a component definition of the organisation's implemented controls.

Each function returns the document as a dict in OSCAL's JSON form (OSCAL 1.2.1);
``to_json`` writes it.  ``catalog_href`` says where a document that points at a catalog
finds it: by default the file name ``<scheme>.catalog.json`` beside it, in the service
the catalog's own path.
"""

from aims_graph.exports.oscal.catalog import catalog
from aims_graph.exports.oscal.component import component_definition
from aims_graph.exports.oscal.documents import OSCAL_VERSION, catalog_file, to_json
from aims_graph.exports.oscal.mapping import collection, mapping_collection

__all__ = [
    "OSCAL_VERSION",
    "catalog",
    "catalog_file",
    "collection",
    "component_definition",
    "mapping_collection",
    "to_json",
]
