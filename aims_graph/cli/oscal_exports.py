"""``aims-graph export --format oscal-catalog|oscal-mapping|oscal-component``: the OSCAL
documents of ``aims_graph.exports.oscal``, each with the one option that chooses its
subject.  Imported when the command line starts, so the library loads only when used.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aims_graph.cli.exporting import ExportOptions, only
from aims_graph.errors import InputError
from aims_graph.store import Store


def catalog(store: Store, options: ExportOptions) -> bytes:
    from aims_graph.exports import oscal

    only(options, "oscal-catalog", "scheme")
    if not options["scheme"]:
        raise InputError("--format oscal-catalog needs --scheme: the reference scheme, e.g. iso42001 or eu-ai-act")
    return oscal.to_json(oscal.catalog(store, options["scheme"], last_modified=datetime.now(UTC)))


def mapping(store: Store, options: ExportOptions) -> bytes:
    from aims_graph.exports import oscal

    only(options, "oscal-mapping", "set")
    if not options["set"]:
        raise InputError("--format oscal-mapping needs --set: the crosswalk, e.g. iso42001-eu-ai-act")
    return oscal.to_json(oscal.mapping_collection(store, options["set"], last_modified=datetime.now(UTC)))


def component(store: Store, options: ExportOptions) -> bytes:
    from aims_graph.exports import oscal

    only(options, "oscal-component", "soa")
    return oscal.to_json(oscal.component_definition(store, options["soa"], last_modified=datetime.now(UTC)))
