"""``aims-graph export --format oscal-catalog|oscal-mapping|oscal-component`` as a user runs
it: the files it writes are OSCAL that compliance-trestle reads, a mapping names the
catalog files written beside it, and every misused option is a one-line error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from trestle.oscal import catalog as trestle_catalog
from trestle.oscal import component as trestle_component
from trestle.oscal import mapping as trestle_mapping

from aims_graph.paths import EXAMPLES_DIR
from tests.command_line import invoke_cli, run_cli
from tests.conformance.conftest import EXAMPLE_GRAPH


def test_catalogs_and_mapping_written_side_by_side(tmp_path: Path) -> None:
    mapping_file = tmp_path / "iso42001-eu-ai-act.mapping.json"
    result = run_cli("--store", "memory", "export", "--format", "oscal-mapping", "--set", "iso42001-eu-ai-act",
                     "--out", str(mapping_file))
    assert result.returncode == 0, result.stderr
    mapping = trestle_mapping.MappingCollection.oscal_read(mapping_file).mappings[0]
    for resource, maps_side in ((mapping.source_resource, "sources"), (mapping.target_resource, "targets")):
        scheme = resource.href.removesuffix(".catalog.json")
        written = run_cli("--store", "memory", "export", "--format", "oscal-catalog", "--scheme", scheme,
                          "--out", str(tmp_path / resource.href))
        assert written.returncode == 0, written.stderr
        catalog = trestle_catalog.Catalog.oscal_read(tmp_path / resource.href)
        ids = set()
        stack = list(catalog.controls)
        while stack:
            control = stack.pop()
            ids.add(control.id)
            stack.extend(control.controls or [])
        assert {item.id_ref for m in mapping.maps for item in getattr(m, maps_side)} <= ids


def test_component_definition_of_the_loaded_organisation(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    files = [str(p) for p in sorted((EXAMPLES_DIR / "organisation").glob("*.ttl"))]
    loaded = run_cli("--store", store, "load", *files, "--graph", EXAMPLE_GRAPH)
    assert loaded.returncode == 0, loaded.stderr
    result = run_cli("--store", store, "export", "--format", "oscal-component")
    assert result.returncode == 0, result.stderr
    document = trestle_component.Model.model_validate(json.loads(result.stdout)).component_definition
    assert document.components[0].title == "Harbourline AI management system"


@pytest.mark.parametrize(("args", "message"), [
    (("--format", "oscal-catalog"), "--format oscal-catalog needs --scheme"),
    (("--format", "oscal-mapping"), "--format oscal-mapping needs --set"),
    (("--format", "oscal-catalog", "--scheme", "iso42001", "--graph", EXAMPLE_GRAPH),
     "--graph does not apply to --format oscal-catalog"),
    (("--format", "oscal-mapping", "--set", "iso42001-eu-ai-act", "--scheme", "iso42001"),
     "--scheme does not apply to --format oscal-mapping"),
    (("--format", "turtle", "--soa", "https://example.org/harbourline/SoA"), "--soa does not apply to --format turtle"),
    (("--format", "oscal-catalog", "--scheme", "../iso42001"), "no reference scheme '../iso42001' in the store"),
])
def test_misused_options_are_errors_that_say_what_to_do(args: tuple[str, ...], message: str) -> None:
    result = invoke_cli("--store", "memory", "export", *args)
    assert result.exit_code != 0
    assert message in result.stderr and result.stdout == ""


def test_an_error_is_one_line_from_a_real_process() -> None:
    result = run_cli("--store", "memory", "export", "--format", "oscal-mapping", "--set", "iso42001-iso9001")
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "no crosswalk 'iso42001-iso9001' in the store" in result.stderr
